package knowledge

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"

	"github.com/banban-gov/banban"
)

// Indexer fills in the Terms and Vector of a document's chunks and returns
// its store entry. *retrieval.Indexer implements it.
type Indexer interface {
	Index(ctx context.Context, doc banban.Document, chunks []banban.Chunk) (banban.Entry, error)
}

// Importer imports a knowledge-base directory into a Store.
type Importer struct {
	Store   banban.Store
	Indexer Indexer
	Segment SegmentOptions
	// MaxFileSize is the largest file imported; DefaultMaxFileSize when zero.
	MaxFileSize int64
	// BatchSize is the number of documents per Store.Put call; 64 when zero.
	BatchSize int
	// BulkIntoEmpty sends every document in one Store.Put when the store
	// holds no imported file yet, so that a store able to build its search
	// indexes at once for a large write (the PostgreSQL store with
	// BulkImport) does: a first import is then several times faster, and
	// all or nothing. Every document is held in memory until the Put.
	BulkIntoEmpty bool
	// Force re-imports files whose content has not changed, as needed after
	// a change of segmenter or indexer.
	Force bool
	// Logger receives one line per failed file and a summary; may be nil.
	Logger *slog.Logger
}

// DefaultBatchSize is the number of documents per Store.Put call when
// Importer.BatchSize is zero.
const DefaultBatchSize = 64

// Report counts what an import did.
type Report struct {
	// Files is the number of knowledge-base files found.
	Files int
	// Imported files were new or changed and are now stored; Unchanged ones
	// were skipped because the store holds their current content.
	Imported, Unchanged int
	// Removed counts documents deleted because their file is gone.
	Removed int
	// Chunks is the number of chunks of the imported documents.
	Chunks int
	// Errors lists the files that could not be imported, in file order.
	Errors []FileError
}

// FileError is a file that could not be imported and why. Err is usually a
// *banban.Error whose message an editor can act on.
type FileError struct {
	Path string
	Err  error
}

func (e FileError) Error() string { return e.Path + ": " + e.Err.Error() }

func (e FileError) Unwrap() error { return e.Err }

// Import imports the knowledge-base files under fsys. Files whose source and
// content hash the store already has are skipped; the others are parsed,
// segmented, indexed and stored in batches. With prune, documents whose
// source file is gone are deleted. A file that cannot be parsed or indexed
// is listed in Report.Errors, the store keeps what it had for it, and the
// import goes on. A cancelled context or a store failure stops the import
// with an error; documents already stored stay.
func (im *Importer) Import(ctx context.Context, fsys fs.FS, prune bool) (rep Report, err error) {
	defer func() { sortErrors(rep.Errors) }()
	files, err := Files(fsys)
	if err != nil {
		return rep, banban.WrapError(banban.EINVALID, err, "无法读取知识库目录")
	}
	rep.Files = len(files)
	known, err := im.Store.Sources(ctx)
	if err != nil {
		return rep, fmt.Errorf("import: read sources: %w", err)
	}
	if err := newImportRun(im, &rep, known, files).run(ctx, fsys, files, prune); err != nil {
		return rep, err
	}
	im.logger().Info("knowledge import done", slog.Int("files", rep.Files), slog.Int("imported", rep.Imported),
		slog.Int("unchanged", rep.Unchanged), slog.Int("removed", rep.Removed),
		slog.Int("chunks", rep.Chunks), slog.Int("errors", len(rep.Errors)))
	return rep, nil
}

// sortErrors puts file errors in file order: parse errors are found in the
// first pass and index errors in the second.
func sortErrors(errs []FileError) {
	slices.SortStableFunc(errs, func(a, b FileError) int { return strings.Compare(a.Path, b.Path) })
}

func (im *Importer) logger() *slog.Logger {
	if im.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return im.Logger
}
