package report

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// scan calls fn with a view of each record of table's as-of partition. A
// table with no partition for the date (an optional source never
// exported; BigQuery reads an empty partition the same way) calls
// nothing; the caller decides whether that is an error.
func scan(ctx context.Context, w warehouse.Warehouse, table string, asOf schema.Day, fn func(v *schema.View) error) error {
	rr, err := w.Read(ctx, table, asOf)
	if errors.Is(err, warehouse.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", table, err)
	}
	defer rr.Release()
	for rr.Next() {
		v := schema.NewView(table, rr.Record())
		if err := fn(v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", table, err)
	}
	return nil
}

// frame is a small table for the report, read from Arrow into a gota
// DataFrame at this boundary (docs/report.md): gota sorts, filters and
// pivots the few thousand rows a report shows; the heavy columnar work
// stays in Arrow. Strings keep null as "" (gota reads only "NaN" as
// missing); numbers, booleans (1 or 0), dates (days) and money (dollars)
// keep null as NaN.
type frame struct {
	names []string
	kinds []schema.Kind
	str   [][]string
	num   [][]float64
}

// collect reads the named columns of table's rows for which keep (nil =
// every row) says yes.
func collect(ctx context.Context, w warehouse.Warehouse, table string, asOf schema.Day, names []string, keep func(v *schema.View, i int) bool) (*frame, error) {
	t := schema.Get(table)
	f := &frame{names: names, str: make([][]string, len(names)), num: make([][]float64, len(names))}
	for _, n := range names {
		c, ok := t.StoredColumn(n)
		if !ok {
			return nil, fmt.Errorf("reading %s: no column %s in the contract", table, n) // a bug in the caller
		}
		f.kinds = append(f.kinds, c.Kind)
	}
	err := scan(ctx, w, table, asOf, func(v *schema.View) error {
		readers := make([]func(int), len(names))
		for j, n := range names {
			j := j
			switch f.kinds[j] {
			case schema.String, schema.Enum:
				a := v.Str(n)
				readers[j] = func(i int) { f.str[j] = append(f.str[j], a.Value(i)) } // a null's Value is ""
			case schema.Int:
				a := v.Int(n)
				readers[j] = func(i int) { f.num[j] = append(f.num[j], nullable(a, i, float64(a.Value(i)))) }
			case schema.Float:
				a := v.Float(n)
				readers[j] = func(i int) { f.num[j] = append(f.num[j], nullable(a, i, a.Value(i))) }
			case schema.Bool:
				a := v.Bool(n)
				readers[j] = func(i int) {
					b := 0.0
					if a.Value(i) {
						b = 1
					}
					f.num[j] = append(f.num[j], nullable(a, i, b))
				}
			case schema.Date:
				a := v.Date(n)
				readers[j] = func(i int) { f.num[j] = append(f.num[j], nullable(a, i, float64(a.Value(i)))) }
			case schema.Money:
				a := v.Money(n)
				readers[j] = func(i int) {
					c, ok := schema.CentsAt(a, i)
					f.num[j] = append(f.num[j], nullable(a, i, dollars(c, ok)))
				}
			default:
				return fmt.Errorf("reading %s: column %s is %s, which the report does not read", table, n, f.kinds[j])
			}
		}
		if v.Err() != nil {
			return nil // scan returns it
		}
		for i := 0; i < v.Rows(); i++ {
			if keep != nil && !keep(v, i) {
				continue
			}
			for _, r := range readers {
				r(i)
			}
		}
		return nil
	})
	return f, err
}

// nullable is v, or NaN where array a is null.
func nullable(a interface{ IsNull(int) bool }, i int, v float64) float64 {
	if a.IsNull(i) {
		return math.NaN()
	}
	return v
}

// dollars is an amount in cents as dollars; NaN when unset.
func dollars(cents int64, ok bool) float64 {
	if !ok {
		return math.NaN()
	}
	return float64(cents) / math.Pow10(schema.MoneyScale)
}

// Rows is how many rows were kept.
func (f *frame) Rows() int {
	for j := range f.names {
		if f.str[j] != nil {
			return len(f.str[j])
		}
		if f.num[j] != nil {
			return len(f.num[j])
		}
	}
	return 0
}

// DataFrame is the frame as a gota DataFrame. gota panics on a frame with
// no rows: check Rows first.
func (f *frame) DataFrame() dataframe.DataFrame {
	cols := make([]series.Series, len(f.names))
	for j, n := range f.names {
		switch f.kinds[j] {
		case schema.String, schema.Enum:
			cols[j] = series.New(f.str[j], series.String, n)
		case schema.Int, schema.Date:
			cols[j] = series.New(f.num[j], series.Int, n)
		default:
			cols[j] = series.New(f.num[j], series.Float, n)
		}
	}
	return dataframe.New(cols...)
}
