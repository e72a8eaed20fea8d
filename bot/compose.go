package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

// compose builds the answer from doc. ranked are the search results by
// document (nil for a follow-up on the focus), used for citations of
// related documents, to find the best-matching part of FAQs and policies, and
// to fall back on the next well-matching document when doc lacks the section
// asked for.
func (b *Bot) compose(ctx context.Context, conv *banban.Conversation, t turn, doc banban.Document, ranked []docHits) (banban.Answer, error) {
	hits, score, err := b.hitsFor(ctx, t, doc, ranked)
	if err != nil {
		return banban.Answer{}, err
	}
	body, sections := b.body(doc, t, hits)
	if body == "" || statesOtherYear(body, t.year) {
		alt, ok, err := b.fallback(ctx, t, ranked, body != "")
		if err != nil {
			return banban.Answer{}, err
		}
		switch {
		case ok:
			doc, body, sections, score = alt.doc, alt.body, alt.sections, alt.score
		case body == "":
			conv.Focus = banban.Focus{DocIDs: []string{doc.ID}, Section: t.section}
			return missingSection(doc, t.section), nil
		}
	}
	conv.Focus = banban.Focus{DocIDs: []string{doc.ID}, Section: t.section}
	cites := []banban.Citation{cite(doc, strings.Join(sections, "、"), score)}
	related := relatedDocs(ranked, doc.ID)
	for _, r := range related {
		cites = append(cites, banban.Citation{DocID: r.id, Title: r.title, Score: r.score})
	}
	ans := banban.Answer{
		Action:    banban.ActionAnswer,
		Text:      body + footer(doc, sections, related),
		Citations: cites,
	}
	ans = b.maybeGenerate(ctx, t, doc, sections, body, ans)
	return ans, nil
}

// hitsFor returns the search hits within doc: those already found, or a
// search restricted to it for a follow-up.
func (b *Bot) hitsFor(ctx context.Context, t turn, doc banban.Document, ranked []docHits) ([]retrieval.Hit, float64, error) {
	for _, d := range ranked {
		if d.id == doc.ID {
			return d.hits, d.score, nil
		}
	}
	hits, err := b.searchWithin(ctx, t.matchText(), doc.ID)
	return hits, 0, err
}

// body is the answer text from one document and the sections it used.
func (b *Bot) body(doc banban.Document, t turn, hits []retrieval.Hit) (string, []string) {
	switch doc.Kind {
	case banban.KindItem, banban.KindBundle:
		return itemBody(doc, t.section, hits)
	case banban.KindFAQ:
		return b.faqBody(doc, t, hits)
	}
	return b.policyBody(doc, t.matchText(), hits)
}

// alternative is an answer from a runner-up document.
type alternative struct {
	doc      banban.Document
	body     string
	sections []string
	score    float64
}

// fallbackDocs is how many runner-up documents may answer when the best
// one lacks the section asked for.
const fallbackDocs = 3

// yearFallbackDocs is how far down the ranking a document stating the year
// asked about may be: the year itself is no search term, so the notice
// for next year ranks no better than this year's guide.
const yearFallbackDocs = 6

// fallback answers from the next runner-up document that covers the
// question's topic well and has what was asked for: an item guide without
// 补贴标准 defers to the policy that sets the subsidy. forYear asks for a
// document that states the year the question asks about, the best one
// stating only other years' figures (2026年度 for 明年).
func (b *Bot) fallback(ctx context.Context, t turn, ranked []docHits, forYear bool) (alternative, bool, error) {
	if len(ranked) < 2 {
		return alternative{}, false, nil
	}
	depth := fallbackDocs
	if forYear {
		depth = yearFallbackDocs
	}
	for _, d := range fallbackOrder(ranked[1:min(len(ranked), 1+depth)], t.section) {
		if d.topic < b.cfg.MinTopicCoverage {
			continue
		}
		doc, err := b.docs.Document(ctx, d.id)
		if err != nil {
			return alternative{}, false, fmt.Errorf("load document %s: %w", d.id, err)
		}
		body, secs := b.body(doc, t, d.hits)
		if body != "" && (!forYear || strings.Contains(body, t.year+"年")) {
			return alternative{doc: doc, body: body, sections: secs, score: d.score}, true, nil
		}
	}
	return alternative{}, false, nil
}

// amountSections are the sections that ask how much a citizen gets. A
// policy sets those amounts; an FAQ or another guide that happens to rank
// higher only mentions them in passing, so a policy answers first.
var amountSections = map[string]bool{"补贴标准": true, "提取额度": true}

// fallbackOrder returns the runner-up documents in the order they may
// answer: policies first when the question asks for an amount, otherwise
// as ranked.
func fallbackOrder(docs []docHits, section string) []docHits {
	if !amountSections[section] {
		return docs
	}
	out := make([]docHits, 0, len(docs))
	for _, d := range docs {
		if isKind(d, banban.KindPolicy) {
			out = append(out, d)
		}
	}
	for _, d := range docs {
		if !isKind(d, banban.KindPolicy) {
			out = append(out, d)
		}
	}
	return out
}

