package postgres

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/pgvector/pgvector-go"
)

// PostgreSQL's limits on a tsvector: a lexeme of at most 2047 bytes, 256
// positions per lexeme, positions up to 16383, at most 1 MiB of lexemes in
// all.
const (
	maxLexemeBytes = 2047
	maxPositions   = 256
	maxPosition    = 1<<14 - 1
	maxLexemeTotal = 1<<20 - 1
)

// lexeme is the tsvector lexeme of a term: the term itself, or for a term
// too long for a lexeme or holding the tier separator, a digest of it
// (queries map terms the same way).
func lexeme(term string) string {
	if len(term) <= maxLexemeBytes-4 && !strings.Contains(term, tierSep) {
		return term
	}
	sum := sha256.Sum256([]byte(term))
	return "\x7fsha256:" + hex.EncodeToString(sum[:])
}

// termFreqs counts the lexemes of a chunk's non-empty terms, in byte order
// (PostgreSQL's lexeme order), and returns the number of non-empty terms,
// BM25's length of the chunk.
func termFreqs(terms []string) (lex []string, tf []int, length int) {
	all := make([]string, 0, len(terms))
	for _, t := range terms {
		if t != "" {
			all = append(all, lexeme(t))
		}
	}
	slices.Sort(all)
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j] == all[i] {
			j++
		}
		lex, tf = append(lex, all[i]), append(tf, j-i)
		i = j
	}
	return lex, tf, len(all)
}

// chunkTerms is what keyword search keeps of a chunk.
type chunkTerms struct {
	meta   []any // doc_id, pos, kind, region, department, effective, valid_until
	lex    []string
	tf     []int
	length int
}

// tsvector builds the chunk's tsvector for a store whose tiers use the
// average length avg: each lexeme with its frequency as positions (see
// positions), then a tier lexeme for each lexeme at tier 1 or more. It
// calls stat with each lexeme a term's weight counts under (the term's own
// at tier 0, else its tier lexeme) and the term's saturation.
func (c *chunkTerms) tsvector(avg float64, stat func(lex string, s float64)) pgtype.TSVector {
	words := make([]pgtype.TSVectorLexeme, 0, len(c.lex)+len(c.lex)/4)
	for i, l := range c.lex {
		words = append(words, pgtype.TSVectorLexeme{Word: l, Positions: positions(c.tf[i])})
		s := saturation(c.tf[i], c.length, avg)
		t := tierOf(s)
		if t == 0 {
			stat(l, s)
			continue
		}
		tl := tierLexeme(l, t)
		words = append(words, pgtype.TSVectorLexeme{Word: tl})
		stat(l, 0)
		stat(tl, s)
	}
	slices.SortFunc(words, func(a, b pgtype.TSVectorLexeme) int { return strings.Compare(a.Word, b.Word) })
	return pgtype.TSVector{Lexemes: words, Valid: true}
}

// positions encodes a term frequency as tsvector positions: 1..tf, the
// last position being the frequency. PostgreSQL keeps 256 positions of a
// lexeme, so a frequency over 256 is 1..255 and the frequency itself (up to
// 16383, the largest position).
func positions(tf int) []pgtype.TSVectorPosition {
	pos := make([]pgtype.TSVectorPosition, min(tf, maxPositions))
	for p := range pos {
		pos[p] = pgtype.TSVectorPosition{Position: uint16(p + 1)}
	}
	if tf > maxPositions {
		pos[len(pos)-1].Position = uint16(min(tf, maxPosition))
	}
	return pos
}

// batch is a Put made ready for the database before its transaction
// starts, so that the writer lock is held only to write. The keyword rows
// wait for the transaction: their tiers depend on the store's tier average.
type batch struct {
	ids      []string // documents written, in order
	docs     [][]any
	names    [][]any
	chunks   [][]any
	terms    []chunkTerms
	sources  [3][]string // path, doc id, hash, a path once
	nChunks  int64
	totalLen int64
}

var (
	docColumns   = []string{"id", "kind", "region", "department", "effective", "valid_until", "body"}
	nameColumns  = []string{"doc_id", "pos", "name"}
	chunkColumns = []string{"doc_id", "pos", "ordinal", "id", "kind", "region", "department",
		"effective", "expires", "valid_until", "title", "section", "body", "terms", "embedding"}
	termColumns = []string{"doc_id", "pos", "kind", "region", "department", "effective", "valid_until",
		"length", "tsv"}
)

// newBatch turns valid entries into rows. A document given more than once
// is written once, as its last entry, which is what writing them one after
// another would leave.
func newBatch(entries []banban.Entry) (*batch, error) {
	last := make(map[string]int, len(entries))
	for i := range entries {
		last[entries[i].Doc.ID] = i
	}
	b := &batch{}
	srcAt := make(map[string]int)
	for i := range entries {
		e := &entries[i]
		if last[e.Doc.ID] != i {
			continue
		}
		if err := b.add(e); err != nil {
			return nil, err
		}
		if p := e.Doc.Source; p != "" {
			if j, ok := srcAt[p]; ok {
				b.sources[1][j], b.sources[2][j] = e.Doc.ID, e.Doc.Hash
				continue
			}
			srcAt[p] = len(b.sources[0])
			b.sources[0] = append(b.sources[0], p)
			b.sources[1] = append(b.sources[1], e.Doc.ID)
			b.sources[2] = append(b.sources[2], e.Doc.Hash)
		}
	}
	return b, nil
}

