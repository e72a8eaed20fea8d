// Package banban holds the domain of Banban, the government-services assistant:
// knowledge-base documents and their chunks, search hits, conversations, answers
// with their action and citations, and the seam interfaces (Store, Embedder,
// Tokenizer) that outside systems implement. It imports only the standard
// library; every adapter package depends on it, never the other way round.
package banban
