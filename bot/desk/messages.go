package desk

// What citizens and staff read.
const (
	msgQueued       = "已为您转接人工帮办，工单号：%s。您前面还有 %d 位，请稍候，工作人员接入后会在这里回复您。"
	msgClosedHours  = "现在是非工作时间（人工服务时间：%s），工作人员暂时无法回复。您可以留言，我们会在%s起尽快处理。"
	msgNoStaff      = "目前没有工作人员在线，暂时无法转接人工。您可以留言，我们会尽快处理；也可以拨打 12345 政务服务便民热线。"
	msgLeft         = "您的留言已收到，工单号：%s。我们会在%s起尽快处理，并通过本渠道回复您。"
	msgClaimed      = "工作人员%s已接入，正在为您服务。"
	msgResolved     = "本次人工服务已结束，感谢您的耐心。欢迎对本次服务作出评价。"
	msgHandedBack   = "工作人员已结束本次服务，接下来由智能助手继续为您解答。欢迎对本次服务作出评价。"
	msgTransferTeam = "正在为您转接至%s，请稍候。"
	msgTransferTo   = "已为您转接至工作人员%s。"
	msgExpired      = "非常抱歉，目前排队人数较多，暂时没有工作人员接入。您的问题已登记为工单（工单号：%s），工作人员会尽快联系您；您也可以继续向智能助手提问。"
	msgCancelled    = "已取消人工转接，智能助手继续为您服务。"
	msgWaitingNote  = "您已在排队，前面还有 %d 位，请稍候。"
	msgTicketStatus = "工单状态更新为“%s”%s"
)

// errors staff or citizens may read.
const (
	errTooLong      = "消息过长，请控制在%d字以内。"
	errEmpty        = "消息不能为空。"
	errNotWaiting   = "该会话不在排队中，可能已被其他工作人员接入。"
	errNotYours     = "该会话未由您接入，请先接入后再回复。"
	errNotTeam      = "您不属于该会话所在的工作组。"
	errBadScore     = "评分须为 1 到 5 之间的整数。"
	errCommentLong  = "评价内容过长，请控制在%d字以内。"
	errNoTeam       = "工作组不存在：%s"
	errNoStaff      = "工作人员不存在或已停用：%s"
	errNoTarget     = "请选择要转给的工作组或工作人员。"
	errBadStatus    = "工单状态不能为空。"
	errAlreadyHuman = "该会话已在人工服务中。"
)

// defaultCanned are the staff console's ready replies.
var defaultCanned = []string{
	"您好，我是政务服务中心帮办工作人员，很高兴为您服务。请问有什么可以帮您？",
	"请稍等，我正在为您查询相关办理要求。",
	"您所需的材料清单已在上方列出，请对照准备，如有疑问可继续咨询。",
	"该事项可以在“示例市政务服务网”在线办理，也可以到示例市政务服务中心综合窗口办理。",
	"您反映的问题我们已记录，会在3个工作日内回复您。",
	"请问还有其他需要帮助的吗？如没有，本次服务将结束，欢迎您对本次服务作出评价。",
}
