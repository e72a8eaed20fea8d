package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// maxIndexedDim is the largest dimension pgvector's HNSW index takes for
// half-precision vectors; a store of larger vectors is searched exactly, by
// a scan.
const maxIndexedDim = 4000

// IndexInfo returns how the index was built.
func (s *Store) IndexInfo(ctx context.Context) (banban.IndexInfo, bool, error) {
	if err := s.start(ctx); err != nil {
		return banban.IndexInfo{}, false, err
	}
	var info banban.IndexInfo
	err := s.pool.QueryRow(ctx, query("index_info")).Scan(&info.Embedder, &info.Dim, &info.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return banban.IndexInfo{}, false, nil
	}
	if err != nil {
		return banban.IndexInfo{}, false, s.fail(ctx, "read index info", err)
	}
	info.CreatedAt = info.CreatedAt.UTC()
	return info, true, nil
}

// SetIndexInfo records how the index is built and gives the embedding
// column info.Dim dimensions. It refuses, with ECONFLICT, another embedder
// or dimension while the store holds chunks.
func (s *Store) SetIndexInfo(ctx context.Context, info banban.IndexInfo) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	if info.Dim <= 0 || info.Embedder == "" {
		return banban.Errorf(banban.EINVALID, "索引信息缺少向量模型名称或维度")
	}
	err := s.write(ctx, "set index info", func(tx pgx.Tx, st writeState) error {
		if err := st.checkInfo(info); err != nil {
			return err
		}
		if err := st.useDim(ctx, tx, info.Dim); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, query("set_index_info"), info.Embedder, info.Dim, info.CreatedAt)
		return err
	})
	if err == nil {
		s.dim.Store(int64(info.Dim))
	}
	return err
}

// checkInfo refuses info when stored chunks were built differently.
func (w writeState) checkInfo(info banban.IndexInfo) error {
	if w.chunks == 0 {
		return nil
	}
	if w.hasInfo && (w.info.Embedder != info.Embedder || w.info.Dim != info.Dim) {
		return banban.Errorf(banban.ECONFLICT, "知识库已由向量模型 %s（%d 维）建立索引，不能改为 %s（%d 维）；请先清空知识库",
			w.info.Embedder, w.info.Dim, info.Embedder, info.Dim)
	}
	if !w.hasInfo && w.columnDim != info.Dim {
		return banban.Errorf(banban.ECONFLICT, "知识库中的向量为 %d 维，不能改为 %d 维；请先清空知识库", w.columnDim, info.Dim)
	}
	return nil
}

// useDim makes the embedding column vector(dim), adding it with its HNSW
// index if missing. Changing an existing column's dimension is only done
// while no chunk is stored; the index is rebuilt with it.
func (w writeState) useDim(ctx context.Context, tx pgx.Tx, dim int) error {
	switch {
	case w.columnDim == dim:
		return nil
	case w.columnDim != 0 && w.chunks > 0:
		return banban.Errorf(banban.ECONFLICT, "知识库中的向量为 %d 维，不能改为 %d 维；请先清空知识库", w.columnDim, dim)
	case w.columnDim != 0:
		_, err := tx.Exec(ctx, withDim("change_embedding", dim))
		return err
	}
	if _, err := tx.Exec(ctx, withDim("add_embedding", dim)); err != nil {
		return err
	}
	if dim > maxIndexedDim {
		return nil
	}
	_, err := tx.Exec(ctx, withDim("create_hnsw", dim))
	return err
}

// withDim fills a query with the vector dimension and the HNSW build
// parameters: DDL cannot take them as parameters, and a vector search must
// name the dimension in the same expression as the index.
func withDim(name string, dim int) string {
	return strings.NewReplacer(
		"{dim}", strconv.Itoa(dim),
		"{m}", strconv.Itoa(hnswM),
		"{ef_construction}", strconv.Itoa(hnswEfConstruction),
	).Replace(query(name))
}

// ensureDim is Open's check of Options.Dim.
func (s *Store) ensureDim(ctx context.Context, dim int) error {
	return s.write(ctx, "set the vector dimension", func(tx pgx.Tx, st writeState) error {
		if st.hasInfo && st.info.Dim != dim {
			return banban.Errorf(banban.ECONFLICT, "知识库索引为 %d 维（向量模型 %s），配置的向量为 %d 维",
				st.info.Dim, st.info.Embedder, dim)
		}
		return st.useDim(ctx, tx, dim)
	})
}

// storedDim reads the dimension queries must have (see writeState.storeDim).
func (s *Store) storedDim(ctx context.Context) (int, error) {
	st, err := readWriteState(ctx, s.pool)
	if err != nil {
		return 0, s.fail(ctx, "read the vector dimension", err)
	}
	dim := st.storeDim()
	s.dim.Store(int64(dim))
	return dim, nil
}
