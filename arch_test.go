package banban_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// adapters names, for each outside library, the only package that may import
// it: one package per outside system.
var adapters = map[string]string{
	"github.com/yanyiwu/gojieba":      "retrieval/jieba",
	"go.etcd.io/bbolt":                "knowledge/bolt",
	"github.com/tmc/langchaingo":      "bot/langchain",
	"github.com/jackc/pgx":            "knowledge/postgres",
	"github.com/pgvector/pgvector-go": "knowledge/postgres",
	"github.com/silenceper/wechat":    "channels/wechat",
	"github.com/go-resty/resty":       "channels/webhook",
	"github.com/sirupsen/logrus":      "channels/wechat", // the WeChat SDK's logger, held at warnings
	"github.com/chromedp":             "cmd/banban",      // the end-to-end browser tests
}

type goFile struct {
	dir     string // relative to the module root
	name    string
	imports []string
	hasDoc  bool
	test    bool
}

func parseTree(t *testing.T) []goFile {
	t.Helper()
	var files []goFile
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		gf := goFile{dir: filepath.ToSlash(filepath.Dir(path)), name: path, hasDoc: f.Doc != nil,
			test: strings.HasSuffix(path, "_test.go")}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			gf.imports = append(gf.imports, p)
		}
		files = append(files, gf)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestOutsideLibrariesStayInTheirAdapters(t *testing.T) {
	for _, f := range parseTree(t) {
		for _, im := range f.imports {
			for lib, owner := range adapters {
				if (im == lib || strings.HasPrefix(im, lib+"/")) && f.dir != owner {
					t.Errorf("%s imports %s; only %s may", f.name, im, owner)
				}
			}
		}
	}
}

func TestDomainImportsOnlyTheStandardLibrary(t *testing.T) {
	for _, f := range parseTree(t) {
		if f.dir != "." || f.test {
			continue
		}
		for _, im := range f.imports {
			if strings.Contains(strings.SplitN(im, "/", 2)[0], ".") {
				t.Errorf("%s imports %s; the domain package imports only the standard library", f.name, im)
			}
		}
	}
}

func TestEveryPackageHasADocComment(t *testing.T) {
	documented := map[string]bool{}
	seen := map[string]bool{}
	for _, f := range parseTree(t) {
		if f.test {
			continue
		}
		seen[f.dir] = true
		documented[f.dir] = documented[f.dir] || f.hasDoc
	}
	for dir := range seen {
		if !documented[dir] {
			t.Errorf("package in %s has no doc comment", dir)
		}
	}
	if _, err := os.Stat("go.mod"); err != nil {
		t.Fatalf("run from the module root: %v", err)
	}
}
