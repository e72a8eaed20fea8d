package forms

// What citizens read.
const (
	msgEmptyValue = "请提供%s。"
	msgInvalid    = "您提供的%s有误：%s。"
	warnUSCC      = "校验位与国家标准算法不符（部分早期赋码的代码如此），已先记录，请以营业执照为准"

	msgStart       = "好的，我来帮您预填《%s》的申请表。信息只用于本次申请，填完会请您核对确认，不会自动提交。"
	msgPrefilled   = "已从前面的对话中获取：%s。"
	msgRecorded    = "已记录%s。"
	msgUpdated     = "已更新%s。"
	msgWarning     = "提示：%s%s。"
	msgAskGroup    = "请提供%s（可以一次发给我，用逗号隔开）。"
	msgAskOne      = "请提供%s%s。"
	msgAskOptional = "请提供%s（选填，不需要请回复“跳过”）。"
	msgAskEnum     = "请选择%s：%s。回复序号或名称即可。"
	msgDateHint    = "（如“2026年3月5日”或“下周一”）"
	msgAgain       = "请重新提供%s。"
	msgNoSkip      = "%s是必填项，不能跳过。"
	msgSkipped     = "已跳过%s。"
	msgUnclear     = "抱歉，没有识别出您提供的信息。"
	msgWhichItem   = "好的，请问您要办理哪个事项？请告诉我事项名称，例如“我要办社保卡”“帮我填低保申请”。"
	msgNoForm      = "《%s》暂不支持在线预填申请表，请按办事指南准备材料后到窗口或网上办理。有其他问题可以继续问我，或回复“转人工”。"
	msgWhichOption = "以下事项可以在线预填申请表，请问您要办理哪一项？请回复序号或名称：%s"
	msgAmbiguous   = "请问您说的是%s？请说明，例如“户籍地址是……”。"

	msgSummaryHead = "请核对《%s》申请信息："
	msgSummaryLine = "%d. %s：%s"
	msgNotGiven    = "未填写"
	msgSummaryFoot = "信息无误请回复“确认”；需要修改请直接告诉我，如“电话改成13900139000”；不办了请回复“取消”。"
	msgWhichFix    = "请告诉我需要修改哪一项，例如“电话改成13900139000”或“地址改成……”。"
	msgConfirmed   = "已确认。《%s》申请表已生成，工作人员受理时可直接调取，无需重复填写；您也可以打印后带到窗口。请注意：预填的申请表还没有正式提交，仍需按办事指南提交申请材料。"
	msgCancelled   = "好的，已取消本次申请表填写，已填写的信息已清除。还有其他问题可以继续问我。"
)

// Draft state labels for the printable page.
var stateLabels = map[string]string{
	"collecting": "填写中",
	"confirming": "待申请人确认",
	"confirmed":  "申请人已确认",
	"cancelled":  "已取消",
}
