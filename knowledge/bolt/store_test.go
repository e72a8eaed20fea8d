package bolt

import (
	"path/filepath"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	st, err := Open(filepath.Join(t.TempDir(), "kb.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return st
}

func TestStore(t *testing.T) {
	storetest.RunStoreTests(t, func(t *testing.T) banban.Store { return openTemp(t) })
}
