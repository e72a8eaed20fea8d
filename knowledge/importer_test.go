package knowledge

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/banban-gov/banban"
)

// memStore is the smallest banban.Store the importer needs, kept in this
// test file: the real stores have their own conformance suite.
type memStore struct {
	docs   map[string]banban.Entry
	puts   int   // Put calls
	putErr error // returned by Put when set
	failAt int   // Put call number (1-based) that fails with putErr; 0 = every call
}

func newMemStore() *memStore { return &memStore{docs: map[string]banban.Entry{}} }

func (s *memStore) Put(ctx context.Context, entries []banban.Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.puts++
	if s.putErr != nil && (s.failAt == 0 || s.failAt == s.puts) {
		return s.putErr
	}
	for _, e := range entries {
		s.docs[e.Doc.ID] = e
	}
	return nil
}

func (s *memStore) Delete(ctx context.Context, ids ...string) error {
	for _, id := range ids {
		delete(s.docs, id)
	}
	return nil
}

func (s *memStore) Document(ctx context.Context, id string) (banban.Document, error) {
	e, ok := s.docs[id]
	if !ok {
		return banban.Document{}, banban.Errorf(banban.ENOTFOUND, "no document %s", id)
	}
	return e.Doc, nil
}

func (s *memStore) Chunks(ctx context.Context, id string) ([]banban.Chunk, error) {
	e, ok := s.docs[id]
	if !ok {
		return nil, banban.Errorf(banban.ENOTFOUND, "no document %s", id)
	}
	return e.Chunks, nil
}

func (s *memStore) Sources(ctx context.Context) (map[string]banban.SourceInfo, error) {
	out := map[string]banban.SourceInfo{}
	for _, e := range s.docs {
		out[e.Doc.Source] = banban.SourceInfo{DocID: e.Doc.ID, Hash: e.Doc.Hash}
	}
	return out, nil
}

func (s *memStore) VectorSearch(context.Context, []float32, int, banban.Filter) ([]banban.Hit, error) {
	return nil, nil
}

func (s *memStore) KeywordSearch(context.Context, []string, int, banban.Filter) ([]banban.Hit, error) {
	return nil, nil
}

func (s *memStore) MatchNames(context.Context, string, banban.Filter) ([]banban.NameMatch, error) {
	return nil, nil
}

func (s *memStore) IndexInfo(context.Context) (banban.IndexInfo, bool, error) {
	return banban.IndexInfo{}, false, nil
}

func (s *memStore) SetIndexInfo(context.Context, banban.IndexInfo) error { return nil }

func (s *memStore) Stats(context.Context) (banban.Stats, error) {
	st := banban.Stats{Documents: len(s.docs)}
	for _, e := range s.docs {
		st.Chunks += len(e.Chunks)
	}
	return st, nil
}

func (s *memStore) Close() error { return nil }

func (s *memStore) ids() []string { return slices.Sorted(maps.Keys(s.docs)) }

var _ banban.Store = (*memStore)(nil)

// spaceIndexer sets Terms by splitting chunk text on spaces; it fails for
// the documents named in fail.
type spaceIndexer struct {
	fail map[string]bool
}

func (ix spaceIndexer) Index(ctx context.Context, doc banban.Document, chunks []banban.Chunk) (banban.Entry, error) {
	if err := ctx.Err(); err != nil {
		return banban.Entry{}, err
	}
	if ix.fail[doc.ID] {
		return banban.Entry{}, errors.New("embedder down")
	}
	for i := range chunks {
		chunks[i].Terms = strings.Fields(chunks[i].Text)
	}
	return banban.Entry{Doc: doc, Chunks: chunks, Names: doc.Names()}, nil
}

