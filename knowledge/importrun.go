package knowledge

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"math"

	"github.com/banban-gov/banban"
)

// importRun is the state of one Import call. It works in two passes: the
// first reads and parses every new or changed file, so that document ids are
// known for all files before anything is written (two files may swap ids);
// the second indexes and stores them.
type importRun struct {
	im      *Importer
	rep     *Report
	known   map[string]banban.SourceInfo // what the store held before
	present map[string]bool              // files found now
	owners  map[string]string            // document id -> file that defines it now
	parsed  []banban.Document            // new or changed documents, in file order
	batch   []banban.Entry
	stale   []string // old ids of batched documents whose id changed
	bulk    bool     // one Put for every document (Importer.BulkIntoEmpty)
}

func newImportRun(im *Importer, rep *Report, known map[string]banban.SourceInfo, files []string) *importRun {
	r := &importRun{im: im, rep: rep, known: known, present: map[string]bool{}, owners: map[string]string{},
		bulk: im.BulkIntoEmpty && len(known) == 0}
	for _, p := range files {
		r.present[p] = true
	}
	return r
}

// run reads all files, then stores the new and changed ones, then prunes.
func (r *importRun) run(ctx context.Context, fsys fs.FS, files []string, prune bool) error {
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.read(fsys, p)
	}
	r.claim()
	for _, doc := range r.parsed {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.store(ctx, doc); err != nil {
			return err
		}
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	if prune {
		return r.prune(ctx)
	}
	return nil
}

// read parses one file if it is new or changed. A problem with the file
// goes into the report.
func (r *importRun) read(fsys fs.FS, p string) {
	old, wasKnown := r.known[p]
	src, err := readSource(fsys, p, r.im.MaxFileSize)
	if err == nil && wasKnown && old.Hash == src.hash && !r.im.Force {
		r.rep.Unchanged++
		r.owners[old.DocID] = p
		return
	}
	var doc banban.Document
	if err == nil {
		doc, err = parseSource(src)
	}
	if err != nil {
		r.fail(p, err)
		if wasKnown {
			r.owners[old.DocID] = p // what is stored for it stays
		}
		return
	}
	r.parsed = append(r.parsed, doc)
}

// claim assigns each parsed document's id to its file, refusing an id that
// another file already defines.
func (r *importRun) claim() {
	docs := r.parsed
	r.parsed = r.parsed[:0]
	for _, doc := range docs {
		if owner, ok := r.owners[doc.ID]; ok && owner != doc.Source {
			r.fail(doc.Source, banban.Errorf(banban.EINVALID,
				"%s: id “%s” 与 %s 重复，请改用不同的 id", doc.Source, doc.ID, owner))
			continue
		}
		r.owners[doc.ID] = doc.Source
		r.parsed = append(r.parsed, doc)
	}
}

// store segments, indexes and batches one document. Only a context or store
// failure is returned.
func (r *importRun) store(ctx context.Context, doc banban.Document) error {
	entry, err := r.im.Indexer.Index(ctx, doc, Segment(doc, r.im.Segment))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.fail(doc.Source, fmt.Errorf("index %s: %w", doc.Source, err))
		return nil
	}
	if old, ok := r.known[doc.Source]; ok && old.DocID != doc.ID {
		if _, taken := r.owners[old.DocID]; !taken {
			r.stale = append(r.stale, old.DocID)
		}
	}
	r.batch = append(r.batch, entry)
	if len(r.batch) >= r.batchSize() {
		return r.flush(ctx)
	}
	return nil
}

func (r *importRun) batchSize() int {
	if r.bulk {
		return math.MaxInt
	}
	if r.im.BatchSize > 0 {
		return r.im.BatchSize
	}
	return DefaultBatchSize
}

func (r *importRun) fail(p string, err error) {
	r.rep.Errors = append(r.rep.Errors, FileError{Path: p, Err: err})
	r.im.logger().Warn("knowledge file not imported", slog.String("path", p), slog.Any("error", err))
}

// flush stores the pending batch, then deletes the old documents of the
// batch's files whose id changed, so a file never has two documents.
func (r *importRun) flush(ctx context.Context) error {
	if len(r.batch) == 0 {
		return nil
	}
	if r.bulk {
		r.im.logger().Info("knowledge bulk import: storing every document at once",
			slog.Int("documents", len(r.batch)))
	}
	if err := r.im.Store.Put(ctx, r.batch); err != nil {
		return fmt.Errorf("import: store %d documents: %w", len(r.batch), err)
	}
	for _, e := range r.batch {
		r.rep.Imported++
		r.rep.Chunks += len(e.Chunks)
	}
	r.batch = r.batch[:0]
	if len(r.stale) > 0 {
		if err := r.im.Store.Delete(ctx, r.stale...); err != nil {
			return fmt.Errorf("import: delete documents whose id changed: %w", err)
		}
		r.stale = nil
	}
	return nil
}

// prune deletes the documents whose file is gone, unless a present file
// defines the same id (a file moved with its id kept).
func (r *importRun) prune(ctx context.Context) error {
	var gone []string
	seen := map[string]bool{}
	for p, info := range r.known {
		if r.present[p] || seen[info.DocID] {
			continue
		}
		seen[info.DocID] = true
		if _, taken := r.owners[info.DocID]; !taken {
			gone = append(gone, info.DocID)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	if err := r.im.Store.Delete(ctx, gone...); err != nil {
		return fmt.Errorf("import: delete removed documents: %w", err)
	}
	r.rep.Removed = len(gone)
	return nil
}
