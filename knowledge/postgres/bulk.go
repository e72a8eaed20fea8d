package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// A bulk Put (Options.BulkImport) rebuilds the search indexes instead of
// adding each chunk to them. Adding a chunk to the HNSW index searches the
// graph for its neighbours and rewrites theirs, some 0.8 ms at 100,000
// chunks (m = 8); building the index over all chunks at once, in memory and
// with parallel workers, costs a fraction of that a chunk. The GIN index
// too is built faster at once than through its pending list. So a Put that
// brings at least as many chunks as the store holds drops both indexes,
// copies the rows, and builds them again, in its one transaction: readers
// see the old version until it commits, as ever, but DROP INDEX locks the
// tables exclusively, and every search (and Chunks) waits for the Put to
// commit. Hence an option, for imports into an empty or small store only.

// bulkMinChunks is the fewest chunks a Put rebuilds the indexes for.
const bulkMinChunks = 10_000

// bulkWorthIt reports whether a Put of n chunks into a store of stored
// chunks rebuilds the indexes: when it at least doubles the store, building
// costs less than adding.
func (s *Store) bulkWorthIt(n, stored int64) bool {
	return s.bulk && n >= bulkMinChunks && n >= stored
}

// writeBulk is writeBatch with the search indexes dropped before and built
// again after; dim is the vector dimension.
func writeBulk(ctx context.Context, tx pgx.Tx, b *batch, avg float64, dim int, stored int64) error {
	mem := bulkMemory(stored+b.nChunks, dim)
	if _, err := tx.Exec(ctx, query("bulk_settings"), mem); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, query("drop_search_indexes")); err != nil {
		return err
	}
	if err := writeBatch(ctx, tx, b, avg); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, query("create_gin")); err != nil {
		return fmt.Errorf("build the keyword index: %w", err)
	}
	if dim > maxIndexedDim {
		return nil
	}
	if _, err := tx.Exec(ctx, withDim("create_hnsw", dim)); err != nil {
		return fmt.Errorf("build the vector index: %w", err)
	}
	return nil
}

// bulkMemory is the maintenance_work_mem, in bytes, that lets the HNSW
// graph of n vectors of dimension dim be built in memory: the half-precision
// vector, the neighbour lists (2m on the ground layer, fewer above) and
// pgvector's bookkeeping, with room to spare. It is at most 2 GB; a graph
// that outgrows it is finished on disk, slower.
func bulkMemory(n int64, dim int) int64 {
	perVector := int64(2*dim + 48*hnswM + 256)
	return min(32<<20+n*perVector*3/2, 2<<30)
}
