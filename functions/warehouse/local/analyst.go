//go:build cgo

package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/partnerq/pqi/functions/warehouse"
)

var _ warehouse.Analyst = (*Warehouse)(nil)

// Query runs one statement in DuckDB over the warehouse (OpenDB: the
// views of sql/duckdb) and returns its rows as Arrow: the same reader
// BigQuery's Query gives, so pqi sql prints both alike. DuckDB bills
// nothing: maxBytesBilled does not apply.
func (w *Warehouse) Query(ctx context.Context, text string, _ int64) (array.RecordReader, error) {
	db, err := OpenDB(ctx, w.root)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(ctx, text)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rowsToArrow(rows, w.alloc)
}

// Objects lists the tables and views pqi sql reads, with their
// descriptions (DB.Objects).
func (w *Warehouse) Objects(ctx context.Context) ([]warehouse.Object, error) {
	db, err := OpenDB(ctx, w.root)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Objects(ctx)
}

// DryRun is BigQuery's: DuckDB has no bytes to bill.
func (w *Warehouse) DryRun(context.Context, string) (int64, error) {
	return 0, fmt.Errorf("%w: a dry run is BigQuery's; on the local warehouse nothing is billed, run the query", errors.ErrUnsupported)
}

// Deploy has nothing to do on the local warehouse: the views of
// sql/duckdb are created in memory for each query.
func (w *Warehouse) Deploy(context.Context) (string, error) {
	return "", fmt.Errorf("%w: the local warehouse needs no deploy; pqi sql creates the views of sql/duckdb in memory for each query", errors.ErrUnsupported)
}

// rowsBatch is how many rows a record of Query's result holds.
const rowsBatch = 64 * 1024

// rowsToArrow reads every row into Arrow records: numbers, booleans,
// dates, timestamps and decimals keep their type; any other type
// (intervals, lists, structs) becomes its text (Text).
func rowsToArrow(rows *sql.Rows, alloc memory.Allocator) (array.RecordReader, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(types))
	for i, ct := range types {
		fields[i] = arrow.Field{Name: ct.Name(), Type: arrowType(ct.DatabaseTypeName()), Nullable: true}
	}
	sc := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(alloc, sc)
	defer b.Release()
	var recs []arrow.Record
	release := func() {
		for _, r := range recs {
			r.Release()
		}
	}
	n := 0
	err = Each(rows, func(vals []any) error {
		for i, v := range vals {
			if err := appendValue(b.Field(i), v, types[i].DatabaseTypeName()); err != nil {
				return fmt.Errorf("column %s: %w", types[i].Name(), err)
			}
		}
		if n++; n == rowsBatch {
			recs, n = append(recs, b.NewRecord()), 0
		}
		return nil
	})
	if err != nil {
		release()
		return nil, err
	}
	if n > 0 || len(recs) == 0 {
		recs = append(recs, b.NewRecord())
	}
	rr, err := array.NewRecordReader(sc, recs)
	release()
	return rr, err
}

var decimalType = regexp.MustCompile(`^DECIMAL\((\d+),\s*(\d+)\)$`)

// arrowType is the Arrow type a DuckDB column of type name is read as.
func arrowType(name string) arrow.DataType {
	switch name {
	case "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER":
		return arrow.PrimitiveTypes.Int64
	case "UBIGINT":
		return arrow.PrimitiveTypes.Uint64
	case "FLOAT", "DOUBLE":
		return arrow.PrimitiveTypes.Float64
	case "DATE":
		return arrow.FixedWidthTypes.Date32
	case "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	}
	if m := decimalType.FindStringSubmatch(name); m != nil {
		p, _ := strconv.Atoi(m[1]) // the pattern holds digits only
		s, _ := strconv.Atoi(m[2])
		return &arrow.Decimal128Type{Precision: int32(p), Scale: int32(s)}
	}
	return arrow.BinaryTypes.String
}

// appendValue appends one scanned value to the builder of its column's
// arrowType.
func appendValue(fb array.Builder, v any, dbType string) error {
	if v == nil {
		fb.AppendNull()
		return nil
	}
	switch b := fb.(type) {
	case *array.BooleanBuilder:
		if x, ok := v.(bool); ok {
			b.Append(x)
			return nil
		}
	case *array.Int64Builder:
		switch x := v.(type) {
		case int8:
			b.Append(int64(x))
		case int16:
			b.Append(int64(x))
		case int32:
			b.Append(int64(x))
		case int64:
			b.Append(x)
		case uint8:
			b.Append(int64(x))
		case uint16:
			b.Append(int64(x))
		case uint32:
			b.Append(int64(x))
		default:
			return fmt.Errorf("%T is not an integer", v)
		}
		return nil
	case *array.Uint64Builder:
		if x, ok := v.(uint64); ok {
			b.Append(x)
			return nil
		}
	case *array.Float64Builder:
		switch x := v.(type) {
		case float64:
			b.Append(x)
			return nil
		case float32:
			b.Append(float64(x))
			return nil
		}
	case *array.Date32Builder:
		if x, ok := v.(time.Time); ok {
			b.Append(arrow.Date32FromTime(x))
			return nil
		}
	case *array.TimestampBuilder:
		if x, ok := v.(time.Time); ok {
			b.Append(arrow.Timestamp(x.UnixMicro()))
			return nil
		}
	case *array.Decimal128Builder:
		if x, ok := v.(duckdb.Decimal); ok && x.Value != nil {
			b.Append(decimal128.FromBigInt(new(big.Int).Set(x.Value)))
			return nil
		}
	case *array.StringBuilder:
		b.Append(Text(v, dbType))
		return nil
	}
	return fmt.Errorf("a %s value scanned as %T", dbType, v)
}
