package quality

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// row is one input row: column -> value (string, int, bool, float64 for
// money in USD, dates as "YYYY-MM-DD" strings); absent = null.
type row map[string]any

// record builds a record of the table's stored schema from rows, filling
// the lineage columns (source_row = position + 2, as in a CSV with header).
func record(t *testing.T, alloc memory.Allocator, table string, rows []row) arrow.Record {
	t.Helper()
	tb, ok := schema.Lookup(table)
	if !ok {
		t.Fatalf("no table %s", table)
	}
	b := array.NewRecordBuilder(alloc, tb.StoredArrow())
	defer b.Release()
	for ri, r := range rows {
		for ci, c := range tb.Stored() {
			v, ok := r[c.Name]
			switch c.Name {
			case schema.AsOfDate:
				v, ok = "2026-09-30", true
			case schema.RunID:
				v, ok = "ing-test", true
			case schema.SourceFile:
				v, ok = table+".csv", true
			case schema.SourceRow:
				v, ok = ri+2, true
			}
			fb := b.Field(ci)
			if !ok {
				fb.AppendNull()
				continue
			}
			switch bb := fb.(type) {
			case *array.StringBuilder:
				bb.Append(v.(string))
			case *array.Int64Builder:
				bb.Append(int64(v.(int)))
			case *array.BooleanBuilder:
				bb.Append(v.(bool))
			case *array.Date32Builder:
				d, err := schema.ParseDate(v.(string))
				if err != nil {
					t.Fatal(err)
				}
				bb.Append(arrow.Date32(d))
			case *array.Decimal128Builder:
				bb.Append(decimal128.FromI64(int64(v.(float64) * 100)))
			default:
				t.Fatalf("column %s: unsupported builder", c.Name)
			}
		}
	}
	return b.NewRecord()
}

func day(t *testing.T, s string) int32 {
	t.Helper()
	d, err := schema.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
