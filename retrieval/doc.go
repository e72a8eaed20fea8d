// Package retrieval finds the knowledge-base chunks that answer a question.
// It turns text into terms and vectors the same way at import and at query
// time (Indexer, Searcher), runs the three searches a Store offers (dense
// vectors, BM25 over jieba terms, exact title and alias names) and fuses them
// with reciprocal rank fusion.
package retrieval
