-- The knowledge base. Every table lives in the store's schema, which the
-- migration runner puts first on the search_path.
--
-- Identifiers that searches order by use the "C" collation, so that
-- PostgreSQL sorts them byte by byte, as Go compares strings: equal scores
-- rank by document id, then chunk position, in every store.
--
-- The chunks table has no embedding column yet: its type, vector(N), carries
-- the dimension, which is only known when the index info is first set (or
-- the first chunks are stored). The store adds the column and its HNSW
-- index then, and changes them only while no chunk is stored.

CREATE TABLE documents (
    id          text COLLATE "C" PRIMARY KEY,
    kind        text NOT NULL,
    region      text NOT NULL,
    department  text NOT NULL,
    effective   timestamptz,          -- NULL: no effective date
    valid_until timestamptz,          -- expiry date + 1 day; NULL: none
    body        json NOT NULL         -- the whole banban.Document
);

-- Normalised titles and aliases, in the entry's order: of two matching
-- names of equal length the earlier wins.
CREATE TABLE names (
    doc_id text COLLATE "C" NOT NULL,
    pos    int NOT NULL,
    name   text NOT NULL,
    PRIMARY KEY (doc_id, pos)
);
-- Name matching looks names up by the substrings of the query. A hash
-- index takes names of any length.
CREATE INDEX names_name ON names USING hash (name);

CREATE TABLE sources (
    path   text PRIMARY KEY,
    doc_id text COLLATE "C" NOT NULL,
    hash   text NOT NULL
);
CREATE INDEX sources_doc_id ON sources (doc_id);

-- One row per chunk, what Chunks returns and vector search ranks. pos is
-- the chunk's position in its entry, the tie breaker after the document id;
-- the copies of the document's metadata let searches filter without a join.
CREATE TABLE chunks (
    doc_id      text COLLATE "C" NOT NULL,
    pos         int NOT NULL,
    ordinal     int NOT NULL,
    id          text NOT NULL,
    kind        text NOT NULL,
    region      text NOT NULL,
    department  text NOT NULL,
    effective   timestamptz,
    expires     timestamptz,
    valid_until timestamptz,          -- expires + 1 day
    title       text NOT NULL,
    section     text NOT NULL,
    body        text NOT NULL,
    terms       text[] NOT NULL,      -- as given, for display and coverage
    PRIMARY KEY (doc_id, pos)
);

-- What keyword search reads of each chunk, apart from the rest so that its
-- rows are narrow: a search visits thousands of candidates, and narrow
-- rows mean fewer pages and a table that stays in the buffer cache.
-- tsv holds each distinct term with positions 1..tf (so the number of
-- positions is the term's frequency) and, for terms that weigh much in the
-- chunk, a score tier lexeme (see tiers.go).
CREATE TABLE chunk_terms (
    doc_id      text COLLATE "C" NOT NULL,
    pos         int NOT NULL,
    kind        text NOT NULL,
    region      text NOT NULL,
    department  text NOT NULL,
    effective   timestamptz,
    valid_until timestamptz,
    length      int NOT NULL,         -- non-empty terms: BM25's length
    tsv         tsvector NOT NULL,
    PRIMARY KEY (doc_id, pos)
);
ALTER TABLE chunk_terms ALTER COLUMN tsv SET STORAGE MAIN;
-- New entries go to a pending list that is merged into the index in bulk,
-- several times cheaper for an import than inserting each; searches scan
-- the list too, which a limit of 2 MB keeps short.
CREATE INDEX chunk_terms_tsv ON chunk_terms USING gin (tsv)
    WITH (fastupdate = on, gin_pending_list_limit = 2048);

-- BM25 statistics, kept by every write in the same transaction. A write
-- changes the df of thousands of terms: room on each page lets those
-- updates stay on the page (HOT), without touching the index.
CREATE TABLE term_stats (
    term text PRIMARY KEY,
    df   int NOT NULL,                -- chunks holding the term
    -- The highest saturation of the term in a chunk holding it at this
    -- lexeme's tier (tier 0 for a term's own lexeme), with the tier
    -- average; never lowered by a deletion, so always an upper bound.
    smax float8 NOT NULL DEFAULT 0
) WITH (fillfactor = 50);

CREATE TABLE corpus_stats (
    only_row  bool PRIMARY KEY DEFAULT true CHECK (only_row),
    documents bigint NOT NULL,
    chunks    bigint NOT NULL,
    total_len bigint NOT NULL,        -- sum of chunk_terms.length
    -- The average length the score tiers of the stored chunks were
    -- computed with; NULL while no chunk is stored.
    tier_avg  float8
);
INSERT INTO corpus_stats (documents, chunks, total_len) VALUES (0, 0, 0);

-- lz4 compresses long text several times faster than the default pglz; a
-- server built without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE documents ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE chunks ALTER COLUMN body SET COMPRESSION lz4,
        ALTER COLUMN terms SET COMPRESSION lz4;
    ALTER TABLE chunk_terms ALTER COLUMN tsv SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;

CREATE TABLE index_info (
    only_row   bool PRIMARY KEY DEFAULT true CHECK (only_row),
    embedder   text NOT NULL,
    dim        int NOT NULL,
    created_at timestamptz NOT NULL
);
