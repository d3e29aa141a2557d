package attribution

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

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

// fill copies column name of every record into dst, cell by cell: get
// reads the column from a record's view (nil when missing, which the view
// reports), at turns row i into its value.
func fill[A interface {
	arrow.Array
	comparable
}, T any](recs []arrow.Record, table, name string, get func(*schema.View, string) A, at func(A, int) T, dst []T) error {
	var none A
	return views(recs, table, func(v *schema.View, off int) {
		if a := get(v, name); a != none {
			for i := range a.Len() {
				dst[off+i] = at(a, i)
			}
		}
	})
}

// dates copies a date column into dst (schema.NoDate for null).
func dates(recs []arrow.Record, table, name string, dst []int32) error {
	return fill(recs, table, name, (*schema.View).Date, schema.DateAt, dst)
}

// enum copies an enum column into dst (schema.NullEnum for null or an
// unknown value).
func enum[T ~uint8](recs []arrow.Record, table, name string, e schema.Enumeration[T], dst []T) error {
	return fill(recs, table, name, (*schema.View).Str, e.At, dst)
}

// texts copies a string column into dst ("" for null), each value cloned
// out of the record's buffer.
func texts(recs []arrow.Record, table, name string, dst []string) error {
	return fill(recs, table, name, (*schema.View).Str, func(a *array.String, i int) string {
		if a.IsNull(i) {
			return ""
		}
		return strings.Clone(a.Value(i))
	}, dst)
}
