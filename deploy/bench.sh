#!/usr/bin/env bash
# The project's benchmarks: speed and memory goals are checked here, never by
# timed tests. CHUNKS sets the synthetic store size (default 100,000).
set -euo pipefail
cd "$(dirname "$0")/.."
chunks="${CHUNKS:-100000}"
go test -run '^$' -bench 'BenchmarkImport' -benchtime 1x ./retrieval/ -args -bench.chunks "$chunks"
go test -run '^$' -bench 'BenchmarkHybridQuery' -benchtime "${QUERIES:-1000}x" ./retrieval/ -args -bench.chunks "$chunks"
go test -run '^$' -bench BenchmarkTurn -benchtime 2000x ./bot/
go test -run '^$' -bench . -benchtime 1x ./knowledge/bolt/
# The web chat under load: 200 concurrent conversations over loopback, without an LLM, on both stores
# (PostgreSQL needs DATABASE_URL; deploy/testdb.sh start prints it).
go test -run '^$' -bench BenchmarkChatLoad -benchtime "${TURNS:-6000}x" ./cmd/banban/
# The PostgreSQL store, when DATABASE_URL names a test database (deploy/testdb.sh
# start prints it): built once through Put into a schema of its own, which the
# later runs reuse and the last drops. Recall is measured before re-imports.
if [ -n "${DATABASE_URL:-}" ]; then
  pg=./knowledge/postgres/
  export BANBAN_BENCH_SCHEMA="banban_bench_$$"
  trap 'BANBAN_BENCH_DROP=1 go test -count=1 -run "^$" "$pg" >/dev/null' EXIT
  go test -run '^$' -bench '^Benchmark(Import|Recall)$' -benchtime 1x -timeout 60m "$pg" -args -bench.chunks "$chunks"
  go test -run '^$' -bench '^BenchmarkPut$' -benchtime 20x -timeout 60m "$pg" -args -bench.chunks "$chunks"
  go test -run '^$' -bench 'Search|Budget|MatchNames' -benchtime "${QUERIES:-1000}x" -timeout 60m "$pg" -args -bench.chunks "$chunks"
  go test -run '^$' -bench 'MemIndexLoad|BulkImport' -benchtime 1x -timeout 60m "$pg" -args -bench.chunks "$chunks"
fi
