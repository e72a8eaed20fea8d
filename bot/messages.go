package bot

import (
	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// What the bot says when it does not answer from the knowledge base. Every
// decline offers a human, because a citizen who gets no answer still needs
// one.
const (
	msgEmpty     = "请告诉我您想办理的事项或想咨询的问题，例如：“结婚登记要带什么材料？”"
	msgTooLong   = "您的问题太长了，请精简到%d字以内，或分几次提问。"
	msgInjection = "抱歉，我只能解答政务服务办事方面的问题。请问您想办理什么事项？如需帮助，也可以回复“转人工”。"
	msgUnknown   = "抱歉，知识库中没有找到能回答这个问题的内容，我不能凭猜测回答。您可以换个说法再问，或回复“转人工”，由帮办工作人员为您解答；也可拨打12345政务服务便民热线。"
	msgNoSection = "《%s》的办事指南中没有写明%s。建议回复“转人工”咨询帮办工作人员，或拨打12345政务服务便民热线。"
	msgHandoff   = "好的，正在为您转接人工帮办，请稍候。工作人员会在这里回复您。"
	msgComplaint = "非常抱歉给您带来不便。已为您转接人工帮办，工作人员会尽快处理您反映的问题。"
	msgGreeting  = "您好！我是政务服务智能帮办。您可以问我办事需要的材料、条件、流程、时限、费用、地点等，例如：“开饭店要办什么证？”“生了孩子要办哪些手续？”"
	msgThanks    = "不客气！还有其他问题可以随时问我。"
	msgClarify   = "您想咨询的是以下哪一项？请回复序号或名称："
	msgIllegal   = "抱歉，这个请求我不能协助。办理政务服务请提交真实、合法的材料；如有办事困难，可以回复“转人工”，帮办工作人员会帮您想办法。"
	msgCrisis    = "您的安全最重要。如果您或身边的人正处于危险中，请立即拨打110或120。我已为您转接人工帮办，工作人员会尽快和您联系。"
	msgAbuse     = "理解您可能遇到了不顺心的事。我会尽力帮您，请告诉我您想办理的事项；如需人工帮助，可以回复“转人工”。"
)

// toTraditional converts an answer for a citizen who wrote in traditional
// characters.
func toTraditional(a banban.Answer) banban.Answer {
	a.Text = textnorm.ToTraditional(a.Text)
	for i, o := range a.Options {
		a.Options[i] = textnorm.ToTraditional(o)
	}
	return a
}
