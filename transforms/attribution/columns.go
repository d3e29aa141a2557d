package attribution

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// column returns rec's column called name as type T.
func column[T arrow.Array](rec arrow.Record, table, name string) (T, error) {
	var zero T
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return zero, fmt.Errorf("%s: no column %s", table, name)
	}
	a, ok := rec.Column(idx[0]).(T)
	if !ok {
		return zero, fmt.Errorf("%s.%s is %s, not the contract's type", table, name, rec.Column(idx[0]).DataType())
	}
	return a, nil
}

// each calls fn with column name of every record and the row offset of the
// record's first row.
func each[T arrow.Array](recs []arrow.Record, table, name string, fn func(a T, off int)) error {
	off := 0
	for _, r := range recs {
		a, err := column[T](r, table, name)
		if err != nil {
			return err
		}
		fn(a, off)
		off += int(r.NumRows())
	}
	return nil
}

func rows(recs []arrow.Record) int {
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	return n
}

// concatStrings joins a string column of every record into one array.
func concatStrings(alloc memory.Allocator, recs []arrow.Record, table, name string) (*array.String, error) {
	parts := make([]arrow.Array, 0, len(recs))
	for _, r := range recs {
		a, err := column[*array.String](r, table, name)
		if err != nil {
			return nil, err
		}
		parts = append(parts, a)
	}
	if len(parts) == 0 {
		b := array.NewStringBuilder(alloc)
		defer b.Release()
		return b.NewStringArray(), nil
	}
	out, err := array.Concatenate(parts, alloc)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", table, name, err)
	}
	return out.(*array.String), nil
}

// dates copies a date32 column into dst (NoDate for null).
func dates(recs []arrow.Record, table, name string, dst []int32) error {
	return each(recs, table, name, func(a *array.Date32, off int) {
		v := a.Date32Values()
		for i := range v {
			if a.IsNull(i) {
				dst[off+i] = NoDate
			} else {
				dst[off+i] = int32(v[i])
			}
		}
	})
}

// bools copies a boolean column into dst (false for null).
func bools(recs []arrow.Record, table, name string, dst []bool) error {
	return each(recs, table, name, func(a *array.Boolean, off int) {
		for i := 0; i < a.Len(); i++ {
			dst[off+i] = a.IsValid(i) && a.Value(i)
		}
	})
}

// enum copies a string column into dst as positions in values (-1 for null
// or unknown).
func enum(recs []arrow.Record, table, name string, values []string, dst []int8) error {
	return each(recs, table, name, func(a *array.String, off int) {
		for i := 0; i < a.Len(); i++ {
			dst[off+i] = -1
			if a.IsNull(i) {
				continue
			}
			s := a.Value(i)
			for k, v := range values {
				if s == v {
					dst[off+i] = int8(k)
					break
				}
			}
		}
	})
}
