// Package channels holds the ways citizens reach Banban. Each subpackage
// turns one channel's traffic (web JSON API, WeChat) into calls on the bot
// and back, and holds no business logic of its own.
package channels
