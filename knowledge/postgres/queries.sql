-- The store's queries, each under a "-- name:" line (see queries.go).
-- Search queries carry a /*filter*/ marker where the filter's conditions go
-- (see filter.go); {dim}, {m} and {ef_construction} are filled with numbers.

-- name: extension_installed
SELECT extversion, extnamespace::regnamespace::text FROM pg_extension WHERE extname = $1;

-- name: extension_available
SELECT default_version FROM pg_available_extensions WHERE name = $1;

-- name: create_extension
-- Outside the store's schema: an extension belongs to the whole database,
-- and dropping a store's schema must not drop it.
CREATE EXTENSION IF NOT EXISTS vector;

-- name: migrations_table
SELECT to_regclass(quote_ident($1) || '.schema_migrations') IS NOT NULL;

-- name: schema_version
SELECT coalesce(max(version), 0) FROM schema_migrations;

-- name: create_schema
-- The schema name is quoted by the caller.
CREATE SCHEMA IF NOT EXISTS {schema};

-- name: create_migrations_table
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    int PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- name: applied_migrations
SELECT version FROM schema_migrations;

-- name: record_migration
INSERT INTO schema_migrations (version, name) VALUES ($1, $2);

-- name: advisory_lock
SELECT pg_advisory_lock($1);

-- name: advisory_unlock
SELECT pg_advisory_unlock($1);

-- name: lock_writer
-- Writers of one schema take turns: the corpus statistics are read, changed
-- and written back. Readers never wait for it.
SELECT pg_advisory_xact_lock($1);

-- name: write_state
-- What a writer needs: the chunk count, the average length of the score
-- tiers, the recorded index info, and the dimension of the embedding column
-- (NULL when it has none).
SELECT s.chunks, s.tier_avg,
       i.embedder,
       i.dim,
       (SELECT a.atttypmod FROM pg_attribute a
         WHERE a.attrelid = 'chunks'::regclass AND a.attname = 'embedding' AND NOT a.attisdropped)
FROM corpus_stats s LEFT JOIN index_info i ON true;

-- name: add_embedding
-- MAIN storage keeps the vector in the row, where an exact scan reads it
-- without a TOAST lookup.
ALTER TABLE chunks ADD COLUMN embedding vector({dim}) NOT NULL,
    ALTER COLUMN embedding SET STORAGE MAIN;

-- name: change_embedding
-- Only while no chunk is stored. The index is dropped first: its
-- expression names the old dimension.
DROP INDEX IF EXISTS chunks_embedding;
ALTER TABLE chunks ALTER COLUMN embedding TYPE vector({dim});

-- name: create_hnsw
-- The index holds each vector normalised and in half precision: half the
-- size of float4 vectors, so inserts and searches touch half the pages, and
-- no overflow whatever the vector's scale. Cosine distance does not depend
-- on the scale, and searches rank the candidates again with the float4
-- vectors of the table.
CREATE INDEX IF NOT EXISTS chunks_embedding ON chunks
    USING hnsw ((l2_normalize(embedding)::halfvec({dim})) halfvec_cosine_ops)
    WITH (m = {m}, ef_construction = {ef_construction});

-- name: bulk_settings
-- For the transaction of a bulk Put (bulk.go): $1 bytes to build the HNSW
-- graph in, unless the server allows more already.
SELECT set_config('maintenance_work_mem',
    (greatest($1::bigint, pg_size_bytes(current_setting('maintenance_work_mem'))) / 1024)::text || 'kB', true);

-- name: drop_search_indexes
DROP INDEX IF EXISTS chunks_embedding, chunk_terms_tsv;

-- name: create_gin
-- The keyword index, as migration 0001 creates it.
CREATE INDEX chunk_terms_tsv ON chunk_terms USING gin (tsv)
    WITH (fastupdate = on, gin_pending_list_limit = 2048);

-- name: update_corpus_stats
-- Applies a write to the corpus counts: the documents $1 and their chunks
-- go, $2 documents with $3 chunks of total length $4 come, their score
-- tiers computed with the average length $5. Runs before the old rows are
-- deleted; returns the write's generation.
UPDATE corpus_stats SET
    documents = documents - (SELECT count(*) FROM documents WHERE id = ANY($1)) + $2,
    chunks    = chunks    - (SELECT count(*) FROM chunk_terms WHERE doc_id = ANY($1)) + $3,
    total_len = total_len - (SELECT coalesce(sum(length), 0) FROM chunk_terms WHERE doc_id = ANY($1)) + $4,
    tier_avg  = CASE WHEN chunks - (SELECT count(*) FROM chunk_terms WHERE doc_id = ANY($1)) + $3 = 0
                     THEN NULL ELSE $5::float8 END,
    generation = generation + 1
