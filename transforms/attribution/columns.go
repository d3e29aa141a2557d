package attribution

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// views reads the same table from every record, calling fn with each
// record's view and the row offset of its first row; the first column
// problem stops it.
func views(recs []arrow.Record, table string, fn func(v *schema.View, off int)) error {
	off := 0
	for _, r := range recs {
		v := schema.NewView(table, r)
		fn(v, off)
		if err := v.Err(); err != nil {
			return err
		}
		off += v.Rows()
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
	if err := views(recs, table, func(v *schema.View, _ int) {
		if a := v.Str(name); a != nil {
			parts = append(parts, a)
		}
	}); err != nil {
		return nil, err
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

// dates copies a date column into dst (schema.NoDate for null).
func dates(recs []arrow.Record, table, name string, dst []int32) error {
	return views(recs, table, func(v *schema.View, off int) {
		if a := v.Date(name); a != nil {
			for i := range a.Len() {
				dst[off+i] = schema.DateAt(a, i)
			}
		}
	})
}

// bools copies a boolean column into dst (false for null).
func bools(recs []arrow.Record, table, name string, dst []bool) error {
	return views(recs, table, func(v *schema.View, off int) {
		if a := v.Bool(name); a != nil {
			for i := range a.Len() {
				dst[off+i] = a.IsValid(i) && a.Value(i)
			}
		}
	})
}

// enum copies an enum column into dst (schema.NullEnum for null or an
// unknown value).
func enum[T ~uint8](recs []arrow.Record, table, name string, e schema.Enumeration[T], dst []T) error {
	return views(recs, table, func(v *schema.View, off int) {
		if a := v.Str(name); a != nil {
			for i := range a.Len() {
				dst[off+i] = e.At(a, i)
			}
		}
	})
}

// texts copies a string column into dst ("" for null), each value cloned
// out of the record's buffer.
func texts(recs []arrow.Record, table, name string, dst []string) error {
	return views(recs, table, func(v *schema.View, off int) {
		if a := v.Str(name); a != nil {
			for i := range a.Len() {
				if a.IsValid(i) {
					dst[off+i] = strings.Clone(a.Value(i))
				}
			}
		}
	})
}
