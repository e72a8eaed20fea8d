package storetest

import (
	"fmt"
	"testing"

	"github.com/banban-gov/banban"
)

func nameWorld() []banban.Entry {
	entry := func(id string, names ...string) banban.Entry {
		e := NewEntry(banban.Document{ID: id, Kind: banban.KindItem, Title: names[0]},
			ChunkSpec{Text: names[0], Terms: []string{id}, Vector: []float32{0, 1, 0, 0}})
		e.Names = names
		return e
	}
	return []banban.Entry{
		entry("names/sbk", "社会保障卡申领", "社保卡"),
		entry("names/sb", "社保"),
		entry("names/sfz", "居民身份证", "身份证"),
		entry("names/en", "ic card"),
	}
}

func testMatchNames(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(nameWorld()...)
	tests := []struct {
		name  string
		query string
		want  []banban.NameMatch
	}{
		{"AliasInQueryLongestFirst", "我想补办社保卡", []banban.NameMatch{
			{DocID: "names/sbk", Name: "社保卡"}, {DocID: "names/sb", Name: "社保"}}},
		{"WholeQueryIsName", "社保卡", []banban.NameMatch{
			{DocID: "names/sbk", Name: "社保卡", Exact: true}, {DocID: "names/sb", Name: "社保"}}},
		{"TitleBeatsAliasOfSameDocument", "社会保障卡申领要带什么", []banban.NameMatch{
			{DocID: "names/sbk", Name: "社会保障卡申领"}}},
		{"OneMatchPerDocument", "居民身份证", []banban.NameMatch{
			{DocID: "names/sfz", Name: "居民身份证", Exact: true}}},
		{"ShortNameInside", "补办身份证", []banban.NameMatch{{DocID: "names/sfz", Name: "身份证"}}},
		{"Latin", "my ic card is lost", []banban.NameMatch{{DocID: "names/en", Name: "ic card"}}},
		{"NoMatch", "结婚登记", nil},
		{"QueryInsideNameIsNoMatch", "社会", nil},
		{"EmptyQuery", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := h.matchNames(tc.query, banban.Filter{})
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("MatchNames(%q): got %+v, want %+v", tc.query, got, tc.want)
			}
		})
	}
}

func testNameFilters(t *testing.T, open Opener) {
	h := newStore(t, open, false)
	h.put(filterWorld()...)
	for _, tc := range filterCases() {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range h.matchNames(filterQuery, tc.filter) {
				if m.Name != "共同事项" || m.Exact {
					t.Errorf("MatchNames(%q): got match %+v, want name 共同事项, not exact", filterQuery, m)
				}
				got = append(got, m.DocID)
			}
			if !sameSet(got, tc.want) {
				t.Errorf("MatchNames(%q) with %+v: got docs %v, want %v", filterQuery, tc.filter, got, tc.want)
			}
		})
	}
}
