package postgres

import (
	"fmt"
	"strings"
	"time"

	"github.com/banban-gov/banban"
)

// filterMarker is where a search query takes its filter's conditions.
const filterMarker = "/*filter*/"

// withFilter returns q with the conditions of f on the table aliased as
// alias (chunks c or documents d, which share the column names) in place of
// its filter marker, and args with the conditions' parameters appended.
// Each condition is a plain comparison on a column, so the planner can use
// an index for it or check it during an HNSW scan. The semantics are
// banban.Filter.Match's: kinds, region, department and documents must
// match, and at At the document must be in force, its effective and expiry
// dates (stored as expiry + 1 day) both inclusive.
func withFilter(q string, f banban.Filter, alias string, args []any) (string, []any) {
	var b strings.Builder
	param := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		fmt.Fprintf(&b, " AND %s.kind = ANY(%s::text[])", alias, param(kinds))
	}
	if f.Region != "" {
		fmt.Fprintf(&b, " AND %s.region = %s", alias, param(f.Region))
	}
	if f.Department != "" {
		fmt.Fprintf(&b, " AND %s.department = %s", alias, param(f.Department))
	}
	if len(f.DocIDs) > 0 {
		col := alias + ".doc_id"
		if alias == "d" {
			col = "d.id"
		}
		fmt.Fprintf(&b, " AND %s = ANY(%s::text[])", col, param(f.DocIDs))
	}
	if !f.At.IsZero() {
		at := param(f.At)
		fmt.Fprintf(&b, " AND (%[1]s.effective IS NULL OR %[1]s.effective <= %[2]s)"+
			" AND (%[1]s.valid_until IS NULL OR %[1]s.valid_until > %[2]s)", alias, at)
	}
	if !strings.Contains(q, filterMarker) {
		panic("postgres: query without a filter marker")
	}
	return strings.Replace(q, filterMarker, b.String(), 1), args
}

// noFilter reports whether f lets every chunk through.
func noFilter(f banban.Filter) bool {
	return len(f.Kinds) == 0 && f.Region == "" && f.Department == "" && len(f.DocIDs) == 0 && f.At.IsZero()
}

// nullTime stores a zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// validUntil is the first instant after an expiry date, the whole day being
// valid: what banban's validity check compares with. NULL for no expiry.
func validUntil(expires time.Time) *time.Time {
	if expires.IsZero() {
		return nil
	}
	t := expires.AddDate(0, 0, 1)
	return &t
}
