package storetest

import (
	"fmt"
	"time"

	"github.com/banban-gov/banban"
)

// The filter world: four documents that differ in kind, region, department
// and validity, each with one chunk that every search in the filter tests
// finds, so a filter alone decides what comes back.
const (
	fItemGZ   = "filter/item-gz"   // item, 广州市, 公安局, 2025-01-01 .. 2025-12-31
	fItemSZ   = "filter/item-sz"   // item, 深圳市, 人社局, always valid
	fPolicyGZ = "filter/policy-gz" // policy, 广州市, 人社局, from 2026-01-01
	fFAQSZ    = "filter/faq-sz"    // faq, 深圳市, 公安局, until 2024-06-30
)

// filterTerm, filterVector and filterQuery find every chunk of the filter
// world, by keyword, by vector and by name.
const (
	filterTerm  = "共同"
	filterQuery = "请问共同事项怎么办"
)

var filterVector = []float32{1, 0, 0, 0}

func filterWorld() []banban.Entry {
	docs := []banban.Document{
		{ID: fItemGZ, Kind: banban.KindItem, Title: "共同事项广州", Region: "广州市", Department: "公安局",
			Effective: Day(2025, 1, 1), Expires: Day(2025, 12, 31)},
		{ID: fItemSZ, Kind: banban.KindItem, Title: "共同事项深圳", Region: "深圳市", Department: "人社局"},
		{ID: fPolicyGZ, Kind: banban.KindPolicy, Title: "共同事项政策", Region: "广州市", Department: "人社局",
			Effective: Day(2026, 1, 1)},
		{ID: fFAQSZ, Kind: banban.KindFAQ, Title: "共同事项问答", Region: "深圳市", Department: "公安局",
			Expires: Day(2024, 6, 30)},
	}
	entries := make([]banban.Entry, len(docs))
	for i, d := range docs {
		vec := []float32{1, float32(i+1) / 10, 0, 0}
		entries[i] = NewEntry(d, ChunkSpec{Text: d.Title, Terms: []string{filterTerm, d.ID}, Vector: vec})
		entries[i].Names = []string{"共同事项"}
	}
	return entries
}

type filterCase struct {
	name   string
	filter banban.Filter
	want   []string // document ids, any order
}

// filterCases covers each field of banban.Filter alone and together,
// including validity on the first and the last day (both inclusive).
func filterCases() []filterCase {
	at := func(y int, m time.Month, d, hour, minute int) time.Time {
		return time.Date(y, m, d, hour, minute, 0, 0, time.UTC)
	}
	all := []string{fItemGZ, fItemSZ, fPolicyGZ, fFAQSZ}
	return []filterCase{
		{"NoFilter", banban.Filter{}, all},
		{"KindItem", banban.Filter{Kinds: []banban.Kind{banban.KindItem}}, []string{fItemGZ, fItemSZ}},
		{"KindsPolicyAndFAQ", banban.Filter{Kinds: []banban.Kind{banban.KindPolicy, banban.KindFAQ}}, []string{fPolicyGZ, fFAQSZ}},
		{"KindBundleNone", banban.Filter{Kinds: []banban.Kind{banban.KindBundle}}, nil},
		{"Region", banban.Filter{Region: "广州市"}, []string{fItemGZ, fPolicyGZ}},
		{"Department", banban.Filter{Department: "人社局"}, []string{fItemSZ, fPolicyGZ}},
		{"DocIDs", banban.Filter{DocIDs: []string{fItemSZ, fFAQSZ, "filter/unknown"}}, []string{fItemSZ, fFAQSZ}},
		{"UnknownRegion", banban.Filter{Region: "北京市"}, nil},
		{"AtBeforeEffective", banban.Filter{At: at(2024, 12, 31, 12, 0)}, []string{fItemSZ}},
		{"AtOnEffectiveDay", banban.Filter{At: at(2025, 1, 1, 0, 0)}, []string{fItemGZ, fItemSZ}},
		{"AtEndOfExpiryDay", banban.Filter{At: at(2025, 12, 31, 23, 59)}, []string{fItemGZ, fItemSZ}},
		{"AtDayAfterExpiry", banban.Filter{At: at(2026, 1, 1, 0, 0)}, []string{fItemSZ, fPolicyGZ}},
		{"AtOnLastDayOfFAQ", banban.Filter{At: at(2024, 6, 30, 10, 0)}, []string{fItemSZ, fFAQSZ}},
		{"Combined", banban.Filter{Kinds: []banban.Kind{banban.KindItem}, Region: "广州市", At: at(2025, 6, 1, 9, 0)}, []string{fItemGZ}},
		{"CombinedNone", banban.Filter{Department: "公安局", At: at(2026, 6, 1, 9, 0)}, nil},
	}
}

// decoys are eight documents outside every region of the filter world that
// beat its chunks in every search: a store that filtered after taking the
// top k would return fewer hits than it should.
func decoys() []banban.Entry {
	entries := make([]banban.Entry, 8)
	for i := range entries {
		d := banban.Document{ID: fmt.Sprintf("decoy/%d", i), Kind: banban.KindItem, Title: "共同事项", Region: "北京市"}
		entries[i] = NewEntry(d, ChunkSpec{Text: d.Title, Terms: []string{filterTerm}, Vector: filterVector})
		entries[i].Names = []string{"共同事项"}
	}
	return entries
}
