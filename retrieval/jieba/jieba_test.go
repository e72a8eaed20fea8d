package jieba

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestNewMissingDictionaryFile(t *testing.T) {
	files := []string{mainDictFile, hmmModelFile, idfFile, stopWordsFile}
	for _, missing := range files {
		t.Run(missing, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range files {
				if f != missing {
					writeFile(t, filepath.Join(dir, f), "")
				}
			}
			tok, err := New(Config{DictDir: dir})
			if err == nil {
				tok.Close()
				t.Fatalf("New with %s missing: got no error", missing)
			}
			if !strings.Contains(err.Error(), missing) || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("New with %s missing: got %v, want an fs.ErrNotExist naming the file", missing, err)
			}
		})
	}
}

func TestNewBadDataFiles(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"duplicate synonym", Config{Synonyms: "testdata/synonyms_dup.txt"}, "line 3"},
		{"one-term group", Config{Synonyms: "testdata/synonyms_single.txt"}, "at least two terms"},
		{"bad frequency", Config{UserDict: "testdata/user_badfreq.dict"}, "not positive"},
		{"too many fields", Config{UserDict: "testdata/user_fields.dict"}, "fields"},
		{"missing synonym file", Config{Synonyms: "testdata/nonexistent.txt"}, "nonexistent.txt"},
		{"missing user dictionary", Config{UserDict: "testdata/nonexistent.dict"}, "nonexistent.dict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := New(tt.cfg)
			if err == nil {
				tok.Close()
				t.Fatalf("New(%+v): got no error, want one containing %q", tt.cfg, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New(%+v) = %v, want an error containing %q", tt.cfg, err, tt.wantErr)
			}
		})
	}
}

func TestCustomDataFilesAndClose(t *testing.T) {
	tok, err := New(Config{UserDict: "testdata/user.dict", Synonyms: "testdata/synonyms.txt"})
	if err != nil {
		t.Fatalf("New with custom files: %v", err)
	}
	tests := []struct {
		name, text, want string
	}{
		{"custom user word", "用粤省事预约", "粤省事"},
		{"custom synonym", "可以代理办理吗", "帮办"},
	}
	for _, tt := range tests {
		if got := tok.Terms(tt.text); !slices.Contains(got, tt.want) {
			t.Errorf("%s: Terms(%q) = %v, missing %q", tt.name, tt.text, got, tt.want)
		}
	}
	// The embedded table is replaced, not extended.
	if got := tok.Terms("社保卡"); slices.Contains(got, "社会保障卡") {
		t.Errorf("Terms(社保卡) = %v with a custom table, want no embedded synonym", got)
	}
	tok.Close()
	tok.Close() // a second Close is harmless
	if got := tok.Terms("社保卡"); got != nil {
		t.Errorf("Terms after Close = %v, want nil", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	tok := newShared(t)
	texts := []string{
		"我想开个小饭馆需要办什么证", "社會保障卡遺失了怎麼補辦", "灵活就业人员怎么交养老保险",
		"港澳通行证签注多少钱", "新生儿出生医学证明在哪里办", "咨询电话：020-12345",
	}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = tok.Terms(s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 40 {
				i := (g + n) % len(texts)
				if got := tok.Terms(texts[i]); !slices.Equal(got, want[i]) {
					errs <- texts[i]
					return
				}
				tok.Words(texts[i])
				tok.IDF("社会")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Errorf("concurrent Terms(%q) differs from the sequential result", s)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