func (b *batch) add(e *banban.Entry) error {
	d := &e.Doc
	body, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("postgres: encode document %q: %w", d.ID, err)
	}
	b.ids = append(b.ids, d.ID)
	b.docs = append(b.docs, []any{d.ID, string(d.Kind), d.Region, d.Department,
		nullTime(d.Effective), validUntil(d.Expires), string(body)})
	pos := 0
	for _, n := range e.Names {
		if n != "" {
			b.names = append(b.names, []any{d.ID, pos, n})
			pos++
		}
	}
	for p := range e.Chunks {
		if err := b.addChunk(p, &e.Chunks[p]); err != nil {
			return err
		}
	}
	return nil
}

func (b *batch) addChunk(pos int, c *banban.Chunk) error {
	lex, tf, length := termFreqs(c.Terms)
	total := 0
	for _, l := range lex {
		total += len(l) + len(tierSep) + 1
	}
	if total > maxLexemeTotal {
		return banban.Errorf(banban.ETOOLARGE, "片段 %s 的检索词过多，超出数据库的限制", c.ID)
	}
	terms := c.Terms
	if terms == nil {
		terms = []string{}
	}
	eff, until := nullTime(c.Effective), validUntil(c.Expires)
	b.chunks = append(b.chunks, []any{c.DocID, pos, c.Ordinal, c.ID, string(c.Kind), c.Region, c.Department,
		eff, nullTime(c.Expires), until, c.Title, c.Section, c.Text, terms, pgvector.NewVector(c.Vector)})
	b.terms = append(b.terms, chunkTerms{
		meta: []any{c.DocID, pos, string(c.Kind), c.Region, c.Department, eff, until},
		lex:  lex, tf: tf, length: length,
	})
	b.nChunks++
	b.totalLen += int64(length)
	return nil
}

// average is the average length of the batch's chunks, the tier average of
// a store that holds no chunks before it.
func (b *batch) average() float64 {
	if b.totalLen == 0 {
		return 1
	}
	return float64(b.totalLen) / float64(b.nChunks)
}

// termStat is what a batch adds to a lexeme's statistics.
type termStat struct {
	df   int64
	smax float64
}

// termRows returns the chunk_terms rows for tier average avg, and the
// statistics of their lexemes (terms and tiers) as parallel arrays, for
// update_term_stats.
func (b *batch) termRows(avg float64) (rows [][]any, lex []string, df []int64, smax []float64) {
	rows = make([][]any, len(b.terms))
	stats := make(map[string]*termStat)
	stat := func(l string, s float64) {
		st := stats[l]
		if st == nil {
			st = &termStat{}
			stats[l] = st
		}
		st.df++
		st.smax = max(st.smax, s)
	}
	for i := range b.terms {
		c := &b.terms[i]
		rows[i] = append(slices.Clone(c.meta), c.length, c.tsvector(avg, stat))
	}
	for l, st := range stats {
		lex, df, smax = append(lex, l), append(df, st.df), append(smax, st.smax)
	}
	return rows, lex, df, smax
}

// checkEntries checks entries the way the embedded store does, in the same
// order, and returns the vector dimension of the batch: dim when the store
// has one, else that of the first vector.
func checkEntries(entries []banban.Entry, dim int) (int, error) {
	for i := range entries {
		e := &entries[i]
		if err := checkDocID(e.Doc.ID); err != nil {
			return 0, err
		}
		for j := range e.Chunks {
			c := &e.Chunks[j]
			if c.DocID != e.Doc.ID {
				return 0, banban.Errorf(banban.EINVALID, "片段 %s 不属于文档 %s", c.ID, e.Doc.ID)
			}
			if dim == 0 && len(c.Vector) == 0 {
				return 0, banban.Errorf(banban.EINVALID, "片段 %s 没有向量", c.ID)
			}
			if dim == 0 {
				dim = len(c.Vector)
			}
			if len(c.Vector) != dim {
				return 0, banban.Errorf(banban.ECONFLICT, "片段 %s 的向量为 %d 维，与索引的 %d 维不一致", c.ID, len(c.Vector), dim)
			}
			if slices.ContainsFunc(c.Terms, hasNUL) {
				return 0, banban.Errorf(banban.EINVALID, "片段 %s 的检索词含有空字符", c.ID)
			}
		}
	}
	return dim, nil
}

func checkDocID(id string) error {
	if id == "" {
		return banban.Errorf(banban.EINVALID, "文档缺少编号")
	}
	if hasNUL(id) {
		return banban.Errorf(banban.EINVALID, "文档编号 %q 含有非法字符", id)
	}
	return nil
}

func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// eachLexeme calls fn with each lexeme that has positions (each term's; a
// tier lexeme has none) of a tsvector in PostgreSQL's binary format, and
// its frequency: a count, then for each lexeme its text, a NUL, its number
// of positions and the positions, the last being the frequency (see
// positions).
func eachLexeme(b []byte, fn func(word []byte, tf int)) error {
	if len(b) < 4 {
		return errBadRow
	}
	n := int(binary.BigEndian.Uint32(b))
	b = b[4:]
	for range n {
		end := bytes.IndexByte(b, 0)
		if end < 0 || len(b) < end+3 {
			return errBadRow
		}
		word := b[:end]
		npos := int(binary.BigEndian.Uint16(b[end+1:]))
		b = b[end+3:]
		if len(b) < 2*npos {
			return errBadRow
		}
		if npos > 0 {
			fn(word, int(binary.BigEndian.Uint16(b[2*npos-2:])&maxPosition))
		}
		b = b[2*npos:]
	}
	return nil
}
