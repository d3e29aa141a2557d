package bigquery

import (
	"fmt"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BigQuery's Storage Read API returns Arrow in BigQuery's own types:
// NUMERIC as decimal128(38, 9), TIMESTAMP as timestamp[us, UTC], DATE as
// date32, and every field nullable. toStored turns such a record back into
// the table's stored Arrow schema (schema.Table.StoredArrow): decimals are
// rescaled to (18, 2) (a value with more than float noise beyond the cents is
// an error, never rounded; see nearCent), timestamps are re-labelled or converted to microseconds in UTC,
// and a column the schema requires must hold no nulls.

// toStored converts rec, whose columns are found by name, to want. The
// caller owns the returned record.
func toStored(alloc memory.Allocator, rec arrow.Record, want *arrow.Schema) (arrow.Record, error) {
	cols := make([]arrow.Array, 0, want.NumFields())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, f := range want.Fields() {
		idx := rec.Schema().FieldIndices(f.Name)
		if len(idx) != 1 {
			return nil, fmt.Errorf("column %q missing from the BigQuery result", f.Name)
		}
		c, err := convertColumn(alloc, rec.Column(idx[0]), f)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", f.Name, err)
		}
		cols = append(cols, c)
	}
	return array.NewRecord(want, cols, rec.NumRows()), nil
}

// convertColumn returns col as field f's type (a new reference either way).
func convertColumn(alloc memory.Allocator, col arrow.Array, f arrow.Field) (arrow.Array, error) {
	if !f.Nullable && col.NullN() > 0 {
		return nil, fmt.Errorf("required but BigQuery returned %d nulls", col.NullN())
	}
	if arrow.TypeEqual(col.DataType(), f.Type) {
		col.Retain()
		return col, nil
	}
	switch want := f.Type.(type) {
	case *arrow.Decimal128Type:
		in, ok := col.(*array.Decimal128)
		if !ok {
			return nil, fmt.Errorf("BigQuery returned %s, want %s", col.DataType(), f.Type)
		}
		return rescaleDecimals(alloc, in, want)
	case *arrow.TimestampType:
		in, ok := col.(*array.Timestamp)
		if !ok {
			return nil, fmt.Errorf("BigQuery returned %s, want %s", col.DataType(), f.Type)
		}
		return convertTimestamps(alloc, in, want)
	case *arrow.StringType:
		if ls, ok := col.(*array.LargeString); ok {
			b := array.NewStringBuilder(alloc)
			defer b.Release()
			for i := 0; i < ls.Len(); i++ {
				if ls.IsNull(i) {
					b.AppendNull()
				} else {
					b.Append(ls.Value(i))
				}
			}
			return b.NewArray(), nil
		}
	}
	return nil, fmt.Errorf("BigQuery returned %s, want %s", col.DataType(), f.Type)
}

func rescaleDecimals(alloc memory.Allocator, in *array.Decimal128, want *arrow.Decimal128Type) (arrow.Array, error) {
	from := in.DataType().(*arrow.Decimal128Type).Scale
	b := array.NewDecimal128Builder(alloc, want)
	defer b.Release()
	b.Reserve(in.Len())
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		v, err := in.Value(i).Rescale(from, want.Scale)
		if err != nil {
			v, err = nearCent(in.Value(i), from, want.Scale)
		}
		if err != nil {
			return nil, fmt.Errorf("value %s does not fit scale %d: %w", in.Value(i).ToString(from), want.Scale, err)
		}
		if !v.FitsInPrecision(want.Precision) {
			return nil, fmt.Errorf("value %s does not fit precision %d", v.ToString(want.Scale), want.Precision)
		}
		b.UnsafeAppend(v)
	}
	return b.NewArray(), nil
}

func convertTimestamps(alloc memory.Allocator, in *array.Timestamp, want *arrow.TimestampType) (arrow.Array, error) {
	got := in.DataType().(*arrow.TimestampType)
	if got.TimeZone != want.TimeZone && got.TimeZone != "" && got.TimeZone != "UTC" && got.TimeZone != "Etc/UTC" && got.TimeZone != "+00:00" {
		return nil, fmt.Errorf("timestamps in zone %q, want %q", got.TimeZone, want.TimeZone)
	}
	if got.Unit == want.Unit {
		// Same instants, same unit: only the zone label differs.
		d := array.NewData(want, in.Len(), in.Data().Buffers(), nil, in.NullN(), in.Data().Offset())
		defer d.Release()
		return array.MakeFromData(d), nil
	}
	b := array.NewTimestampBuilder(alloc, want)
	defer b.Release()
	b.Reserve(in.Len())
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			b.AppendNull()
			continue
		}
		t := in.Value(i).ToTime(got.Unit)
		v, err := arrow.TimestampFromTime(t, want.Unit)
		if err != nil {
			return nil, err
		}
		if v.ToTime(want.Unit) != t {
			return nil, fmt.Errorf("timestamp %s is finer than %s", t, want.Unit)
		}
		b.UnsafeAppend(v)
	}
	return b.NewArray(), nil
}

// nearCent accepts a value whose digits beyond scale to are float noise
// (below 10^-6 of a unit) and rounds it to scale to. Real BigQuery NUMERIC
// is exact and never needs this; the emulator stores NUMERIC through
// float64, so amounts above about 10^7 come back as e.g. 28559926.739999998
// (docs/bigquery.md, emulator gaps). Anything further from a cent is an
// error: the value did not come from a DECIMAL(18,2) column.
func nearCent(v decimal128.Num, from, to int32) (decimal128.Num, error) {
	if from <= to {
		return v, fmt.Errorf("cannot rescale from %d to %d", from, to)
	}
	unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(from-to)), nil)
	n := v.BigInt()
	q, r := new(big.Int).QuoRem(n, unit, new(big.Int)) // r has n's sign
	twice := new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2))
	if twice.Cmp(unit) >= 0 { // round half away from zero
		r.Sub(unit, new(big.Int).Abs(r))
		q.Add(q, big.NewInt(int64(n.Sign())))
	}
	tolerance := new(big.Int).Quo(unit, big.NewInt(1_000_000)) // 10^-6 of a unit of scale to
	if new(big.Int).Abs(r).Cmp(tolerance) > 0 {
		return v, fmt.Errorf("has digits beyond %d decimals", to)
	}
	return decimal128.FromBigInt(q), nil
}
