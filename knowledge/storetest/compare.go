package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/banban-gov/banban"
)

// diffDocument describes how got differs from want, or returns "". Times
// compare as instants and empty lists equal missing ones, because stores
// may keep neither time zones nor the difference between nil and empty.
func diffDocument(got, want banban.Document) string {
	got, want = canonDocument(got), canonDocument(want)
	if reflect.DeepEqual(got, want) {
		return ""
	}
	return fmt.Sprintf("got document %+v\nwant %+v", got, want)
}

func canonDocument(d banban.Document) banban.Document {
	d.Updated, d.Effective, d.Expires = canonTime(d.Updated), canonTime(d.Effective), canonTime(d.Expires)
	d.Aliases = nilIfEmpty(d.Aliases)
	d.Items = nilIfEmpty(d.Items)
	d.Sections = nilIfEmpty(d.Sections)
	if len(d.Form) == 0 {
		d.Form = nil
		return d
	}
	form := make([]banban.FormField, len(d.Form))
	for i, f := range d.Form {
		f.Options = nilIfEmpty(f.Options)
		form[i] = f
	}
	d.Form = form
	return d
}

// diffChunks describes how got differs from want, or returns "". With
// withVector unset, vectors are not compared: search hits may leave them out.
func diffChunks(got, want []banban.Chunk, withVector bool) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d chunks %v, want %d %v", len(got), chunkIDs(got), len(want), chunkIDs(want))
	}
	for i := range got {
		g, w := canonChunk(got[i], withVector), canonChunk(want[i], withVector)
		if !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("chunk %d: got %+v\nwant %+v", i, g, w)
		}
	}
	return ""
}

func canonChunk(c banban.Chunk, withVector bool) banban.Chunk {
	c.Effective, c.Expires = canonTime(c.Effective), canonTime(c.Expires)
	c.Terms = nilIfEmpty(c.Terms)
	c.Vector = nilIfEmpty(c.Vector)
	if !withVector {
		c.Vector = nil
	}
	return c
}

func canonTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func chunkIDs(cs []banban.Chunk) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// hitIDs lists the chunk ids of hits in their order.
func hitIDs(hits []banban.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Chunk.ID
	}
	return ids
}

// hitDocs lists the distinct document ids of hits, sorted.
func hitDocs(hits []banban.Hit) []string {
	var ids []string
	for _, h := range hits {
		if !slices.Contains(ids, h.Chunk.DocID) {
			ids = append(ids, h.Chunk.DocID)
		}
	}
	slices.Sort(ids)
	return ids
}

// checkBestFirst fails the test unless hits are ordered by descending score.
func checkBestFirst(h *harness, call string, hits []banban.Hit) {
	h.t.Helper()
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			h.t.Errorf("%s: hit %d (%s, %.6f) scores above hit %d (%s, %.6f)", call,
				i, hits[i].Chunk.ID, hits[i].Score, i-1, hits[i-1].Chunk.ID, hits[i-1].Score)
		}
	}
}
