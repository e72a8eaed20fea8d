// Package samplekb ships the sample knowledge base Banban loads on first
// start: item guides, 一件事 bundles, policies and FAQs for a fictional city
// (示例市), written by the Banban authors.
package samplekb

import (
	"embed"
	"io/fs"
)

//go:embed all:kb
var files embed.FS

// FS returns the sample knowledge base as a directory tree.
func FS() fs.FS {
	sub, err := fs.Sub(files, "kb")
	if err != nil {
		panic(err) // the embedded tree always has kb/
	}
	return sub
}
