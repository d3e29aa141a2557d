package schema

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// View reads the columns of one record of a table by their contract names,
// as the typed Arrow arrays their Kind is stored as. The first column that
// is missing or of another type is remembered (Err); reads after it return
// nil, so a transform reads every column it needs and checks once.
type View struct {
	table string
	rec   arrow.Record
	err   error
}

// NewView reads rec, a record of table (used in messages).
func NewView(table string, rec arrow.Record) *View { return &View{table: table, rec: rec} }

// Err is the first problem met, or nil.
func (v *View) Err() error { return v.err }

// Rows is the record's row count.
func (v *View) Rows() int { return int(v.rec.NumRows()) }

// Str reads a String or Enum column.
func (v *View) Str(name string) *array.String { return column[*array.String](v, name) }

// Date reads a Date column.
func (v *View) Date(name string) *array.Date32 { return column[*array.Date32](v, name) }

// Int reads an Int column.
func (v *View) Int(name string) *array.Int64 { return column[*array.Int64](v, name) }

// Bool reads a Bool column.
func (v *View) Bool(name string) *array.Boolean { return column[*array.Boolean](v, name) }

// Money reads a Money column (cents in the low 64 bits, see MoneyScale).
func (v *View) Money(name string) *array.Decimal128 { return column[*array.Decimal128](v, name) }

// Float reads a Float column.
func (v *View) Float(name string) *array.Float64 { return column[*array.Float64](v, name) }

func column[T arrow.Array](v *View, name string) T {
	var zero T
	if v.err != nil {
		return zero
	}
	idx := v.rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		v.err = fmt.Errorf("%s: column %s is missing", v.table, name)
		return zero
	}
	a, ok := v.rec.Column(idx[0]).(T)
	if !ok {
		v.err = fmt.Errorf("%s: column %s is %s, not the contract's type", v.table, name, v.rec.Column(idx[0]).DataType())
		return zero
	}
	return a
}

// At is the value of enum column a at row i: NullEnum when the cell is null
// or not one of e's values.
func (e Enumeration[T]) At(a *array.String, i int) T {
	if a.IsNull(i) {
		return NullEnum
	}
	v, _ := e.Parse(a.Value(i))
	return v
}

// DateAt is date column a at row i, NoDate when null.
func DateAt(a *array.Date32, i int) int32 {
	if a.IsNull(i) {
		return NoDate
	}
	return int32(a.Value(i))
}

// CentsAt is money column a at row i in cents (units of 10^-MoneyScale),
// and whether it is set.
func CentsAt(a *array.Decimal128, i int) (int64, bool) {
	if a.IsNull(i) {
		return 0, false
	}
	return int64(a.Value(i).LowBits()), true
}

// Builder builds records of one table in its stored schema, its fields
// reached by column name and typed by the column's Kind.
type Builder struct {
	*array.RecordBuilder
	sc *arrow.Schema
}

// NewBuilder starts a record of t as stored. Release it when done.
func NewBuilder(alloc memory.Allocator, t Table) *Builder {
	sc := t.StoredArrow()
	return &Builder{array.NewRecordBuilder(alloc, sc), sc}
}

func (b *Builder) field(name string) array.Builder {
	idx := b.sc.FieldIndices(name)
	if len(idx) != 1 {
		panic(fmt.Sprintf("schema: the table has no column %s", name)) // a column constant of another table: a bug
	}
	return b.Field(idx[0])
}

// Str is the builder of a String or Enum column.
func (b *Builder) Str(name string) *array.StringBuilder {
	return b.field(name).(*array.StringBuilder)
}

// Date is the builder of a Date column.
func (b *Builder) Date(name string) *array.Date32Builder {
	return b.field(name).(*array.Date32Builder)
}

// Int is the builder of an Int column.
func (b *Builder) Int(name string) *array.Int64Builder {
	return b.field(name).(*array.Int64Builder)
}

// Bool is the builder of a Bool column.
func (b *Builder) Bool(name string) *array.BooleanBuilder {
	return b.field(name).(*array.BooleanBuilder)
}

// Money is the builder of a Money column.
func (b *Builder) Money(name string) *array.Decimal128Builder {
	return b.field(name).(*array.Decimal128Builder)
}

// Float is the builder of a Float column.
func (b *Builder) Float(name string) *array.Float64Builder {
	return b.field(name).(*array.Float64Builder)
}

// AppendFloat appends v, null when it is NaN or infinite, and never -0: a
// negative zero does not survive every engine (BigQuery reads it as 0), so
// tables would differ between warehouses.
func AppendFloat(b *array.Float64Builder, v float64) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		b.AppendNull()
	case v == 0:
		b.Append(0)
	default:
		b.Append(v)
	}
}

// AppendDate appends day d, null when it is NoDate.
func AppendDate(b *array.Date32Builder, d int32) {
	if d == NoDate {
		b.AppendNull()
		return
	}
	b.Append(arrow.Date32(d))
}
