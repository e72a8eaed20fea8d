package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// Document returns one document by id.
func (s *Store) Document(ctx context.Context, id string) (banban.Document, error) {
	if err := s.start(ctx); err != nil {
		return banban.Document{}, err
	}
	var raw []byte
	err := s.pool.QueryRow(ctx, query("document"), id).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return banban.Document{}, notFound(id)
	}
	if err != nil {
		return banban.Document{}, s.fail(ctx, "read document", err)
	}
	var doc banban.Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return banban.Document{}, fmt.Errorf("postgres: decode document %q: %w", id, err)
	}
	return doc, nil
}

// Chunks returns a document's chunks in order, all of one version.
func (s *Store) Chunks(ctx context.Context, docID string) ([]banban.Chunk, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	rows, _ := s.pool.Query(ctx, query("chunks_of_document"), docID)
	chunks, found, err := collectDocChunks(rows)
	if err != nil {
		return nil, s.fail(ctx, "read chunks", err)
	}
	if !found {
		return nil, notFound(docID)
	}
	return chunks, nil
}

func notFound(id string) error {
	return banban.Errorf(banban.ENOTFOUND, "找不到文档 %s", id)
}

// chunkRow is a chunk as queries return it: the columns of chunks_of_document
// and the search queries, with NULLs for a document without chunks.
type chunkRow struct {
	docID, id, kind, region, department, title, section, body *string
	pos, ordinal                                              *int
	effective, expires                                        *time.Time
	terms                                                     []string
	vec                                                       *pgvector.Vector
}

// targets returns the scan targets, in column order; withVector adds the
// embedding.
func (r *chunkRow) targets(withVector bool) []any {
	t := []any{&r.docID, &r.pos, &r.ordinal, &r.id, &r.kind, &r.region, &r.department,
		&r.effective, &r.expires, &r.title, &r.section, &r.body, &r.terms}
	if withVector {
		t = append(t, &r.vec)
	}
	return t
}

// chunk converts a scanned row; ok is false for a row of NULLs.
func (r *chunkRow) chunk() (c banban.Chunk, pos int, ok bool) {
	if r.docID == nil {
		return c, 0, false
	}
	c = banban.Chunk{ID: *r.id, DocID: *r.docID, Ordinal: *r.ordinal, Kind: banban.Kind(*r.kind),
		Title: *r.title, Section: *r.section, Text: *r.body, Department: *r.department, Region: *r.region}
	if len(r.terms) > 0 {
		c.Terms = r.terms
	}
	if r.effective != nil {
		c.Effective = r.effective.UTC()
	}
	if r.expires != nil {
		c.Expires = r.expires.UTC()
	}
	if r.vec != nil {
		c.Vector = r.vec.Slice()
	}
	return c, *r.pos, true
}

// collectDocChunks reads chunks_of_document: no row means no document.
func collectDocChunks(rows pgx.Rows) ([]banban.Chunk, bool, error) {
	defer rows.Close()
	chunks := []banban.Chunk{}
	found := false
	for rows.Next() {
		found = true
		var r chunkRow
		if err := rows.Scan(r.targets(true)...); err != nil {
			return nil, false, err
		}
		if c, _, ok := r.chunk(); ok {
			chunks = append(chunks, c)
		}
	}
	return chunks, found, rows.Err()
}

// Sources maps each imported source path to its document id and hash.
func (s *Store) Sources(ctx context.Context) (map[string]banban.SourceInfo, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	rows, _ := s.pool.Query(ctx, query("sources"))
	out := make(map[string]banban.SourceInfo)
	var path string
	var info banban.SourceInfo
	_, err := pgx.ForEachRow(rows, []any{&path, &info.DocID, &info.Hash}, func() error {
		out[path] = info
		return nil
	})
	if err != nil {
		return nil, s.fail(ctx, "read sources", err)
	}
	return out, nil
}

// Stats counts documents and chunks.
func (s *Store) Stats(ctx context.Context) (banban.Stats, error) {
	if err := s.start(ctx); err != nil {
		return banban.Stats{}, err
	}
	var docs, chunks int64
	if err := s.pool.QueryRow(ctx, query("stats")).Scan(&docs, &chunks); err != nil {
		return banban.Stats{}, s.fail(ctx, "read stats", err)
	}
	return banban.Stats{Documents: int(docs), Chunks: int(chunks)}, nil
}
