package bolt

import (
	"cmp"
	"slices"
)

// scored is a slot with its score.
type scored struct {
	score float64
	slot  int32
}

// topK keeps the k best slots seen in a min-heap whose root is the worst.
type topK struct {
	x     *index
	k     int
	items []scored
}

func newTopK(x *index, k int) topK {
	return topK{x: x, k: k, items: make([]scored, 0, min(k, 1024))}
}

// worse orders scored slots by score, and equal scores by document id and
// position, so that ties rank the same whatever order chunks were
// imported in, and the same after reopening.
func (t *topK) worse(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return t.compareKeys(a.slot, b.slot) > 0
}

func (t *topK) compareKeys(a, b int32) int {
	sa, sb := &t.x.slots[a], &t.x.slots[b]
	if c := cmp.Compare(t.x.groups[sa.group].docID, t.x.groups[sb.group].docID); c != 0 {
		return c
	}
	return cmp.Compare(sa.pos, sb.pos)
}

func (t *topK) push(score float64, slot int32) {
	s := scored{score: score, slot: slot}
	if len(t.items) < t.k {
		t.items = append(t.items, s)
		t.up(len(t.items) - 1)
		return
	}
	if t.k == 0 || score < t.items[0].score || !t.worse(t.items[0], s) {
		return
	}
	t.items[0] = s
	t.down(0)
}

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.worse(t.items[i], t.items[p]) {
			return
		}
		t.items[i], t.items[p] = t.items[p], t.items[i]
		i = p
	}
}

func (t *topK) down(i int) {
	for {
		m, l, r := i, 2*i+1, 2*i+2
		if l < len(t.items) && t.worse(t.items[l], t.items[m]) {
			m = l
		}
		if r < len(t.items) && t.worse(t.items[r], t.items[m]) {
			m = r
		}
		if m == i {
			return
		}
		t.items[i], t.items[m] = t.items[m], t.items[i]
		i = m
	}
}

// best returns the kept slots, best first.
func (t *topK) best() []scored {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(a, b scored) int {
		switch {
		case t.worse(b, a):
			return -1
		case t.worse(a, b):
			return 1
		}
		return 0
	})
	return out
}
