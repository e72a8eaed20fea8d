package wechat

// What citizens read in WeChat.
const (
	msgWelcome = "您好，欢迎使用帮办智能助手！我可以解答政务服务办事问题，回答均依据官方办事指南。\n\n您可以直接发送问题，例如："
	msgHuman   = "如需人工帮办，请回复“转人工”。"
	msgVoice   = "抱歉，暂时还听不懂这条语音，请用文字发送您的问题。"
	msgOther   = "抱歉，目前只能处理文字消息，请用文字描述您的问题。"
	msgBusy    = "系统繁忙，请稍后再试；也可以拨打 12345 政务服务便民热线。"
	msgWaiting = "您已在排队等待人工帮办，前面还有 %d 位，请稍候。工作人员接入后会在这里回复您。"
	msgLeave   = "如需留言，请发送“留言”加上您的问题和联系方式，例如：留言 想咨询公积金提取，电话……"
	msgLinks   = "相关链接："
	msgCut     = "……（内容较长，未能全部发送，请点击链接查看完整内容）"
	msgStaff   = "【人工帮办 %s】"
	msgSignIn  = "请先登录。"
	msgBadJSON = "请求格式错误，需要 JSON。"
	msgTooBig  = "请求内容过大（上限 %d 字节）。"
	msgNoCode  = "登录凭证 code 不能为空。"
	msgLogin   = "微信登录失败，请稍后重试。"
	msgNoRoute = "接口不存在"

	// The subscribe message, each field at most 20 characters.
	notifyWho = "帮办工作人员"
)

// leavePrefix starts a message the citizen leaves for staff when nobody
// can answer now.
const leavePrefix = "留言"

// defaultQuestions are offered in the welcome message.
var defaultQuestions = []string{
	"结婚登记要带什么材料？",
	"社保卡丢了怎么补办？",
	"开个小饭馆要办哪些证？",
	"居住证怎么办理？",
}
