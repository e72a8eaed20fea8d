// Package forms owns pre-filled applications (一表申请): it builds an item's
// or a bundle's form from the knowledge base, checks values with Go
// validators (居民身份证号, 统一社会信用代码, phone numbers, dates, amounts,
// options), extracts them from what a citizen writes, runs the dialogue that
// collects, corrects and confirms them, seals the values for storage and
// exports a confirmed draft as JSON or as a printable page.
//
// Everything here is deterministic and rule-based: the same conversation,
// text and clock give the same draft and reply.
package forms
