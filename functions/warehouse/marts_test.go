package warehouse_test

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/partnerq/pqi/functions/duckdb"
	"github.com/partnerq/pqi/functions/warehouse"
	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/schema"
)

// The same ecosystem loaded for two as-of dates into BigQuery (the
// emulator) and into the local warehouse: every mart of sql/views (BigQuery)
// and of sql/duckdb (DuckDB over the Parquet files) returns the same rows.
// Exact values (counts, money, dates, text) are equal (to a millionth: see
// microUnit); floating-point sums agree to 1e-9 relative (the engines add
// in different orders).
func TestMartsAgreeOnBigQueryAndDuckDB(t *testing.T) {
	ctx := context.Background()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	exports := generate(t)
	june, _ := schema.ParseDate("2026-06-30")
	root := filepath.Join(t.TempDir(), "wh")
	local, err := warehouse.OpenLocal(root, alloc)
	if err != nil {
		t.Fatal(err)
	}
	bq := openEmulated(t, startEmulator(t), alloc)
	for _, w := range []warehouse.Warehouse{local, bq} {
		clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		for _, asOf := range []int32{june, pipelineAsOf} {
			runIngestAt(t, w, alloc, exports, asOf, &clock)
			runScoreAt(t, w, alloc, asOf, &clock)
		}
	}
	if _, err := bq.ApplyViews(ctx, pqisql.Files); err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	for _, layer := range []string{"staging", "marts"} {
		views, _ := fs.Glob(pqisql.Files, "views/"+layer+"/*.sql")
		duckViews, _ := fs.Glob(pqisql.Files, "duckdb/"+layer+"/*.sql")
		if len(views) == 0 || len(views) != len(duckViews) {
			t.Fatalf("sql/views/%s has %d views, sql/duckdb/%[1]s %d: each view needs both", layer, len(views), len(duckViews))
		}
		for _, f := range views {
			compareView(t, bq, db, layer, strings.TrimSuffix(path.Base(f), ".sql"))
		}
	}
}

// compareView compares one view of sql/views/<layer> with its DuckDB
// version in sql/duckdb/<layer>.
func compareView(t *testing.T, bq *warehouse.BigQuery, db *duckdb.DB, layer, name string) {
	t.Helper()
	if _, err := fs.Stat(pqisql.Files, "duckdb/"+layer+"/"+name+".sql"); err != nil {
		t.Errorf("%s has no DuckDB version in sql/duckdb/%s", name, layer)
		return
	}
	bcols, brows := bigQueryCells(t, bq, "SELECT * FROM `{{dataset}}."+name+"`")
	dcols, drows := duckDBCells(t, db, "SELECT * FROM "+name)
	if strings.Join(bcols, ",") != strings.Join(dcols, ",") {
		t.Errorf("%s: columns differ\nBigQuery %v\nDuckDB   %v", name, bcols, dcols)
		return
	}
	if layer == "marts" {
		dates := map[string]bool{}
		for _, r := range brows {
			dates[r[0].s] = true
		}
		want := 2
		if name == "mart_latest_scorecard" {
			want = 1
		}
		if len(dates) != want {
			t.Errorf("%s holds %d as-of dates %v, want %d", name, len(dates), dates, want)
		}
	}
	compareCells(t, name, bcols, brows, drows)
}

// microUnit bounds the difference of exact numbers: the emulator
// (zetasqlite) carries some NUMERIC values through float64, so a stored
// 10778517.80 can come back as 10778517.800000001; a millionth is far below
// a cent and far above that noise.
var microUnit = big.NewRat(1, 1_000_000)

// cell is one value in a form both engines' results reduce to.
type cell struct {
	null    bool
	isFloat bool
	f       float64
	num     *big.Rat // exact numbers: integers and decimals
	s       string   // text, dates, booleans
}

func (c cell) key() string {
	switch {
	case c.null:
		return "NULL"
	case c.isFloat:
		return ""
	case c.num != nil:
		return c.num.FloatString(6)
	}
	return c.s
}

func (c cell) String() string {
	switch {
	case c.null:
		return "NULL"
	case c.isFloat:
		return fmt.Sprint(c.f)
	case c.num != nil:
		return c.num.RatString()
	}
	return c.s
}

