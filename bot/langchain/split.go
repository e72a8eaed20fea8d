package langchain

import (
	"github.com/tmc/langchaingo/textsplitter"

	"github.com/banban-gov/banban"
)

// chineseSeparators are tried in order, coarsest first. langchaingo's
// defaults (paragraph, line, space, character) find no spaces in Chinese
// and would cut mid-sentence; sentence and clause punctuation come first.
var chineseSeparators = []string{"\n\n", "\n", "。", "！", "？", "；", "，", " ", ""}

// SplitText cuts text into chunks of at most size characters (runes), each
// sharing up to overlap characters with the one before, with langchaingo's
// recursive character splitter: the naive chunking of the evaluation
// baseline. Separators at a chunk's edge are dropped. It returns EINVALID
// unless 0 <= overlap < size.
func SplitText(text string, size, overlap int) ([]string, error) {
	if size <= 0 || overlap < 0 || overlap >= size {
		return nil, banban.Errorf(banban.EINVALID, "分块参数无效：块大小 %d，重叠 %d。", size, overlap)
	}
	s := textsplitter.NewRecursiveCharacter(
		textsplitter.WithChunkSize(size),
		textsplitter.WithChunkOverlap(overlap),
		textsplitter.WithSeparators(chineseSeparators),
	)
	chunks, err := s.SplitText(text)
	if err != nil {
		return nil, banban.WrapError(banban.EINTERNAL, err, "文本分块失败。")
	}
	return chunks, nil
}
