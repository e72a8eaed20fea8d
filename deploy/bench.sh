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