// isKind reports whether a document's hits come from a document of kind k.
func isKind(d docHits, k banban.Kind) bool {
	return len(d.hits) > 0 && d.hits[0].Chunk.Kind == k
}

// searchWithin ranks the chunks of one document for a question.
func (b *Bot) searchWithin(ctx context.Context, text, docID string) ([]retrieval.Hit, error) {
	f := b.cfg.Filter
	f.DocIDs = []string{docID}
	res, err := b.search.Search(ctx, retrieval.Query{Text: text, Filter: f, K: 5})
	if err != nil {
		return nil, fmt.Errorf("search within %s: %w", docID, err)
	}
	return res.Hits, nil
}

// overviewSections answer a question about an item that names no section.
var overviewSections = []string{banban.SecMaterials, banban.SecProcess}

// bundleOverview answers a question about a bundle that names no section.
var bundleOverview = []string{"办理事项", banban.SecMaterials, banban.SecTimeLimit}

// itemBody returns the asked-for section of an item or bundle. With no
// section asked, it uses the section the question matched clearly better
// than the others, or else an overview.
func itemBody(doc banban.Document, section string, hits []retrieval.Hit) (string, []string) {
	if section == "" {
		section = clearSection(hits)
	}
	want := []string{section}
	if section == "" {
		want = overviewSections
		if doc.Kind == banban.KindBundle {
			want = bundleOverview
		}
	}
	var parts, used []string
	for _, name := range want {
		if s, ok := findSection(doc, name); ok {
			parts = append(parts, "【"+s.Heading+"】\n"+strings.TrimSpace(s.Text))
			used = append(used, s.Heading)
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	return "《" + doc.Title + "》\n" + strings.Join(parts, "\n\n"), used
}

// clearSection returns the section of the best hit when it covers the
// question clearly better than the document's other hits.
func clearSection(hits []retrieval.Hit) string {
	if len(hits) < 2 || hits[0].Chunk.Section == "" {
		return ""
	}
	lowest := hits[0].Coverage
	for _, h := range hits[1:] {
		if h.Coverage < lowest {
			lowest = h.Coverage
		}
	}
	if hits[0].Coverage-lowest >= 0.1 {
		return hits[0].Chunk.Section
	}
	return ""
}

func missingSection(doc banban.Document, section string) banban.Answer {
	what := section
	if what == "" {
		what = "相关内容"
	}
	return banban.Answer{
		Action:    banban.ActionDecline,
		Reason:    "section_missing",
		Text:      fmt.Sprintf(msgNoSection, doc.Title, what),
		Citations: []banban.Citation{cite(doc, "", 0)},
	}
}

func cite(doc banban.Document, section string, score float64) banban.Citation {
	return banban.Citation{DocID: doc.ID, Title: doc.Title, Section: section,
		Updated: doc.Updated, URL: doc.URL, Score: score}
}

// relatedDocs are the next two documents of the ranking when they cover the
// question's topic nearly as well as the one answered from, shown so a
// citizen whose case differs (another district, another department) finds
// the right guide.
func relatedDocs(ranked []docHits, answered string) []docHits {
	if len(ranked) == 0 {
		return nil
	}
	var out []docHits
	for _, d := range ranked[1:min(len(ranked), 1+maxRelated)] {
		if d.id != answered && d.topic >= relatedShare*ranked[0].topic {
			out = append(out, d)
		}
	}
	return out
}

// maxRelated and relatedShare bound the related documents: at most two,
// covering at least this share of what the best one covers.
const (
	maxRelated   = 2
	relatedShare = 0.8
)

// footer cites the source in the answer text itself, so channels that show
// only text (WeChat) still show where the answer comes from.
func footer(doc banban.Document, sections []string, related []docHits) string {
	var sb strings.Builder
	sb.WriteString("\n\n依据：《" + doc.Title + "》")
	if len(sections) > 0 && sections[0] != "" && doc.Kind != banban.KindFAQ {
		sb.WriteString(strings.Join(sections, "、"))
	}
	var meta []string
	if doc.Department != "" {
		meta = append(meta, doc.Department)
	}
	if !doc.Updated.IsZero() {
		meta = append(meta, doc.Updated.Format("2006-01-02")+"更新")
	}
	if len(meta) > 0 {
		sb.WriteString("（" + strings.Join(meta, "，") + "）")
	}
	if doc.URL != "" {
		sb.WriteString("\n" + doc.URL)
	}
	if len(related) > 0 {
		sb.WriteString("\n相关：")
		for i, r := range related {
			if i > 0 {
				sb.WriteString("、")
			}
			sb.WriteString("《" + r.title + "》")
		}
	}
	return sb.String()
}
