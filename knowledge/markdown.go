package knowledge

import (
	"strings"

	"github.com/banban-gov/banban"
)

// heading returns the text of an ATX heading line ("## 受理条件") and its
// level, or level 0 when the line is not a heading.
func heading(line string) (text string, level int) {
	for level < len(line) && line[level] == '#' {
		level++
	}
	if level == 0 || level > 6 {
		return "", 0
	}
	rest := line[level:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", 0
	}
	rest = strings.TrimSpace(rest)
	// A closing sequence of #s is not part of the heading.
	if t := strings.TrimRight(rest, "#"); t != rest && (t == "" || strings.HasSuffix(t, " ")) {
		rest = strings.TrimSpace(t)
	}
	return rest, level
}

// markdownSections splits a Markdown body at its headings. With allLevels
// every ATX heading starts a section (policies keep their whole structure);
// otherwise only level-2 "## " headings do and other lines, deeper headings
// included, stay in the section text. Text before the first heading becomes a
// section with an empty heading; a heading with no text keeps an empty
// section. Headings inside fenced code blocks are text.
func markdownSections(body string, allLevels bool) []banban.Section {
	var (
		sections []banban.Section
		cur      banban.Section
		text     strings.Builder
		fenced   bool
		started  bool // cur is a headed section
	)
	flush := func() {
		cur.Text = strings.TrimSpace(text.String())
		if started || cur.Text != "" {
			sections = append(sections, cur)
		}
		text.Reset()
	}
	for _, line := range strings.Split(body, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
		}
		if h, level := heading(line); !fenced && level > 0 && (allLevels || level == 2) {
			flush()
			cur, started = banban.Section{Heading: h}, true
			continue
		}
		text.WriteString(line)
		text.WriteByte('\n')
	}
	flush()
	return sections
}
