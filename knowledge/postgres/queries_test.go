package postgres

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// TestQueriesNamed checks that every query the code asks for by name is in
// queries.sql, and that queries.sql holds no query nobody asks for.
func TestQueriesNamed(t *testing.T) {
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	call := regexp.MustCompile(`(?:query|withDim)\("([a-z_]+)"`)
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") {
			continue
		}
		src, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	for name := range used {
		if _, ok := queries[name]; !ok {
			t.Errorf("the code asks for query %q, which queries.sql does not have", name)
		}
	}
	for name, q := range queries {
		if !used[name] {
			t.Errorf("queries.sql has query %q, which nothing asks for", name)
		}
		if strings.TrimSpace(q) == "" {
			t.Errorf("query %q is empty", name)
		}
	}
}

func TestWithFilter(t *testing.T) {
	at := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		f        banban.Filter
		alias    string
		wantSQL  string
		wantArgs int
	}{
		{"None", banban.Filter{}, "c", "WHERE true", 1},
		{"Kinds", banban.Filter{Kinds: []banban.Kind{banban.KindItem}}, "c", "WHERE true AND c.kind = ANY($2::text[])", 2},
		{"RegionDepartment", banban.Filter{Region: "广州市", Department: "公安局"}, "t",
			"WHERE true AND t.region = $2 AND t.department = $3", 3},
		{"DocumentsOfChunks", banban.Filter{DocIDs: []string{"a"}}, "c", "WHERE true AND c.doc_id = ANY($2::text[])", 2},
		{"DocumentsOfDocuments", banban.Filter{DocIDs: []string{"a"}}, "d", "WHERE true AND d.id = ANY($2::text[])", 2},
		{"At", banban.Filter{At: at}, "c", "WHERE true AND (c.effective IS NULL OR c.effective <= $2)" +
			" AND (c.valid_until IS NULL OR c.valid_until > $2)", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sql, args := withFilter("WHERE true"+filterMarker, tc.f, tc.alias, []any{"first"})
			if sql != tc.wantSQL || len(args) != tc.wantArgs {
				t.Errorf("withFilter: got %q with %d args, want %q with %d", sql, len(args), tc.wantSQL, tc.wantArgs)
			}
		})
	}
}

func TestValidUntil(t *testing.T) {
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	if got := validUntil(day); !got.Equal(day.AddDate(0, 0, 1)) {
		t.Errorf("validUntil(%v) = %v, want the next midnight", day, got)
	}
	if got := validUntil(time.Time{}); got != nil {
		t.Errorf("validUntil(zero) = %v, want nil (NULL)", got)
	}
}
