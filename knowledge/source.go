package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/banban-gov/banban"
)

// DefaultMaxFileSize is the size limit used when none is given.
const DefaultMaxFileSize = 20 << 20

// sidecarSuffix ends the name of a metadata sidecar of a non-Markdown file.
const sidecarSuffix = ".meta.yaml"

// extensions maps the file extensions of FORMATS.md section 1 to their format.
var extensions = map[string]string{
	".md":       formatMarkdown,
	".markdown": formatMarkdown,
	".txt":      formatText,
	".html":     formatHTML,
	".htm":      formatHTML,
	".docx":     formatDOCX,
	".pdf":      formatPDF,
}

const (
	formatMarkdown = "markdown"
	formatText     = "text"
	formatHTML     = "html"
	formatDOCX     = "docx"
	formatPDF      = "pdf"
)

// formatOf returns the format of a file name, or "" when it is not a
// knowledge-base file.
func formatOf(name string) string {
	if strings.HasSuffix(strings.ToLower(name), sidecarSuffix) {
		return ""
	}
	return extensions[strings.ToLower(path.Ext(name))]
}

// Files lists the knowledge-base files under fsys, sorted: the Markdown, text,
// HTML, Word and PDF files, skipping sidecars (*.meta.yaml), hidden files and
// directories, and README.md at the root, which describes the directory
// rather than being part of it.
func Files(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.EqualFold(p, "README.md") || formatOf(p) == "" {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list knowledge files: %w", err)
	}
	sort.Strings(files)
	return files, nil
}

// source is the raw content of one knowledge-base file and its sidecar.
type source struct {
	path    string
	format  string
	data    []byte
	sidecar []byte // nil when there is none
	// sidecarPath is the sidecar's path, "" when there is none.
	sidecarPath string
	hash        string
}

// readSource reads a file and, for a non-Markdown file, its sidecar, refusing
// anything over maxSize before reading it.
func readSource(fsys fs.FS, p string, maxSize int64) (*source, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	src := &source{path: p, format: formatOf(p)}
	if src.format == "" {
		return nil, invalidf(p, "不支持的文件类型（支持 .md、.txt、.html、.docx、.pdf）")
	}
	data, err := readLimited(fsys, p, maxSize)
	if err != nil {
		return nil, err
	}
	src.data = data
	if src.format != formatMarkdown {
		if src.sidecarPath, src.sidecar, err = readSidecar(fsys, p, maxSize); err != nil {
			return nil, err
		}
	}
	h := sha256.New()
	h.Write(src.data)
	h.Write(src.sidecar)
	src.hash = hex.EncodeToString(h.Sum(nil))
	return src, nil
}

// sidecarNames returns the sidecar names tried for a file, in order:
// "a.pdf.meta.yaml", then "a.meta.yaml".
func sidecarNames(p string) []string {
	return []string{p + sidecarSuffix, strings.TrimSuffix(p, path.Ext(p)) + sidecarSuffix}
}

func readSidecar(fsys fs.FS, p string, maxSize int64) (string, []byte, error) {
	for _, name := range sidecarNames(p) {
		data, err := readLimited(fsys, name, maxSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return name, data, err
	}
	return "", nil, nil
}

// readLimited reads a whole file after checking its size with Stat, so that a
// 50 MB upload is refused without being read into memory. Missing files keep
// fs.ErrNotExist in their chain.
func readLimited(fsys fs.FS, p string, maxSize int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, err, "%s: 无法打开文件", p)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, err, "%s: 无法读取文件信息", p)
	}
	if info.IsDir() {
		return nil, invalidf(p, "这是一个目录，不是文件")
	}
	if info.Size() > maxSize {
		return nil, tooLarge(p, info.Size(), maxSize)
	}
	// The limit also guards against a file that grows after Stat.
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, err, "%s: 读取文件失败", p)
	}
	if int64(len(data)) > maxSize {
		return nil, tooLarge(p, int64(len(data)), maxSize)
	}
	return data, nil
}

func tooLarge(p string, size, maxSize int64) error {
	return banban.Errorf(banban.ETOOLARGE, "%s: 文件过大（%s），上限为 %s", p, humanSize(size), humanSize(maxSize))
}

// humanSize formats a byte count for an editor: "20 MB", "512 KB".
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3g KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// invalidf returns an EINVALID error whose message names the file.
func invalidf(p, format string, args ...any) *banban.Error {
	return banban.Errorf(banban.EINVALID, "%s: %s", p, fmt.Sprintf(format, args...))
}

// invalidWrap is invalidf keeping cause as the internal error.
func invalidWrap(p string, cause error, format string, args ...any) *banban.Error {
	return banban.WrapError(banban.EINVALID, cause, "%s: %s", p, fmt.Sprintf(format, args...))
}
