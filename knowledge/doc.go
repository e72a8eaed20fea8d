// Package knowledge owns the knowledge-base directory of FORMATS.md section 1:
// it lists the files of a directory, parses each one (Markdown with front
// matter, and plain text, HTML, Word and PDF policies with an optional
// sidecar) into a banban.Document, splits documents into retrieval chunks by
// their structure, and imports a directory into a banban.Store, skipping
// files whose content has not changed.
//
// Every problem with a file is reported as a *banban.Error naming the file in
// Chinese, so that a content editor can fix it; one bad file never stops an
// import.
package knowledge
