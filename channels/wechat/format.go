package wechat

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// maxLinks bounds the links under one answer: a phone screen, not a list.
const maxLinks = 3

// render turns messages into the plain text a WeChat user reads: staff
// replies under the staff member's name, answers with their citations as
// links, desk notices as they are.
func (c *Channel) render(ctx context.Context, msgs []banban.Message) string {
	names := c.staffNames(ctx, msgs)
	var blocks []string
	for _, m := range msgs {
		if t := c.renderOne(m, names); t != "" {
			blocks = append(blocks, t)
		}
	}
	return strings.Join(blocks, "\n\n")
}

func (c *Channel) renderOne(m banban.Message, names map[string]string) string {
	text := strings.TrimSpace(m.Text)
	switch m.Role {
	case banban.RoleStaff:
		name := names[m.Author]
		if name == "" {
			name = m.Author
		}
		return fmt.Sprintf(msgStaff, name) + "\n" + text
	case banban.RoleBot:
		if m.Answer != nil {
			if links := c.links(m.Answer.Citations); links != "" {
				return text + "\n\n" + links
			}
		}
	}
	return text
}

// links lists the documents an answer cites, each with an address a phone
// can open: Banban's own page of it when PublicURL is set, else the
// document's official address.
func (c *Channel) links(cits []banban.Citation) string {
	var lines []string
	seen := map[string]bool{}
	for _, ct := range cits {
		u := ct.URL
		if c.cfg.PublicURL != "" {
			u = c.cfg.PublicURL + (&url.URL{Path: "/docs/" + ct.DocID, Fragment: ct.Section}).String()
		}
		key := ct.DocID + "#" + ct.Section
		if u == "" || seen[key] || len(lines) == maxLinks {
			continue
		}
		seen[key] = true
		title := "《" + ct.Title + "》" + ct.Section
		lines = append(lines, fmt.Sprintf("%d. %s\n%s", len(lines)+1, title, u))
	}
	if len(lines) == 0 {
		return ""
	}
	return msgLinks + "\n" + strings.Join(lines, "\n")
}

// staffNames maps the usernames of staff messages to display names; a
// failed lookup falls back to usernames rather than holding a reply back.
func (c *Channel) staffNames(ctx context.Context, msgs []banban.Message) map[string]string {
	names := map[string]string{}
	for _, m := range msgs {
		if m.Role != banban.RoleStaff {
			continue
		}
		staff, err := c.desk.StaffList(ctx)
		if err != nil {
			c.log.Warn("wechat staff names", errAttr(err))
			return names
		}
		for _, s := range staff {
			names[s.Username] = s.Name
		}
		return names
	}
	return names
}

// split cuts text into WeChat messages of at most maxBytes bytes, at line
// ends where it can and never inside a character; past maxParts the last
// part is cut short with a notice.
func split(text string, maxBytes, maxParts int) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var parts []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			parts = append(parts, s)
		}
		cur.Reset()
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		for len(line) > maxBytes {
			flush()
			head := cutBytes(line, maxBytes)
			parts = append(parts, head)
			line = line[len(head):]
		}
		if cur.Len()+len(line) > maxBytes {
			flush()
		}
		cur.WriteString(line)
	}
	flush()
	if len(parts) > maxParts {
		parts = parts[:maxParts]
		last := cutBytes(parts[maxParts-1], maxBytes-len(msgCut))
		parts[maxParts-1] = strings.TrimSpace(last) + msgCut
	}
	return parts
}

// cutBytes is the longest prefix of s within n bytes that ends on a
// character boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
