package bigquery

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// orderedBatch is the rows per record of a reordered read.
const orderedBatch = 64 << 10

// A query with ORDER BY makes BigQuery sort the whole result on one worker
// (a large one fails with "resources exceeded") and the client read it
// over one Storage Read stream. Read therefore asks for no order, reads
// the streams in parallel, and restores the stored order here, in memory:
// the caller holds the whole partition anyway (the score job does).

// inOrder reads every record of rr (and releases it) and returns them in
// the order of the columns named by order, ascending, nulls first. Rows
// already in order are returned as read, without a copy.
func inOrder(ctx context.Context, alloc memory.Allocator, rr array.RecordReader, order []string) (*records, error) {
	defer rr.Release()
	out := &records{schema: rr.Schema(), refs: 1}
	for rr.Next() {
		rec := rr.Record()
		if rec.NumRows() == 0 {
			continue
		}
		rec.Retain()
		out.recs = append(out.recs, rec)
		out.rows += rec.NumRows()
	}
	if err := rr.Err(); err != nil {
		out.Release()
		return nil, err
	}
	keys := make([]int, len(order))
	for i, name := range order {
		idx := out.schema.FieldIndices(name)
		if len(idx) != 1 {
			out.Release()
			return nil, fmt.Errorf("ordering by %s: no such column", name)
		}
		keys[i] = idx[0]
	}
	if sorted(out.recs, keys) {
		return out, nil
	}
	if err := out.sort(ctx, alloc, keys); err != nil {
		out.Release()
		return nil, err
	}
	return out, nil
}

// sorted reports whether the rows of recs are in key order.
func sorted(recs []arrow.Record, keys []int) bool {
	var prev arrow.Record
	prevRow := 0
	for _, rec := range recs {
		for i := 0; i < int(rec.NumRows()); i++ {
			if prev != nil && compareRows(prev, prevRow, rec, i, keys) > 0 {
				return false
			}
			prev, prevRow = rec, i
		}
	}
	return true
}

// sort replaces r.recs with the same rows in key order: the columns are
// concatenated, a stable sort finds the permutation, and a take per column
// builds each output record.
func (r *records) sort(ctx context.Context, alloc memory.Allocator, keys []int) error {
	cols := make([]arrow.Array, r.schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	parts := make([]arrow.Array, len(r.recs))
	for c := range cols {
		for i, rec := range r.recs {
			parts[i] = rec.Column(c)
		}
		all, err := array.Concatenate(parts, alloc)
		if err != nil {
			return fmt.Errorf("ordering column %s: %w", r.schema.Field(c).Name, err)
		}
		cols[c] = all
	}
	whole := array.NewRecord(r.schema, cols, r.rows)
	defer whole.Release()
	perm := make([]int, r.rows)
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool { return compareRows(whole, perm[a], whole, perm[b], keys) < 0 })
	for _, rec := range r.recs {
		rec.Release()
	}
	r.recs = r.recs[:0]
	ctx = compute.WithAllocator(ctx, alloc)
	for lo := 0; lo < len(perm); lo += orderedBatch {
		hi := min(lo+orderedBatch, len(perm))
		ib := array.NewInt64Builder(alloc)
		for _, p := range perm[lo:hi] {
			ib.Append(int64(p))
		}
		idx := ib.NewArray()
		ib.Release()
		taken := make([]arrow.Array, len(cols))
		var err error
		for c, col := range cols {
			if taken[c], err = compute.TakeArray(ctx, col, idx); err != nil {
				break
			}
		}
		idx.Release()
		if err == nil {
			r.recs = append(r.recs, array.NewRecord(r.schema, taken, int64(hi-lo)))
		}
		for _, t := range taken {
			if t != nil {
				t.Release()
			}
		}
		if err != nil {
			return fmt.Errorf("ordering rows: %w", err)
		}
	}
	return nil
}

// compareRows compares row i of a with row j of b on the key columns.
func compareRows(a arrow.Record, i int, b arrow.Record, j int, keys []int) int {
	for _, k := range keys {
		if c := compareCells(a.Column(k), i, b.Column(k), j); c != 0 {
			return c
		}
	}
	return 0
}

// compareCells orders two cells of the same type, null first.
func compareCells(x arrow.Array, i int, y arrow.Array, j int) int {
	xn, yn := x.IsNull(i), y.IsNull(j)
	switch {
	case xn && yn:
		return 0
	case xn:
		return -1
	case yn:
		return 1
	}
	switch a := x.(type) {
	case *array.String:
		return strings.Compare(a.Value(i), y.(*array.String).Value(j))
	case *array.Int64:
		return cmp.Compare(a.Value(i), y.(*array.Int64).Value(j))
	case *array.Int32:
		return cmp.Compare(a.Value(i), y.(*array.Int32).Value(j))
	case *array.Date32:
		return cmp.Compare(a.Value(i), y.(*array.Date32).Value(j))
	case *array.Timestamp:
		return cmp.Compare(a.Value(i), y.(*array.Timestamp).Value(j))
	case *array.Float64:
		return cmp.Compare(a.Value(i), y.(*array.Float64).Value(j))
	case *array.Decimal128:
		return a.Value(i).Cmp(y.(*array.Decimal128).Value(j))
	case *array.Boolean:
		p, q := a.Value(i), y.(*array.Boolean).Value(j)
		switch {
		case p == q:
			return 0
		case !p:
			return -1
		}
		return 1
	}
	return bytes.Compare([]byte(x.ValueStr(i)), []byte(y.ValueStr(j)))
}

// records is a RecordReader over records held in memory.
type records struct {
	schema *arrow.Schema
	recs   []arrow.Record
	rows   int64
	next   int
	cur    arrow.Record
	refs   int64
}

// keep leaves only the columns of want (a part of r's schema, in its
// order): the columns read only to put the rows in order go.
func (r *records) keep(want *arrow.Schema) {
	if want.NumFields() == r.schema.NumFields() {
		return
	}
	for i, rec := range r.recs {
		cols := make([]arrow.Array, want.NumFields())
		for j, f := range want.Fields() {
			cols[j] = rec.Column(r.schema.FieldIndices(f.Name)[0])
		}
		r.recs[i] = array.NewRecord(want, cols, rec.NumRows())
		rec.Release()
	}
	r.schema = want
}

func (r *records) Retain()                        { r.refs++ }
func (r *records) Schema() *arrow.Schema          { return r.schema }
func (r *records) Record() arrow.Record           { return r.cur }
func (r *records) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *records) Err() error                     { return nil }

// NumRows is the rows of every record (Sized).
func (r *records) NumRows() int64 { return r.rows }

// Next moves to the next record and lets go of the one before: each is
// read once.
func (r *records) Next() bool {
	r.drop()
	if r.next >= len(r.recs) {
		return false
	}
	r.cur, r.recs[r.next] = r.recs[r.next], nil
	r.next++
	return true
}

func (r *records) drop() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

func (r *records) Release() {
	if r.refs--; r.refs != 0 {
		return
	}
	r.drop()
	for _, rec := range r.recs {
		if rec != nil {
			rec.Release()
		}
	}
	r.recs = nil
}
