package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

var unicodeNames = []string{"Zürich Daten AG", "東京システム", "Ωmega Ψ Partners", "Acme Inc"}

func asOf(t *testing.T, s string) schema.Day {
	t.Helper()
	d, err := schema.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// makeRecord builds n rows of a table's stored schema. variant changes every
// value so tests can tell generations of data apart; nullable columns are
// null on every third row.
func makeRecord(t *testing.T, alloc memory.Allocator, table string, n, variant int) arrow.Record {
	t.Helper()
	tb, ok := schema.Lookup(table)
	if !ok {
		t.Fatalf("no table %s", table)
	}
	sc := tb.StoredArrow()
	b := array.NewRecordBuilder(alloc, sc)
	defer b.Release()
	for i, f := range sc.Fields() {
		col, _ := tb.Column(f.Name)
		for r := 0; r < n; r++ {
			if f.Nullable && r%3 == 2 {
				b.Field(i).AppendNull()
				continue
			}
			v := r + variant*1_000_000
			switch fb := b.Field(i).(type) {
			case *array.StringBuilder:
				switch {
				case f.Name == schema.PartnerName:
					fb.Append(fmt.Sprintf("%s %d", unicodeNames[r%len(unicodeNames)], v))
				case len(col.Enum) > 0:
					fb.Append(col.Enum[(r+variant)%len(col.Enum)])
				default:
					fb.Append(fmt.Sprintf("%s-%d", f.Name, v))
				}
			case *array.Date32Builder:
				fb.Append(arrow.Date32(19000 + (r+variant)%3000))
			case *array.Int64Builder:
				fb.Append(int64(v))
			case *array.Decimal128Builder:
				fb.Append(decimal128.FromI64(int64(v)*137 + 5)) // cents
			case *array.BooleanBuilder:
				fb.Append((r+variant)%2 == 0)
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(1_750_000_000_000_000 + int64(v)))
			case *array.Float64Builder:
				fb.Append(float64(v) / 7)
			default:
				t.Fatalf("no test values for %s", f.Type)
			}
		}
	}
	return b.NewRecord()
}

// commitTables writes one record per table (n rows, variant) in one Tx.
func commitTables(t *testing.T, w *Warehouse, alloc memory.Allocator, day int32, runID string, n, variant int, tables ...string) error {
	t.Helper()
	ctx := context.Background()
	tx, err := w.Begin(ctx, schema.Day(day), runID)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	for _, table := range tables {
		tw, err := tx.Writer(table)
		if err != nil {
			t.Fatal(err)
		}
		rec := makeRecord(t, alloc, table, n, variant)
		err = tw.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return tx.Commit(ctx)
}

// readAll reads a partition into one record per batch, concatenated.
func readTable(t *testing.T, w *Warehouse, alloc memory.Allocator, table string, day int32) arrow.Record {
	t.Helper()
	rr, err := w.Read(context.Background(), table, schema.Day(day))
	if err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	defer rr.Release()
	var recs []arrow.Record
	for rr.Next() {
		r := rr.Record()
		r.Retain()
		recs = append(recs, r)
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	return concat(t, alloc, rr.Schema(), recs)
}

func concat(t *testing.T, alloc memory.Allocator, sc *arrow.Schema, recs []arrow.Record) arrow.Record {
	t.Helper()
	cols := make([]arrow.Array, sc.NumFields())
	var rows int64
	for _, r := range recs {
		rows += r.NumRows()
	}
	for i := range cols {
		parts := make([]arrow.Array, 0, len(recs))
		for _, r := range recs {
			parts = append(parts, r.Column(i))
		}
		if len(parts) == 0 {
			cols[i] = array.MakeArrayOfNull(alloc, sc.Field(i).Type, 0)
			continue
		}
		c, err := array.Concatenate(parts, alloc)
		if err != nil {
			t.Fatal(err)
		}
		cols[i] = c
	}
	rec := array.NewRecord(sc, cols, rows)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// assertTable checks a partition holds exactly makeRecord(n, variant).
func assertTable(t *testing.T, w *Warehouse, alloc memory.Allocator, table string, day int32, n, variant int) {
	t.Helper()
	want := makeRecord(t, alloc, table, n, variant)
	defer want.Release()
	got := readTable(t, w, alloc, table, day)
	defer got.Release()
	if got.NumRows() != want.NumRows() || !array.RecordEqual(got, want) {
		t.Fatalf("%s %s: got %d rows not equal to variant %d (%d rows)", table, schema.Day(day).String(), got.NumRows(), variant, n)
	}
}

func partFile(w *Warehouse, table string, day int32) string {
	return filepath.Join(w.Root(), table, "as_of="+schema.Day(day).String(), firstPartName)
}

func stagingEntries(t *testing.T, w *Warehouse) []string {
	t.Helper()
	es, err := os.ReadDir(filepath.Join(w.Root(), stagingDir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
