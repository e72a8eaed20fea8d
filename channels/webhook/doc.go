// Package webhook delivers the help desk's outward tickets (12345 协同) to an
// outside system over signed HTTP POSTs.
//
// The desk writes an outbox item in the same transaction as the conversation
// change it reports; a Sender reads due items from the outbox, posts each
// one and records the attempt, backing off exponentially while the receiver
// is down. Delivery is at least once: a receiver drops duplicates by the
// X-Banban-Delivery header and checks X-Banban-Signature with Verify.
//
// This is the only package that imports github.com/go-resty/resty/v2.
package webhook