RETURNING generation;

-- name: log_changes
-- Records that the write of generation $1 changed the documents $2, and
-- forgets the generations older than the last $3 (see memindex.go).
WITH old AS (DELETE FROM doc_changes WHERE generation <= $1::bigint - $3::bigint)
INSERT INTO doc_changes (generation, doc_id) SELECT $1, unnest($2::text[]);

-- name: update_term_stats
-- Applies a write to the document frequencies (of terms and of tier
-- lexemes alike): the chunks of documents $1 go, $3[i] new chunks hold
-- lexeme $2[i], at a saturation of at most $4[i]. Rows are written in term
-- order, so that two writers could never deadlock on them. Runs before the
-- old rows are deleted; returns the terms no chunk holds any more.
-- tsvector_to_array gives the lexemes without building their positions;
-- a row whose df and smax stay is not written again.
WITH delta AS (
    SELECT term, sum(d)::int AS d, max(s) AS s FROM (
        SELECT l AS term, -count(*)::int AS d, 0::float8 AS s
          FROM chunk_terms c, unnest(tsvector_to_array(c.tsv)) l
         WHERE c.doc_id = ANY($1)
         GROUP BY l
        UNION ALL
        SELECT * FROM unnest($2::text[], $3::int[], $4::float8[])
    ) x
    GROUP BY term
    HAVING sum(d) <> 0 OR max(s) > 0
), changed AS (
    INSERT INTO term_stats AS t (term, df, smax)
    SELECT term, d, s FROM delta ORDER BY term COLLATE "C"
    ON CONFLICT (term) DO UPDATE SET df = t.df + excluded.df, smax = greatest(t.smax, excluded.smax)
    WHERE excluded.df <> 0 OR excluded.smax > t.smax
    RETURNING t.term, t.df
)
SELECT coalesce(array_agg(term), '{}') FROM changed WHERE df <= 0;

-- name: drop_unused_terms
DELETE FROM term_stats WHERE term = ANY($1) AND df <= 0;

-- name: delete_documents
WITH c AS (DELETE FROM chunks WHERE doc_id = ANY($1)),
     t AS (DELETE FROM chunk_terms WHERE doc_id = ANY($1)),
     n AS (DELETE FROM names WHERE doc_id = ANY($1)),
     s AS (DELETE FROM sources WHERE doc_id = ANY($1))
DELETE FROM documents WHERE id = ANY($1);

-- name: upsert_sources
-- A path imported again for another document now belongs to that one.
INSERT INTO sources AS s (path, doc_id, hash)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
ON CONFLICT (path) DO UPDATE SET doc_id = excluded.doc_id, hash = excluded.hash;

-- name: document
SELECT body FROM documents WHERE id = $1;

-- name: chunks_of_document
-- One statement, so one snapshot: never half of a re-imported document.
-- A document without chunks gives one row of NULLs.
SELECT c.doc_id, c.pos, c.ordinal, c.id, c.kind, c.region, c.department, c.effective, c.expires,
       c.title, c.section, c.body, c.terms, c.embedding::vector
FROM documents d LEFT JOIN chunks c ON c.doc_id = d.id
WHERE d.id = $1
ORDER BY c.pos;

-- name: sources
SELECT path, doc_id, hash FROM sources;

-- name: stats
SELECT documents, chunks FROM corpus_stats;

-- name: index_info
SELECT embedder, dim, created_at FROM index_info;

-- name: set_index_info
INSERT INTO index_info (embedder, dim, created_at) VALUES ($1, $2, $3)
ON CONFLICT (only_row) DO UPDATE SET embedder = excluded.embedder, dim = excluded.dim, created_at = excluded.created_at;

-- name: search_settings
-- For the transaction of one vector search. iterative_scan (pgvector 0.8)
-- keeps the HNSW scan going until enough rows pass the filter.
SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true);

-- name: vector_search
-- The HNSW index answers "ORDER BY <its expression> <=> $1 LIMIT n" when
-- the planner finds it cheaper. $1 is the unit query in half precision; the
-- rows may come slightly out of order (relaxed_order, half precision), and
-- the caller ranks them again by exact similarity.
SELECT c.doc_id, c.pos, c.ordinal, c.id, c.kind, c.region, c.department, c.effective, c.expires,
       c.title, c.section, c.body, c.terms, c.embedding::vector
FROM chunks c
WHERE true /*filter*/
ORDER BY l2_normalize(c.embedding)::halfvec({dim}) <=> $1::halfvec({dim})
LIMIT $2;

