// Package evals measures Banban against evaluation cases (FORMATS.md
// sections 2 and 3): it runs every case through an answerer, writes the
// results, and computes action accuracy, hit@1, hit@3, MRR, fact recall,
// strict pass rate and latency. It also holds the baseline a Go developer
// would assemble from langchaingo alone, run over the same cases so the two
// can be compared side by side.
package evals