// loadKB copies testdata/kb into a MapFS that tests can change.
func loadKB(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	src := os.DirFS("testdata/kb")
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		m[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// kbIDs are the document ids of testdata/kb.
var kbIDs = []string{
	"faq/housing-fund", "newborn", "policies/subsidy", "policies/traditional",
	"policies/work-permit", "residence-permit", "talent-policy",
}

func importOnce(t *testing.T, im *Importer, fsys fs.FS, prune bool) Report {
	t.Helper()
	rep, err := im.Import(context.Background(), fsys, prune)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return rep
}

func checkReport(t *testing.T, got Report, files, imported, unchanged, removed int, errPaths ...string) {
	t.Helper()
	var paths []string
	for _, e := range got.Errors {
		paths = append(paths, e.Path)
	}
	if got.Files != files || got.Imported != imported || got.Unchanged != unchanged || got.Removed != removed ||
		!slices.Equal(paths, errPaths) {
		t.Errorf("report = files %d imported %d unchanged %d removed %d errors %v (%v); want %d %d %d %d %v",
			got.Files, got.Imported, got.Unchanged, got.Removed, paths, got.Errors,
			files, imported, unchanged, removed, errPaths)
	}
}

func TestImportTestdata(t *testing.T) {
	store := newMemStore()
	im := &Importer{Store: store, Indexer: spaceIndexer{}, BatchSize: 3}
	rep := importOnce(t, im, os.DirFS("testdata/kb"), true)
	checkReport(t, rep, 7, 7, 0, 0)
	if got := store.ids(); !slices.Equal(got, kbIDs) {
		t.Errorf("stored ids = %v, want %v", got, kbIDs)
	}
	if store.puts != 3 {
		t.Errorf("Put calls = %d, want 3 (7 documents in batches of 3)", store.puts)
	}
	st, _ := store.Stats(context.Background())
	if rep.Chunks != st.Chunks || rep.Chunks == 0 {
		t.Errorf("report chunks = %d, store holds %d", rep.Chunks, st.Chunks)
	}
	e := store.docs["residence-permit"]
	if e.Doc.Source != "items/residence-permit.md" || len(e.Doc.Hash) != 64 {
		t.Errorf("stored source %q hash %q", e.Doc.Source, e.Doc.Hash)
	}
	if len(e.Chunks) == 0 || len(e.Chunks[0].Terms) == 0 {
		t.Errorf("chunks not indexed: %+v", e.Chunks)
	}

	rep = importOnce(t, im, os.DirFS("testdata/kb"), true)
	checkReport(t, rep, 7, 0, 7, 0)
	if store.puts != 3 {
		t.Errorf("unchanged import called Put: %d calls", store.puts)
	}
}

func mdFile(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

const (
	itemA  = "---\nid: a\nkind: item\ntitle: 事项甲\n---\n## 受理条件\n本市户籍居民。\n"
	faqB   = "---\nid: b\nkind: faq\n---\n## 怎么预约？\n在网上预约。\n"
	textC  = "示例政策\n第一条 本办法自公布之日起施行。\n"
	itemA2 = "---\nid: a\nkind: item\ntitle: 事项甲（修订）\n---\n## 受理条件\n本市居民。\n"
)

func baseKB() fstest.MapFS {
	return fstest.MapFS{"a.md": mdFile(itemA), "b.md": mdFile(faqB), "c.txt": mdFile(textC)}
}

func TestImportChanges(t *testing.T) {
	tests := []struct {
		name       string
		change     func(fstest.MapFS)
		failIndex  []string
		force      bool
		prune      bool
		files      int
		imported   int
		unchanged  int
		removed    int
		errPaths   []string
		wantIDs    []string
		wantSource map[string]string // doc id -> source
		wantTitle  map[string]string // doc id -> title
	}{
		{
			name:   "unchanged files are skipped",
			change: func(fstest.MapFS) {},
			files:  3, unchanged: 3, wantIDs: []string{"a", "b", "c"},
		},
		{
			name:   "changed file is imported again",
			change: func(m fstest.MapFS) { m["a.md"] = mdFile(itemA2) },
			files:  3, imported: 1, unchanged: 2, wantIDs: []string{"a", "b", "c"},
			wantTitle: map[string]string{"a": "事项甲（修订）"},
		},
		{
			name:   "new file is imported",
			change: func(m fstest.MapFS) { m["d.md"] = mdFile("---\nkind: faq\n---\n## 问\n答。\n") },
			files:  4, imported: 1, unchanged: 3, wantIDs: []string{"a", "b", "c", "d"},
		},
		{
			name:   "removed file is pruned",
			change: func(m fstest.MapFS) { delete(m, "c.txt") },
			prune:  true, files: 2, unchanged: 2, removed: 1, wantIDs: []string{"a", "b"},
		},
		{
			name:   "removed file stays without prune",
			change: func(m fstest.MapFS) { delete(m, "c.txt") },
			files:  2, unchanged: 2, wantIDs: []string{"a", "b", "c"},
		},
		{
			name:   "broken file keeps what is stored and is not pruned",
			change: func(m fstest.MapFS) { m["a.md"] = mdFile("---\nid: a\nkind: [\n---\n") },
			prune:  true, files: 3, unchanged: 2, errPaths: []string{"a.md"},
			wantIDs: []string{"a", "b", "c"}, wantTitle: map[string]string{"a": "事项甲"},
		},
		{
			name: "index failure is reported and the import goes on",
			change: func(m fstest.MapFS) {
				m["a.md"] = mdFile(itemA2)
				m["c.txt"] = mdFile(textC + "第二条 新增。\n")
			},
			failIndex: []string{"c"}, files: 3, imported: 1, unchanged: 1, errPaths: []string{"c.txt"},
			wantIDs: []string{"a", "b", "c"}, wantTitle: map[string]string{"a": "事项甲（修订）"},
		},
		{
			name: "duplicate id is refused",
			change: func(m fstest.MapFS) {
				m["d.md"] = mdFile(strings.Replace(itemA2, "title: 事项甲（修订）", "title: 冒名", 1))
			},
			files: 4, unchanged: 3, errPaths: []string{"d.md"},
			wantIDs: []string{"a", "b", "c"}, wantTitle: map[string]string{"a": "事项甲"},
		},
		{
			name:   "changed id replaces the old document",
			change: func(m fstest.MapFS) { m["a.md"] = mdFile(strings.Replace(itemA, "id: a", "id: a2", 1)) },
			files:  3, imported: 1, unchanged: 2, wantIDs: []string{"a2", "b", "c"},
		},
		{
			name: "moved file keeps its id",
			change: func(m fstest.MapFS) {
				m["sub/a.md"] = m["a.md"]
				delete(m, "a.md")
			},
			prune: true, files: 3, imported: 1, unchanged: 2, wantIDs: []string{"a", "b", "c"},
			wantSource: map[string]string{"a": "sub/a.md"},
		},
		{
			name: "two files swap ids",
			change: func(m fstest.MapFS) {
				m["a.md"] = mdFile(strings.Replace(itemA, "id: a", "id: b", 1))
				m["b.md"] = mdFile(strings.Replace(faqB, "id: b", "id: a", 1))
			},
			prune: true, files: 3, imported: 2, unchanged: 1, wantIDs: []string{"a", "b", "c"},
			wantSource: map[string]string{"a": "b.md", "b": "a.md"},
		},
		{
			name:   "force imports unchanged files",
			change: func(fstest.MapFS) {},
			force:  true, files: 3, imported: 3, wantIDs: []string{"a", "b", "c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newMemStore()
			fsys := baseKB()
			importOnce(t, &Importer{Store: store, Indexer: spaceIndexer{}}, fsys, false)

			tt.change(fsys)
			fail := map[string]bool{}
			for _, id := range tt.failIndex {
				fail[id] = true
			}
			im := &Importer{Store: store, Indexer: spaceIndexer{fail: fail}, Force: tt.force}
			rep := importOnce(t, im, fsys, tt.prune)
			checkReport(t, rep, tt.files, tt.imported, tt.unchanged, tt.removed, tt.errPaths...)
			if got := store.ids(); !slices.Equal(got, tt.wantIDs) {
				t.Errorf("stored ids = %v, want %v", got, tt.wantIDs)
			}
			for id, want := range tt.wantSource {
				if got := store.docs[id].Doc.Source; got != want {
					t.Errorf("source of %s = %q, want %q", id, got, want)
				}
			}
			for id, want := range tt.wantTitle {
				if got := store.docs[id].Doc.Title; got != want {
					t.Errorf("title of %s = %q, want %q", id, got, want)
				}
			}
		})
	}
}

func TestImportErrorsAreCoded(t *testing.T) {
	fsys := baseKB()
	fsys["bad.md"] = mdFile("---\nkind: item\n---\n")
	rep := importOnce(t, &Importer{Store: newMemStore(), Indexer: spaceIndexer{}}, fsys, false)
	if len(rep.Errors) != 1 {
		t.Fatalf("errors = %v, want one", rep.Errors)
	}
	e := rep.Errors[0]
	if e.Path != "bad.md" || banban.ErrorCode(e.Err) != banban.EINVALID ||
		!strings.HasPrefix(banban.ErrorMessage(e.Err), "bad.md: ") {
		t.Errorf("error = %q code %q message %q", e.Path, banban.ErrorCode(e.Err), banban.ErrorMessage(e.Err))
	}
	if banban.ErrorCode(e) != banban.EINVALID {
		t.Errorf("FileError does not unwrap to its code: %q", banban.ErrorCode(e))
	}
}

func TestImportCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store := newMemStore()
	im := &Importer{Store: store, Indexer: spaceIndexer{}}
	_, err := im.Import(ctx, baseKB(), true)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Import with a cancelled context = %v, want context.Canceled", err)
	}
	if len(store.docs) != 0 {
		t.Errorf("cancelled import stored %v", store.ids())
	}
}

func TestImportStoreFailure(t *testing.T) {
	store := newMemStore()
	store.putErr = banban.Errorf(banban.EUNAVAILABLE, "disk full")
	store.failAt = 2
	im := &Importer{Store: store, Indexer: spaceIndexer{}, BatchSize: 1}
	rep, err := im.Import(context.Background(), baseKB(), true)
	if banban.ErrorCode(err) != banban.EUNAVAILABLE {
		t.Fatalf("Import = %v, want the store's EUNAVAILABLE error", err)
	}
	if rep.Imported != 1 || !slices.Equal(store.ids(), []string{"a"}) {
		t.Errorf("after failure: imported %d, stored %v; want 1 and [a]", rep.Imported, store.ids())
	}
}

// TestImportBulkIntoEmpty sends a first import in one Put, and a later
// one in batches: only an empty store gets the whole knowledge base at once.
func TestImportBulkIntoEmpty(t *testing.T) {
	store := newMemStore()
	im := &Importer{Store: store, Indexer: spaceIndexer{}, BatchSize: 3, BulkIntoEmpty: true}
	rep := importOnce(t, im, os.DirFS("testdata/kb"), true)
	checkReport(t, rep, 7, 7, 0, 0)
	if store.puts != 1 {
		t.Errorf("first import: %d Put calls, want 1 for all 7 documents", store.puts)
	}
	im.Force = true
	rep = importOnce(t, im, os.DirFS("testdata/kb"), true)
	checkReport(t, rep, 7, 7, 0, 0)
	if store.puts != 1+3 {
		t.Errorf("import into a filled store: %d more Put calls, want 3 (batches of 3)", store.puts-1)
	}
}
