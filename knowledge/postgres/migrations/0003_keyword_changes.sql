-- Keyword search scores from an index each process keeps in memory
-- (memindex.go) and brings up to date from these tables. Every write counts
-- one more generation in corpus_stats and records the documents it changed
-- under it in doc_changes, in its own transaction: a process whose index is
-- of generation g reads again only the documents changed since g. Writers
-- keep the last 1,000 generations (memLogGenerations); an index older than
-- that is read again whole.
ALTER TABLE corpus_stats ADD COLUMN generation bigint NOT NULL DEFAULT 0;

CREATE TABLE doc_changes (
    generation bigint NOT NULL,
    doc_id     text COLLATE "C" NOT NULL
);
CREATE INDEX doc_changes_generation ON doc_changes (generation);

-- Writes look up and update thousands of term_stats rows at a time: compared
-- byte by byte ("C"), their terms sort several times faster than by the
-- database's collation, and any order serves.
ALTER TABLE term_stats ALTER COLUMN term SET DATA TYPE text COLLATE "C";
