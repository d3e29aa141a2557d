package bigquery

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var orderSchema = arrow.NewSchema([]arrow.Field{
	{Name: "file", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "row", Type: arrow.PrimitiveTypes.Int64},
	{Name: "amount", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}, Nullable: true},
}, nil)

// batches cuts rows (file, row) into records of n rows; a file of "" is
// null. amount is row*100 cents, so a row's cells stay together.
func batches(t *testing.T, alloc memory.Allocator, rows [][2]any, n int) array.RecordReader {
	t.Helper()
	var recs []arrow.Record
	for lo := 0; lo < len(rows); lo += n {
		b := array.NewRecordBuilder(alloc, orderSchema)
		for _, r := range rows[lo:min(lo+n, len(rows))] {
			if r[0] == "" {
				b.Field(0).AppendNull()
			} else {
				b.Field(0).(*array.StringBuilder).Append(r[0].(string))
			}
			b.Field(1).(*array.Int64Builder).Append(int64(r[1].(int)))
			b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(r[1].(int)) * 100))
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	rr, err := array.NewRecordReader(orderSchema, recs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		r.Release()
	}
	return rr
}

func lines(t *testing.T, r *records) []string {
	t.Helper()
	var out []string
	for r.Next() {
		rec := r.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			out = append(out, fmt.Sprintf("%s/%s/%s", rec.Column(0).ValueStr(i), rec.Column(1).ValueStr(i), rec.Column(2).ValueStr(i)))
		}
	}
	return out
}

// Rows read over parallel streams come back interleaved; inOrder gives them
// back in the stored order whatever the batches, nulls first, with every
// cell of a row kept with its row.
func TestInOrderRestoresTheStoredOrder(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	var want [][2]any
	for _, f := range []string{"", "a.csv", "b.csv"} {
		for row := 2; row < 2+150_000/3; row++ {
			want = append(want, [2]any{f, row})
		}
	}
	shuffled := append([][2]any(nil), want...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	order := []string{"file", "row"}

	r, err := inOrder(context.Background(), alloc, batches(t, alloc, shuffled, 7_001), order)
	if err != nil {
		t.Fatal(err)
	}
	if r.NumRows() != int64(len(want)) {
		t.Fatalf("NumRows %d, want %d", r.NumRows(), len(want))
	}
	got := lines(t, r)
	r.Release()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		f := w[0].(string)
		if f == "" {
			f = "(null)"
		}
		if exp := fmt.Sprintf("%s/%d/%d", f, w[1], w[1]); got[i] != exp {
			t.Fatalf("row %d is %s, want %s", i, got[i], exp)
		}
	}

	// In order already (the local warehouse, one stream): the records as read.
	in := batches(t, alloc, want, 9_999)
	r, err = inOrder(context.Background(), alloc, in, order)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.recs) != (len(want)+9_998)/9_999 {
		t.Errorf("%d records, want the %d read", len(r.recs), (len(want)+9_998)/9_999)
	}
	r.Release()

	if _, err := inOrder(context.Background(), alloc, batches(t, alloc, want[:3], 2), []string{"nope"}); err == nil {
		t.Error("ordering by a missing column succeeded")
	}
}
