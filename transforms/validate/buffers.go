package validate

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// Buffers builds batches of rows straight into the Arrow layout of each
// column, one Go slice per buffer, and hands them over as a record
// without copying (Record). Arrow's builders did the same with a capacity
// check, an interface call and a type switch per cell, and always kept a
// validity bitmap, which the Parquet writer then walked: together a sixth
// of validation's time. Validation builds its accepted rows with it, the
// export readers their batches of text cells (NewTextBuffers).
type Buffers struct {
	schema *arrow.Schema
	kinds  []schema.Kind
	cols   []column
	n      int // rows so far
}

// column is one column's buffers: its validity bitmap and values.
type column struct {
	n     int    // values so far: a reader may fill a batch column by column, then count its rows
	valid []byte // bit r set: value r is not null
	nulls int
	i32   []int32          // Date (date32)
	i64   []int64          // Int
	dec   []decimal128.Num // Money
	bits  []byte           // Bool values, a bit a row
	offs  []int32          // String, Enum: offsets, len rows+1
	data  []byte
}

func newBuffers(stored []schema.Column, s *arrow.Schema) *Buffers {
	c := &Buffers{schema: s, cols: make([]column, len(stored))}
	for _, col := range stored {
		c.kinds = append(c.kinds, col.Kind)
	}
	c.Reset()
	return c
}

// NewTextBuffers builds records of s, every column of which is utf8.
func NewTextBuffers(s *arrow.Schema) *Buffers {
	c := &Buffers{schema: s, cols: make([]column, s.NumFields())}
	for range c.cols {
		c.kinds = append(c.kinds, schema.String)
	}
	c.Reset()
	return c
}

// Text appends s to text column ci (of NewTextBuffers: every cell of an
// export goes through here, so it skips set's choice of kind).
func (c *Buffers) Text(ci int, s string) {
	col := &c.cols[ci]
	col.valid = bit(col.valid, col.n, true)
	col.n++
	col.data = append(col.data, s...)
	col.offs = append(col.offs, int32(len(col.data)))
}

// Null appends a null to column ci.
func (c *Buffers) Null(ci int) { c.set(ci, cell{}) }

// bit sets or clears bit r of b (r is the row being appended: b grows a
// byte every eight rows).
func bit(b []byte, r int, on bool) []byte {
	if r%8 == 0 {
		b = append(b, 0)
	}
	if on {
		b[r/8] |= 1 << (r % 8)
	}
	return b
}

// set appends cell x to column ci.
func (c *Buffers) set(ci int, x cell) {
	col := &c.cols[ci]
	k := c.kinds[ci]
	r := col.n
	col.n++
	col.valid = bit(col.valid, r, x.set)
	if !x.set {
		col.nulls++
	}
	switch k {
	case schema.String, schema.Enum:
		if x.set {
			col.data = append(col.data, x.s...)
		}
		col.offs = append(col.offs, int32(len(col.data)))
	case schema.Date:
		col.i32 = append(col.i32, int32(x.i))
	case schema.Money:
		if !x.set {
			x.i = 0
		}
		col.dec = append(col.dec, decimal128.FromI64(x.i))
	case schema.Int:
		col.i64 = append(col.i64, x.i)
	case schema.Bool:
		col.bits = bit(col.bits, r, x.set && x.i == 1)
	default:
		panic(fmt.Sprintf("validate: cannot store kind %v", k))
	}
}

