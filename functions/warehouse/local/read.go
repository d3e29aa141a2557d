package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

const readBatchRows = 64 * 1024

// Read streams a table's as-of partition: every Parquet file in it, in name
// order, as records of the table's current stored schema. A file written
// before a nullable column was added reads with that column null (runs
// partitions are appended to across versions); any other difference from
// the schema is an error naming the file and column. With columns, only
// those are decoded and returned (warehouse.Warehouse.Read). The error
// wraps ErrNotFound when the partition does not exist. The caller must
// Release the reader.
func (w *Warehouse) Read(ctx context.Context, table string, asOf schema.Day, columns ...string) (array.RecordReader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := warehouse.CheckTable(table)
	if err != nil {
		return nil, fmt.Errorf("reading table: %w", err)
	}
	dir, err := w.partitionDir(table, asOf)
	if err != nil {
		return nil, fmt.Errorf("reading table: %w", err)
	}
	files, err := parquetFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", table, filepath.Base(dir), err)
	}
	rows, err := footerRows(files)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	want, err := t.StoredArrowOf(columns)
	if err != nil {
		return nil, fmt.Errorf("reading table: %w", err)
	}
	r := &partsReader{ctx: ctx, alloc: w.alloc, files: files, rows: rows, refs: 1, schema: want, some: len(columns) > 0}
	// Open the first file up front for an early error.
	if err := r.open(0); err != nil {
		r.Release()
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	return r, nil
}

// footerRows adds up the row counts in the files' footers.
func footerRows(files []string) (int64, error) {
	var n int64
	for _, f := range files {
		pf, err := file.OpenParquetFile(f, false)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", filepath.Base(f), err)
		}
		n += pf.NumRows()
		if err := pf.Close(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// parquetFiles lists the Parquet files of a partition folder in name order.
func parquetFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("partition %w", warehouse.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), parquetExt) && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("partition has no parquet files: %w", warehouse.ErrNotFound)
	}
	sort.Strings(files) // ReadDir sorts already; keep the promise explicit
	return files, nil
}

