package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

// The pages, scripts and styles are compiled in, so one binary serves all.
//
//go:embed static
var staticFiles embed.FS

// Content-Security-Policy of the pages: no inline script or style, no
// outside origin. The chat page may be framed anywhere (the widget iframes
// it); the staff console nowhere.
const (
	cspChat  = cspFramable
	cspStaff = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)

// Cache policies: pages revalidate every time (cheap with the ETag); the
// widget and assets may be reused for a while, since their names carry no
// content hash.
const (
	cacheRevalidate = "no-cache"
	cacheAssets     = "public, max-age=300"
	cacheWidget     = "public, max-age=3600"
)

// asset is one embedded file with its ETag.
type asset struct {
	data []byte
	etag string
}

// assets holds every embedded file by its path under static/, read once.
var assets = loadAssets()

func loadAssets() map[string]asset {
	out := map[string]asset{}
	_ = fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[p[len("static/"):]] = asset{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return out
}

func pageRoutes(mux *http.ServeMux) {
	mux.Handle("GET /{$}", serveAsset("index.html", cacheRevalidate, cspChat))
	mux.Handle("GET /staff", serveAsset("staff.html", cacheRevalidate, cspStaff))
	mux.Handle("GET /widget.js", serveAsset("widget.js", cacheWidget, ""))
	mux.HandleFunc("GET /static/{file...}", func(w http.ResponseWriter, r *http.Request) {
		sendAsset(w, r, r.PathValue("file"), cacheAssets, "")
	})
}

func serveAsset(name, cache, csp string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sendAsset(w, r, name, cache, csp)
	})
}

// sendAsset serves an embedded file; http.ServeContent answers If-None-Match
// with 304 and sets the type from the name.
func sendAsset(w http.ResponseWriter, r *http.Request, name, cache, csp string) {
	a, ok := assets[path.Clean(name)]
	if !ok {
		http.Error(w, "404 未找到", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", cache)
	h.Set("ETag", a.etag)
	if csp != "" {
		h.Set("Content-Security-Policy", csp)
	}
	if csp == cspStaff {
		h.Set("X-Frame-Options", "DENY")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.data))
}