// fill appends n values to column ci, value k being at(k): the kind's
// loop chosen once for the column, the arrays sized once for the n.
func (c *Buffers) fill(ci, n int, at func(k int) cell) {
	col := &c.cols[ci]
	r0 := col.n
	col.n += n
	for len(col.valid) < (col.n+7)/8 {
		col.valid = append(col.valid, 0)
	}
	valid := func(k int, x cell) {
		if x.set {
			col.valid[(r0+k)/8] |= 1 << ((r0 + k) % 8)
		} else {
			col.nulls++
		}
	}
	switch k := c.kinds[ci]; k {
	case schema.String, schema.Enum:
		col.offs = slices.Grow(col.offs, n)
		for k := 0; k < n; k++ {
			x := at(k)
			valid(k, x)
			if x.set {
				col.data = append(col.data, x.s...)
			}
			col.offs = append(col.offs, int32(len(col.data)))
		}
	case schema.Date:
		col.i32 = slices.Grow(col.i32, n)
		for k := 0; k < n; k++ {
			x := at(k)
			valid(k, x)
			col.i32 = append(col.i32, int32(x.i))
		}
	case schema.Money:
		col.dec = slices.Grow(col.dec, n)
		for k := 0; k < n; k++ {
			x := at(k)
			valid(k, x)
			if !x.set {
				x.i = 0
			}
			col.dec = append(col.dec, decimal128.FromI64(x.i))
		}
	case schema.Int:
		col.i64 = slices.Grow(col.i64, n)
		for k := 0; k < n; k++ {
			x := at(k)
			valid(k, x)
			col.i64 = append(col.i64, x.i)
		}
	case schema.Bool:
		for len(col.bits) < (col.n+7)/8 {
			col.bits = append(col.bits, 0)
		}
		for k := 0; k < n; k++ {
			x := at(k)
			valid(k, x)
			if x.set && x.i == 1 {
				col.bits[(r0+k)/8] |= 1 << ((r0 + k) % 8)
			}
		}
	default:
		panic(fmt.Sprintf("validate: cannot store kind %v", k))
	}
}

// EndRows counts n rows whose every column was filled.
func (c *Buffers) EndRows(n int) { c.n += n }

// EndRow counts a row whose every column was set (row by row, or a batch
// column by column and then its rows counted).
func (c *Buffers) EndRow() { c.n++ }

// Record hands the rows over as a record (the caller releases it) and
// starts a new batch.
func (c *Buffers) Record() arrow.Record {
	arrs := make([]arrow.Array, len(c.cols))
	for i := range c.cols {
		col := &c.cols[i]
		if col.n != c.n {
			panic(fmt.Sprintf("validate: column %d has %d values in a batch of %d rows", i, col.n, c.n))
		}
		var valid *memory.Buffer
		if col.nulls > 0 {
			valid = memory.NewBufferBytes(col.valid)
		}
		var bufs []*memory.Buffer
		switch c.kinds[i] {
		case schema.String, schema.Enum:
			bufs = []*memory.Buffer{valid, memory.NewBufferBytes(bytesOf(col.offs)), memory.NewBufferBytes(col.data)}
		case schema.Date:
			bufs = []*memory.Buffer{valid, memory.NewBufferBytes(bytesOf(col.i32))}
		case schema.Money:
			bufs = []*memory.Buffer{valid, memory.NewBufferBytes(bytesOf(col.dec))}
		case schema.Int:
			bufs = []*memory.Buffer{valid, memory.NewBufferBytes(bytesOf(col.i64))}
		case schema.Bool:
			bufs = []*memory.Buffer{valid, memory.NewBufferBytes(col.bits)}
		}
		d := array.NewData(c.schema.Field(i).Type, c.n, bufs, nil, col.nulls, 0)
		arrs[i] = array.MakeFromData(d)
		d.Release()
	}
	rec := array.NewRecord(c.schema, arrs, int64(c.n))
	for _, a := range arrs {
		a.Release()
	}
	c.Reset()
	return rec
}

// Reset drops the rows built since the last Record and makes room for as
// many again: batches are alike, and growing each column from nothing
// copied it over and over.
func (c *Buffers) Reset() {
	for i := range c.cols {
		old := &c.cols[i]
		n, data := old.n, len(old.data)
		col := column{valid: make([]byte, 0, n/8+1)}
		switch c.kinds[i] {
		case schema.String, schema.Enum:
			col.offs = append(make([]int32, 0, n+1), 0)
			col.data = make([]byte, 0, data+data/8)
		case schema.Date:
			col.i32 = make([]int32, 0, n)
		case schema.Money:
			col.dec = make([]decimal128.Num, 0, n)
		case schema.Int:
			col.i64 = make([]int64, 0, n)
		case schema.Bool:
			col.bits = make([]byte, 0, n/8+1)
		}
		*old = col
	}
	c.n = 0
}

// bytesOf is the memory of s as bytes (little-endian, as Arrow lays
// fixed-width values out on every platform Go targets here).
func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}
