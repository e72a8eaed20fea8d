// Package wechat connects Banban's help desk (bot/desk) to WeChat: the
// official account (公众号) message server, customer-service messages (客服消息)
// that carry staff replies and late answers, and the mini-program (小程序)
// backend API with its subscribe-message (订阅消息) notifications.
//
// It is the only package that imports github.com/silenceper/wechat. Like
// channels/web it turns traffic into desk calls and back and holds no
// business logic: who answers, queues, tickets and hours are the desk's.
// What it owns is WeChat's delivery rules: the 5-second reply limit and
// retries, the 48-hour customer-service window and its quota, message size
// limits, and the mini-program's sign-in.
package wechat
