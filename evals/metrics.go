package evals

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Metrics summarise a run.
type Metrics struct {
	Cases int
	// ActionAccuracy is the share of cases whose action was acceptable.
	ActionAccuracy float64
	// Hit1, Hit3 and MRR are over the cases that name expected sources.
	Hit1, Hit3, MRR float64
	// FactRecall is the mean share of fact groups found, over cases with facts.
	FactRecall float64
	// StrictPass is the share of cases with the right action, a source hit
	// in the top three (when sources are expected) and every fact present.
	StrictPass float64
	P50, P95   float64 // latency in milliseconds
	Errors     int
}

// CaseScore is how one result scored against its case.
type CaseScore struct {
	ActionOK   bool
	SourceRank int // 1-based rank of the first expected source; 0 if none
	HasSources bool
	FactsFound int
	FactsTotal int
}

// Pass reports whether the case passes strictly.
func (s CaseScore) Pass() bool {
	return s.ActionOK && (!s.HasSources || (s.SourceRank >= 1 && s.SourceRank <= 3)) && s.FactsFound == s.FactsTotal
}

// Score compares one result with its case. Facts are matched on normalised
// text, so an answer in traditional characters matches simplified facts.
func Score(c Case, r Result) CaseScore {
	s := CaseScore{ActionOK: r.Error == "" && c.Expect.Actions.Allows(r.Action), HasSources: len(c.Expect.Sources) > 0}
	for i, src := range r.Sources {
		if s.SourceRank == 0 && contains(c.Expect.Sources, src.Doc) {
			s.SourceRank = i + 1
		}
	}
	answer := textnorm.Normalize(r.Answer)
	s.FactsTotal = len(c.Expect.Facts)
	for _, group := range c.Expect.Facts {
		for _, alt := range group {
			if strings.Contains(answer, textnorm.Normalize(alt)) {
				s.FactsFound++
				break
			}
		}
	}
	return s
}

// Compute scores every result against its case (matched by id).
func Compute(cases []Case, results []Result) Metrics {
	byID := make(map[string]Result, len(results))
	for _, r := range results {
		byID[r.ID] = r
	}
	var m Metrics
	var actionOK, withSrc, hit1, hit3, withFacts, pass int
	var rr, recall float64
	lat := make([]float64, 0, len(cases))
	for _, c := range cases {
		r := byID[c.ID]
		s := Score(c, r)
		m.Cases++
		lat = append(lat, r.LatencyMS)
		if r.Error != "" {
			m.Errors++
		}
		actionOK += b2i(s.ActionOK)
		pass += b2i(s.Pass())
		if s.HasSources {
			withSrc++
			hit1 += b2i(s.SourceRank == 1)
			hit3 += b2i(s.SourceRank >= 1 && s.SourceRank <= 3)
			if s.SourceRank > 0 {
				rr += 1 / float64(s.SourceRank)
			}
		}
		if s.FactsTotal > 0 {
			withFacts++
			recall += float64(s.FactsFound) / float64(s.FactsTotal)
		}
	}
	m.ActionAccuracy = ratio(float64(actionOK), m.Cases)
	m.StrictPass = ratio(float64(pass), m.Cases)
	m.Hit1, m.Hit3, m.MRR = ratio(float64(hit1), withSrc), ratio(float64(hit3), withSrc), ratio(rr, withSrc)
	m.FactRecall = ratio(recall, withFacts)
	m.P50, m.P95 = percentile(lat, 0.50), percentile(lat, 0.95)
	return m
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ratio(n float64, d int) float64 {
	if d == 0 {
		return 0
	}
	return n / float64(d)
}

// percentile uses the nearest-rank method.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(float64(len(s))*p+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}

// WriteTable prints metrics side by side, one column per named run.
func WriteTable(w io.Writer, title string, names []string, ms []Metrics) {
	fmt.Fprintf(w, "%s\n", title)
	fmt.Fprintf(w, "%-16s", "metric")
	for _, n := range names {
		fmt.Fprintf(w, " %12s", n)
	}
	fmt.Fprintln(w)
	rows := []struct {
		name string
		get  func(Metrics) string
	}{
		{"cases", func(m Metrics) string { return fmt.Sprint(m.Cases) }},
		{"action_accuracy", func(m Metrics) string { return fmt.Sprintf("%.3f", m.ActionAccuracy) }},
		{"hit@1", func(m Metrics) string { return fmt.Sprintf("%.3f", m.Hit1) }},
		{"hit@3", func(m Metrics) string { return fmt.Sprintf("%.3f", m.Hit3) }},
		{"mrr", func(m Metrics) string { return fmt.Sprintf("%.3f", m.MRR) }},
		{"fact_recall", func(m Metrics) string { return fmt.Sprintf("%.3f", m.FactRecall) }},
		{"strict_pass", func(m Metrics) string { return fmt.Sprintf("%.3f", m.StrictPass) }},
		{"latency_p50_ms", func(m Metrics) string { return fmt.Sprintf("%.2f", m.P50) }},
		{"latency_p95_ms", func(m Metrics) string { return fmt.Sprintf("%.2f", m.P95) }},
		{"errors", func(m Metrics) string { return fmt.Sprint(m.Errors) }},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "%-16s", r.name)
		for _, m := range ms {
			fmt.Fprintf(w, " %12s", r.get(m))
		}
		fmt.Fprintln(w)
	}
}