func (c cell) float() float64 {
	if c.isFloat {
		return c.f
	}
	f, _ := c.num.Float64()
	return f
}

func sameCell(a, b cell) bool {
	if a.null || b.null {
		return a.null == b.null
	}
	if (a.isFloat || b.isFloat) && (a.isFloat || a.num != nil) && (b.isFloat || b.num != nil) {
		x, y := a.float(), b.float()
		return x == y || math.Abs(x-y) <= 1e-9*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
	}
	if a.num != nil && b.num != nil {
		d := new(big.Rat).Sub(a.num, b.num)
		return d.Abs(d).Cmp(microUnit) <= 0
	}
	return a.key() == b.key()
}

// compareCells matches rows by their exact cells (the grain: floats are
// never part of it) and compares every cell.
func compareCells(t *testing.T, name string, cols []string, a, b [][]cell) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%s: %d rows in BigQuery, %d in DuckDB", name, len(a), len(b))
		return
	}
	rowKey := func(r []cell) string {
		parts := make([]string, len(r))
		for i, c := range r {
			parts[i] = c.key()
		}
		return strings.Join(parts, "\x00")
	}
	for _, rows := range [][][]cell{a, b} {
		sort.SliceStable(rows, func(i, j int) bool { return rowKey(rows[i]) < rowKey(rows[j]) })
	}
	bad := 0
	for i := range a {
		for c := range cols {
			if !sameCell(a[i][c], b[i][c]) {
				bad++
				if bad <= 5 {
					t.Errorf("%s: row %d column %s: BigQuery %v, DuckDB %v", name, i, cols[c], a[i][c], b[i][c])
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d cells differ in all", name, bad)
	}
}

func bigQueryCells(t *testing.T, bq *warehouse.BigQuery, sql string) ([]string, [][]cell) {
	t.Helper()
	rr, err := bq.Query(context.Background(), sql, 0)
	if err != nil {
		t.Fatalf("BigQuery %s: %v", sql, err)
	}
	defer rr.Release()
	var cols []string
	for _, f := range rr.Schema().Fields() {
		cols = append(cols, f.Name)
	}
	var rows [][]cell
	for rr.Next() {
		rec := rr.Record()
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]cell, rec.NumCols())
			for c := range row {
				row[c] = arrowCell(rec.Column(c), r)
			}
			rows = append(rows, row)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	return cols, rows
}

func arrowCell(col arrow.Array, r int) cell {
	if col.IsNull(r) {
		return cell{null: true}
	}
	switch a := col.(type) {
	case *array.Float64:
		return cell{isFloat: true, f: a.Value(r)}
	case *array.Int64:
		return cell{num: new(big.Rat).SetInt64(a.Value(r))}
	case *array.Decimal128:
		n, _ := new(big.Rat).SetString(a.ValueStr(r))
		return cell{num: n}
	case *array.Timestamp:
		return cell{s: a.Value(r).ToTime(a.DataType().(*arrow.TimestampType).Unit).UTC().Format(time.RFC3339Nano)}
	}
	return cell{s: col.ValueStr(r)}
}

func duckDBCells(t *testing.T, db *duckdb.DB, sql string) ([]string, [][]cell) {
	t.Helper()
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("DuckDB %s: %v", sql, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, ct := range types {
		cols = append(cols, ct.Name())
	}
	var out [][]cell
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]cell, len(cols))
		for i, v := range vals {
			row[i] = goCell(v, types[i].DatabaseTypeName())
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols, out
}

func goCell(v any, dbType string) cell {
	switch x := v.(type) {
	case nil:
		return cell{null: true}
	case float64:
		return cell{isFloat: true, f: x}
	case int32:
		return cell{num: new(big.Rat).SetInt64(int64(x))}
	case int64:
		return cell{num: new(big.Rat).SetInt64(x)}
	case *big.Int:
		return cell{num: new(big.Rat).SetInt(x)}
	case ddb.Decimal:
		return cell{num: new(big.Rat).SetFrac(x.Value, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Scale)), nil))}
	}
	return cell{s: duckdb.Text(v, dbType)}
}
