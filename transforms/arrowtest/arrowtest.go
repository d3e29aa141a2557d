// Package arrowtest builds Arrow inputs for tests: tables from row literals
// in their stored schema, and large synthetic inputs for benchmarks. Test
// code only.
package arrowtest

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

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
		d, err := schema.ParseDate(v.(string))
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

// Synthetic builds large inputs straight into Arrow for benchmarks:
// partners partners joined over six years, deals deals over the last eight
// quarters before asOf (30% direct, 15% with a second partner, 5% with a
// third), and monthly cost rows in five categories. Tables are returned
// in batches of 1<<20 rows, as a warehouse read would; release them all.
func Synthetic(alloc memory.Allocator, partners, deals int, asOf int32) map[string][]arrow.Record {
	r := rand.New(rand.NewPCG(7, 11))
	out := map[string][]arrow.Record{}
	const batch = 1 << 20
	type tb struct {
		name string
		b    *array.RecordBuilder
		n    int
		cols map[string]int
	}
	mk := func(name string) *tb {
		t, _ := schema.Lookup(name)
		sc := t.StoredArrow()
		cols := map[string]int{}
		for i, f := range sc.Fields() {
			cols[f.Name] = i
		}
		return &tb{name: name, b: array.NewRecordBuilder(alloc, sc), cols: cols}
	}
	flush := func(t *tb, force bool) {
		if t.n == 0 || (!force && t.n < batch) {
			return
		}
		out[t.name] = append(out[t.name], t.b.NewRecord())
		t.n = 0
	}
	end := func(t *tb) {
		// fill every column not set by the caller with nulls / placeholders
		flush(t, true)
		t.b.Release()
	}
	// lineage columns: the caller appends them via row()
	row := func(t *tb, vals map[string]func(array.Builder)) {
		for name, i := range t.cols {
			fb := t.b.Field(i)
			if f, ok := vals[name]; ok {
				f(fb)
				continue
			}
			switch name {
			case schema.AsOfDate:
				fb.(*array.Date32Builder).Append(arrow.Date32(asOf))
			case schema.RunID, schema.SourceFile:
				fb.(*array.StringBuilder).Append("bench")
			case schema.SourceRow:
				fb.(*array.Int64Builder).Append(int64(t.n))
			default:
				fb.AppendNull()
			}
		}
		t.n++
		flush(t, false)
	}
	str := func(s string) func(array.Builder) {
		return func(b array.Builder) { b.(*array.StringBuilder).Append(s) }
	}
	date := func(d int32) func(array.Builder) {
		return func(b array.Builder) { b.(*array.Date32Builder).Append(arrow.Date32(d)) }
	}
	cents := func(c int64) func(array.Builder) {
		return func(b array.Builder) { b.(*array.Decimal128Builder).Append(decimal128.FromI64(c)) }
	}
	boolean := func(v bool) func(array.Builder) { return func(b array.Builder) { b.(*array.BooleanBuilder).Append(v) } }

	start := asOf - 730
	p := mk(schema.Partners)
	joined := make([]int32, partners)
	for i := range partners {
		joined[i] = asOf - int32(r.IntN(6*365))
		row(p, map[string]func(array.Builder){
			schema.PartnerID: str(fmt.Sprintf("P%06d", i)), schema.PartnerName: str("x"), schema.JoinedDate: date(joined[i]),
			schema.ProgramTier: str(schema.ProgramTiers[r.IntN(4)]), schema.Vertical: str("v" + strconv.Itoa(r.IntN(6))),
			schema.Capability: str(schema.Capabilities[r.IntN(3)]),
		})
	}
	end(p)
	d, x := mk(schema.Deals), mk(schema.DealPartners)
	pick := func() int { return int(math.Min(float64(partners-1), float64(partners)*math.Pow(r.Float64(), 2.5))) }
	for i := range deals {
		id := fmt.Sprintf("D%09d", i)
		created := start + int32(r.IntN(730))
		status, closed := "open", int32(0)
		if c := created + int32(20+r.IntN(150)); c <= asOf {
			closed = c
			status = "lost"
			if r.Float64() < 0.35 {
				status = "won"
			}
		}
		vals := map[string]func(array.Builder){
			schema.DealID: str(id), schema.CustomerID: str("C"), schema.CreatedDate: date(created), schema.Status: str(status),
			schema.AmountUSD: cents(int64(100000 + r.IntN(20000000))), schema.AEInvited: boolean(r.Float64() < 0.2),
			schema.ViaMarketplace: boolean(r.Float64() < 0.05), schema.RegisteredDate: date(created + 2),
		}
		if closed != 0 {
			vals[schema.ClosedDate] = date(closed)
		}
		row(d, vals)
		if r.Float64() < 0.3 {
			continue
		}
		n := 1
		if u := r.Float64(); u < 0.05 {
			n = 3
		} else if u < 0.2 {
			n = 2
		}
		for k := range n {
			role := schema.DealRoles[0]
			if k > 0 {
				role = schema.DealRoles[1+r.IntN(3)]
			}
			row(x, map[string]func(array.Builder){schema.DealID: str(id), schema.PartnerID: str(fmt.Sprintf("P%06d", (pick()+k)%partners)), schema.Role: str(role)})
		}
	}
	end(d)
	end(x)
	c := mk(schema.CostToServe)
	for i := range partners {
		for m := 0; m < 24; m++ {
			month := schema.DaysOf(schema.DateOf(asOf).AddDate(0, -m, 1-schema.DateOf(asOf).Day()))
			if month < joined[i] {
				break
			}
			for _, cat := range schema.CostCategories[:5] {
				row(c, map[string]func(array.Builder){schema.PartnerID: str(fmt.Sprintf("P%06d", i)), schema.PeriodStart: date(month),
					schema.Category: str(cat), schema.AmountUSD: cents(int64(10000 + r.IntN(500000)))})
			}
		}
	}
	end(c)
	return out
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
