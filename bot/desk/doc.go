// Package desk is the 帮办 help desk: it decides whether the bot or a human
// answers a conversation, hands conversations to staff (when asked, after
// the bot failed twice, on a complaint or a sensitive topic), routes them to
// teams, keeps business hours, numbers tickets, and tells live clients what
// changed. Channels call it; it calls the bot and the store.
package desk
