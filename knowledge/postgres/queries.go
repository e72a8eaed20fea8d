package postgres

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed queries.sql
var queriesSQL string

// queries maps each query name of queries.sql to its text.
var queries = parseQueries(queriesSQL)

// parseQueries splits a file of queries, each starting with a line
// "-- name: <name>", into a map from name to query.
func parseQueries(src string) map[string]string {
	out := make(map[string]string)
	var name string
	var body strings.Builder
	flush := func() {
		if name != "" {
			out[name] = strings.TrimSpace(body.String())
		}
		body.Reset()
	}
	for line := range strings.Lines(src) {
		if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
			flush()
			name = strings.TrimSpace(n)
			continue
		}
		body.WriteString(line)
	}
	flush()
	return out
}

// query returns the named query; a missing name is a programming error.
func query(name string) string {
	q, ok := queries[name]
	if !ok {
		panic(fmt.Sprintf("postgres: no query %q in queries.sql", name))
	}
	return q
}