// Partitions lists the as-of dates present for a table, ascending.
func (w *Warehouse) Partitions(ctx context.Context, table string) ([]schema.Day, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := warehouse.CheckTable(table)
	if err != nil {
		return nil, fmt.Errorf("listing partitions: %w", err)
	}
	entries, err := os.ReadDir(filepath.Join(w.root, t.Name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing partitions of %s: %w", t.Name, err)
	}
	var out []schema.Day
	for _, e := range entries {
		if d, ok := parsePartitionName(e.Name()); ok && e.IsDir() {
			out = append(out, schema.Day(d))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// partsReader chains the record readers of several Parquet files. It keeps
// the ctx of Read because array.RecordReader.Next takes none; the ctx bounds
// the opening of later files.
type partsReader struct {
	ctx    context.Context
	alloc  memory.Allocator
	files  []string
	next   int // index of the next file to open
	rows   int64
	f      *os.File
	cur    pqarrow.RecordReader
	schema *arrow.Schema // the table's stored schema, or the part of it asked for: what records come back in
	some   bool          // only the columns of schema are decoded
	from   []int         // per schema field: its column in the open file, -1 = absent (null)
	rec    arrow.Record
	err    error
	refs   int64
}

func (r *partsReader) open(i int) error {
	f, err := os.Open(r.files[i])
	if err != nil {
		return err
	}
	pf, err := file.NewParquetReader(f, file.WithReadProps(parquet.NewReaderProperties(r.alloc)))
	if err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", filepath.Base(r.files[i]), err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: readBatchRows}, r.alloc)
	var leaves []int // nil: every column
	if err == nil && r.some {
		leaves, err = r.leaves(fr)
	}
	if err == nil {
		r.cur, err = fr.GetRecordReader(r.ctx, leaves, nil)
	}
	if err != nil {
		pf.Close()
		return fmt.Errorf("%s: %w", filepath.Base(r.files[i]), err)
	}
	if r.from, err = project(r.cur.Schema(), r.schema); err != nil {
		r.cur.Release()
		r.cur = nil
		pf.Close()
		return fmt.Errorf("%s: %w", filepath.Base(r.files[i]), err)
	}
	r.f = f
	r.next = i + 1
	return nil
}

// leaves are the Parquet columns of a file holding the reader's columns
// (stored tables are flat: a field is one leaf). When the file holds none
// of them (all added since it was written), its first column is read for
// the row count and left out by conform.
func (r *partsReader) leaves(fr *pqarrow.FileReader) ([]int, error) {
	have, err := fr.Schema()
	if err != nil {
		return nil, err
	}
	var leaves []int
	for _, f := range r.schema.Fields() {
		idx := have.FieldIndices(f.Name)
		if len(idx) != 1 {
			continue // absent: project says whether that is allowed
		}
		leaf := fr.Manifest.Fields[idx[0]].ColIndex
		if leaf < 0 {
			return nil, fmt.Errorf("column %s is not a flat column", f.Name)
		}
		leaves = append(leaves, leaf)
	}
	if len(leaves) == 0 {
		leaves = []int{0}
	}
	return leaves, nil
}

func (r *partsReader) closeCur() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.f != nil {
		r.f.Close()
		r.f = nil
	}
}

func (r *partsReader) Retain() { atomic.AddInt64(&r.refs, 1) }

func (r *partsReader) Release() {
	if atomic.AddInt64(&r.refs, -1) != 0 {
		return
	}
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	r.closeCur()
}

// NumRows is the number of rows the reader returns in all (Sized).
func (r *partsReader) NumRows() int64 { return r.rows }

func (r *partsReader) Schema() *arrow.Schema { return r.schema }

func (r *partsReader) Record() arrow.Record           { return r.rec }
func (r *partsReader) RecordBatch() arrow.RecordBatch { return r.rec }

func (r *partsReader) Err() error { return r.err }

func (r *partsReader) Next() bool {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	for r.err == nil {
		if r.cur == nil {
			if r.next >= len(r.files) {
				return false
			}
			if err := r.ctx.Err(); err != nil {
				r.err = err
				return false
			}
			if err := r.open(r.next); err != nil {
				r.err = err
				return false
			}
		}
		if r.cur.Next() {
			r.rec = r.conform(r.cur.Record())
			return true
		}
		if err := r.cur.Err(); err != nil && !errors.Is(err, io.EOF) {
			r.err = fmt.Errorf("%s: %w", filepath.Base(r.files[r.next-1]), err)
		}
		r.closeCur()
	}
	return false
}

// project maps every field of want to its column in a file's schema have,
// -1 for a nullable field the file lacks (written before the column was
// added). A required field missing, or a field of another type, is an error.
func project(have, want *arrow.Schema) ([]int, error) {
	from := make([]int, want.NumFields())
	for i, f := range want.Fields() {
		idx := have.FieldIndices(f.Name)
		switch {
		case len(idx) == 0 && f.Nullable:
			from[i] = -1
		case len(idx) == 0:
			return nil, fmt.Errorf("column %s is missing (the schema requires it)", f.Name)
		case !arrow.TypeEqual(have.Field(idx[0]).Type, f.Type):
			return nil, fmt.Errorf("column %s is %s, the schema says %s", f.Name, have.Field(idx[0]).Type, f.Type)
		default:
			from[i] = idx[0]
		}
	}
	return from, nil
}

// conform is rec in the reader's schema: its columns in schema order, a
// null column for each the file lacks.
func (r *partsReader) conform(rec arrow.Record) arrow.Record {
	n := int(rec.NumRows())
	cols := make([]arrow.Array, len(r.from))
	for i, j := range r.from {
		if j >= 0 {
			cols[i] = rec.Column(j)
			continue
		}
		cols[i] = array.MakeArrayOfNull(r.alloc, r.schema.Field(i).Type, n)
		defer cols[i].Release()
	}
	return array.NewRecord(r.schema, cols, int64(n))
}

// Unpartitioned lists the tables that have no partition yet, in
// schema.All order: pqi sql reads them as empty tables.
func (w *Warehouse) Unpartitioned() ([]string, error) { return unpartitioned(w.root) }

func unpartitioned(root string) ([]string, error) {
	var out []string
	for _, t := range schema.All() {
		files, err := filepath.Glob(filepath.Join(root, t.Name, "*", "*.parquet"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			out = append(out, t.Name)
		}
	}
	return out, nil
}
