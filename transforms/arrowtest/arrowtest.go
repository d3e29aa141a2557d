// Package arrowtest builds Arrow inputs for tests (tables from row literals
// in their stored schema, large synthetic inputs for benchmarks) and reads
// outputs back (rows as text, byte comparisons, the rank statistics that
// compare scores with a planted truth). Test code only.
package arrowtest

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// Row is one row literal: column -> value. Strings for text, enums and
// dates (YYYY-MM-DD) and money ("12.34"); int for ints; bool for bools.
// Missing columns are null (lineage columns get placeholders).
type Row map[string]any

// Record builds a record of table as stored from row literals.
func Record(t testing.TB, alloc memory.Allocator, table string, rows ...Row) arrow.Record {
	t.Helper()
	tb, ok := schema.Lookup(table)
	if !ok {
		t.Fatalf("no table %s", table)
	}
	sc := tb.StoredArrow()
	b := array.NewRecordBuilder(alloc, sc)
	defer b.Release()
	for ri, r := range rows {
		for ci, c := range tb.Stored() {
			v, ok := r[c.Name]
			if !ok && tb.Input {
				switch c.Name {
				case schema.AsOfDate:
					v, ok = "2026-09-30", true
				case schema.RunID, schema.SourceFile:
					v, ok = "test", true
				case schema.SourceRow:
					v, ok = ri+2, true
				case schema.SourceLines:
					v, ok = 1, true
				}
			}
			fb := b.Field(ci)
			if !ok || v == nil {
				fb.AppendNull()
				continue
			}
			if err := appendValue(fb, c.Kind, v); err != nil {
				t.Fatalf("%s row %d %s: %v", table, ri, c.Name, err)
			}
		}
	}
	return b.NewRecord()
}

func appendValue(fb array.Builder, k schema.Kind, v any) error {
	switch k {
	case schema.String, schema.Enum:
		fb.(*array.StringBuilder).Append(v.(string))
	case schema.Date:
		d, err := schema.ParseDay(v.(string))
		if err != nil {
			return err
		}
		fb.(*array.Date32Builder).Append(arrow.Date32(d))
	case schema.Money:
		f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
		if err != nil {
			return err
		}
		fb.(*array.Decimal128Builder).Append(decimal128.FromI64(int64(math.Round(f * 100))))
	case schema.Int:
		fb.(*array.Int64Builder).Append(int64(v.(int)))
	case schema.Bool:
		fb.(*array.BooleanBuilder).Append(v.(bool))
	case schema.Float:
		fb.(*array.Float64Builder).Append(v.(float64))
	default:
		return fmt.Errorf("kind %v not supported", k)
	}
	return nil
}

// Alloc is a checked allocator asserting, when the test ends, that
// everything allocated was released.
func Alloc(t testing.TB) *memory.CheckedAllocator {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	return alloc
}

// IPCBytes serialises rec as an Arrow IPC stream: two records are the same,
// value for value and type for type, when their bytes are equal.
func IPCBytes(t testing.TB, rec arrow.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Rows reads a record as rows of column -> value text (ValueStr); a null
// cell is absent from its row.
func Rows(rec arrow.Record) []map[string]string {
	var out []map[string]string
	for i := 0; i < int(rec.NumRows()); i++ {
		m := map[string]string{}
		for c := 0; c < int(rec.NumCols()); c++ {
			if rec.Column(c).IsValid(i) {
				m[rec.ColumnName(c)] = rec.Column(c).ValueStr(i)
			}
		}
		out = append(out, m)
	}
	return out
}

// RowsOf is Rows over several records of one table, in order.
func RowsOf(recs []arrow.Record) []map[string]string {
	var out []map[string]string
	for _, r := range recs {
		out = append(out, Rows(r)...)
	}
	return out
}
