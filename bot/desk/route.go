package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// route picks the team for a handoff (精准派单): the team serving the
// department of the item in focus, else the general team, else none (every
// staff member sees it).
func (d *Desk) route(ctx context.Context, c *banban.Conversation) (string, error) {
	teams, err := d.store.Teams(ctx)
	if err != nil {
		return "", fmt.Errorf("read teams: %w", err)
	}
	if dept := d.focusDepartment(ctx, c); dept != "" {
		for _, t := range teams {
			if slices.Contains(t.Departments, dept) {
				return t.ID, nil
			}
		}
	}
	for _, t := range teams {
		if t.General {
			return t.ID, nil
		}
	}
	return "", nil
}

// focusDepartment is the department of the document the conversation is
// about, or of the last one the bot cited.
func (d *Desk) focusDepartment(ctx context.Context, c *banban.Conversation) string {
	ids := c.Focus.DocIDs
	if len(ids) == 0 {
		if srcs := sources(c); len(srcs) > 0 {
			ids = []string{srcs[0].DocID}
		}
	}
	if len(ids) == 0 || d.docs == nil {
		return ""
	}
	doc, err := d.docs.Document(ctx, ids[0])
	if err != nil {
		return ""
	}
	return doc.Department
}

// sources are the documents the bot cited in the conversation, the most
// recent first, each once.
func sources(c *banban.Conversation) []banban.Citation {
	var out []banban.Citation
	seen := map[string]bool{}
	for i := len(c.Messages) - 1; i >= 0; i-- {
		if a := c.Messages[i].Answer; a != nil {
			for _, cit := range a.Citations {
				if !seen[cit.DocID] {
					seen[cit.DocID] = true
					out = append(out, cit)
				}
			}
		}
	}
	return out
}

// summarize writes a short summary for staff: what the citizen first and
// last asked, what the bot could or could not do, and any form draft.
func summarize(c *banban.Conversation) string {
	var asked []string
	var last *banban.Answer
	for _, m := range c.Messages {
		switch {
		case m.Role == banban.RoleCitizen:
			asked = append(asked, clip(m.Text, 40))
		case m.Answer != nil:
			last = m.Answer
		}
	}
	if len(asked) > 3 {
		asked = append(asked[:1], asked[len(asked)-2:]...) // the opening question tells the topic
	}
	var b strings.Builder
	fmt.Fprintf(&b, "群众问：%s", strings.Join(asked, "；"))
	if !strings.HasSuffix(b.String(), "？") && !strings.HasSuffix(b.String(), "?") && !strings.HasSuffix(b.String(), "。") {
		b.WriteString("。")
	}
	switch {
	case last == nil:
	case last.Action == banban.ActionAnswer && len(last.Citations) > 0:
		fmt.Fprintf(&b, "智能助手已依据《%s》答复。", last.Citations[0].Title)
	case last.Action == banban.ActionDecline:
		b.WriteString("智能助手未能答复。")
	}
	if d := c.Draft; d != nil {
		fmt.Fprintf(&b, "已填写《%s》申请表（%s）。", d.Title, draftStateLabel(d.State))
	}
	return b.String()
}

func draftStateLabel(state string) string {
	switch state {
	case banban.DraftConfirmed:
		return "群众已确认"
	case banban.DraftConfirming:
		return "待群众确认"
	case banban.DraftCancelled:
		return "已取消"
	}
	return "填写中"
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// dayLabel names a time as citizens say it: 11月24日（周一）9:00.
func dayLabel(t time.Time) string {
	if t.IsZero() {
		return "下一个工作日"
	}
	t = t.In(chinaTime)
	return fmt.Sprintf("%d月%d日（%s）%d:%02d", t.Month(), t.Day(), weekdayNames[t.Weekday()], t.Hour(), t.Minute())
}