-- name: vector_search_exact
-- The same without the index: ordering by an expression the index does not
-- know makes the planner scan every row that passes the filter.
SELECT c.doc_id, c.pos, c.ordinal, c.id, c.kind, c.region, c.department, c.effective, c.expires,
       c.title, c.section, c.body, c.terms, c.embedding::vector
FROM chunks c
WHERE true /*filter*/
ORDER BY (c.embedding <=> $1) + 0, c.doc_id, c.pos
LIMIT $2;

-- name: vector_search_first
-- A zero query vector is equally far from everything: the first chunks in
-- (document id, position) order win, as in every store.
SELECT c.doc_id, c.pos, c.ordinal, c.id, c.kind, c.region, c.department, c.effective, c.expires,
       c.title, c.section, c.body, c.terms, c.embedding::vector
FROM chunks c
WHERE true /*filter*/
ORDER BY c.doc_id, c.pos
LIMIT $1;

-- name: begin_snapshot
-- A keyword search's transaction (see snapshot.go).
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- name: keyword_stats
-- The corpus counts and the document frequency and highest saturation of
-- each lexeme of $1 (the query's terms and their tier lexemes) that some
-- chunk holds; one row with a NULL term when none does. The table's oid
-- and the generation name the version of the store (see memindex.go).
SELECT s.chunks, s.total_len, s.tier_avg, s.tableoid::int8, s.generation, t.term, t.df, t.smax
FROM corpus_stats s LEFT JOIN term_stats t ON t.term = ANY($1) AND t.df > 0;

-- name: cache_key
-- The version of the store (see memindex.go) and its chunk count, for the
-- copy of a small store in memory (see chunkcache.go).
SELECT tableoid::int8, generation, chunks FROM corpus_stats;

-- name: cache_all
-- Every chunk, for the copy in memory.
SELECT c.doc_id, c.pos, c.ordinal, c.id, c.kind, c.region, c.department, c.effective, c.expires,
       c.title, c.section, c.body, c.terms, c.embedding::vector
FROM chunks c;

-- name: cache_docs
-- The chunks of the documents $1.
SELECT c.doc_id, c.pos, c.ordinal, c.id, c.kind, c.region, c.department, c.effective, c.expires,
       c.title, c.section, c.body, c.terms, c.embedding::vector
FROM chunks c
WHERE c.doc_id = ANY($1::text[]);

-- name: memindex_changes
-- The documents changed after generation $1 (see log_changes).
SELECT DISTINCT doc_id FROM doc_changes WHERE generation > $1;

-- name: memindex_all
-- What the in-memory keyword index holds of each chunk.
SELECT doc_id, pos, kind, region, department, effective, valid_until, length, tsv FROM chunk_terms;

-- name: memindex_docs
-- The same for the chunks of the documents $1.
SELECT doc_id, pos, kind, region, department, effective, valid_until, length, tsv FROM chunk_terms
WHERE doc_id = ANY($1::text[]);

-- name: keyword_candidates
-- The candidates of one pass of a keyword search: the chunks matching the
-- tsquery $2 (the GIN index finds them) and the filter, each with its
-- length and its tsvector cut down to the query's terms $1 (setweight marks
-- them, ts_filter keeps what is marked), from which the caller reads each
-- term's frequency and computes BM25.
SELECT t.doc_id, t.pos, t.length, ts_filter(setweight(t.tsv, 'A', $1::text[]), '{a}')
FROM chunk_terms t
WHERE t.tsv @@ $2::tsquery /*filter*/;

-- name: chunks_by_key
-- Chunks by document id and position, for the hits of a keyword search.
SELECT c.doc_id, c.pos, c.ordinal, c.id, c.kind, c.region, c.department, c.effective, c.expires,
       c.title, c.section, c.body, c.terms
FROM chunks c JOIN unnest($1::text[], $2::int[]) AS k(doc_id, pos)
  ON c.doc_id = k.doc_id AND c.pos = k.pos;

-- name: match_names
-- Every name of a document passing the filter that is one of the strings
-- $1, the substrings of the query; the caller keeps each document's
-- longest.
SELECT n.doc_id, n.pos, n.name
FROM names n JOIN documents d ON d.id = n.doc_id
WHERE n.name = ANY($1::text[]) /*filter*/;

-- name: match_names_scan
-- The same for a long query, by testing every name.
SELECT n.doc_id, n.pos, n.name
FROM names n JOIN documents d ON d.id = n.doc_id
WHERE strpos($1, n.name) > 0 /*filter*/;
