package local_test

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

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	ddb "github.com/duckdb/duckdb-go/v2"

	"github.com/partnerq/pqi/functions/emulatortest"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	"github.com/partnerq/pqi/functions/warehouse/local"
	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/schema"
)

// The same ecosystem loaded for two as-of dates into BigQuery (the
// emulator) and into the local warehouse. Each load is a full snapshot, so
// the raw tables hold most deals twice; the latest_ views pick one
// snapshot and the marts have one grain each. Then every view of sql/views
// (BigQuery) and of sql/duckdb (DuckDB over the Parquet files) returns the
// same rows.
func TestTwoAsOfDatesOnBigQueryAndDuckDB(t *testing.T) {
	ctx := context.Background()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	exports := emulatortest.Generate(t)
	june, _ := schema.ParseDay("2026-06-30")
	root := filepath.Join(t.TempDir(), "wh")
	lw, err := local.Open(root, alloc)
	if err != nil {
		t.Fatal(err)
	}
	client := emulatortest.Start(t)
	bq := emulatortest.Open(t, client, alloc)
	for _, w := range []warehouse.Warehouse{lw, bq} {
		clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		for _, asOf := range []schema.Day{june, emulatortest.AsOf} {
			emulatortest.Ingest(t, w, alloc, exports, asOf, &clock)
			emulatortest.Score(t, w, alloc, asOf, &clock)
			if w == bq && asOf == june {
				// Deployed after the first quarter: the runs of the next
				// one must move the latest pointer by themselves.
				if _, err := bq.ApplyViews(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	db, err := local.OpenDB(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	t.Run("one snapshot per latest view", func(t *testing.T) {
		checkLatestViews(t, bq, db, lw, int32(june))
	})
	t.Run("every worked question agrees", func(t *testing.T) {
		checkQueries(t, bq, db)
	})
	t.Run("every view agrees", func(t *testing.T) {
		compareViews(t, bq, db)
	})
	t.Run("every view is described alike", func(t *testing.T) {
		// The latest views were re-created by the September runs: their
		// descriptions must have been set again.
		objects, columns := descriptions(t, db)
		n := 0
		for _, v := range db.Views {
			if _, ok := schema.Lookup(v); ok {
				continue // DuckDB's view over a table's files; BigQuery has the table
			}
			md, err := client.Dataset(emulatortest.Dataset).Table(v).Metadata(ctx)
			if err != nil {
				t.Fatalf("%s: %v", v, err)
			}
			if md.Description != objects[v] {
				t.Errorf("%s: BigQuery describes it %q, DuckDB %q", v, md.Description, objects[v])
			}
			for _, f := range md.Schema {
				n++
				if f.Description == "" || f.Description != columns[v][f.Name] {
					t.Errorf("%s.%s: BigQuery describes it %q, DuckDB %q", v, f.Name, f.Description, columns[v][f.Name])
				}
			}
		}
		if n < 300 {
			t.Errorf("only %d view columns compared", n)
		}
	})
	t.Run("both list the same tables and views (pqi sql --list, --describe)", func(t *testing.T) {
		fromBQ, err := bq.Objects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fromDuck, err := db.Objects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		outline := func(objs []warehouse.Object) []string {
			var out []string
			for _, o := range objs {
				out = append(out, o.Name+" "+o.Kind+": "+o.Description)
				for _, c := range o.Columns {
					out = append(out, "  "+c.Name+": "+c.Description)
				}
			}
			return out
		}
		b, d := outline(fromBQ), outline(fromDuck)
		if strings.Join(b, "\n") != strings.Join(d, "\n") {
			for i := 0; i < min(len(b), len(d)); i++ {
				if b[i] != d[i] {
					t.Fatalf("first difference at line %d:\nBigQuery %s\nDuckDB   %s", i, b[i], d[i])
				}
			}
			t.Fatalf("BigQuery lists %d lines, DuckDB %d", len(b), len(d))
		}
		if len(fromBQ) < 40 {
			t.Errorf("only %d objects listed", len(fromBQ))
		}
	})
	t.Run("every assertion holds", func(t *testing.T) {
		emulatortest.RunSQLDir(t, bq, "tests", func(name string, rows []string) {
			if len(rows) > 0 {
				t.Errorf("assertion %s returned %d rows, e.g. %s", name, len(rows), rows[0])
			}
		})
	})
}

// checkLatestViews: stg_deals holds both snapshots (a join on deal_id
// alone double-counts), latest_deals one, and a join of latest_ views
// counts each row once.
func checkLatestViews(t *testing.T, bq *bigquery.Warehouse, db *local.DB, lw *local.Warehouse, june int32) {
	var want [2]int64
	for i, asOf := range []int32{june, int32(emulatortest.AsOf)} {
		_, rows := emulatortest.Rows(t, lw, schema.Deals, schema.Day(asOf))
		want[i] = int64(len(rows))
	}
	_, dp := emulatortest.Rows(t, lw, schema.DealPartners, emulatortest.AsOf)
	queries := []struct{ sql, want string }{
		{"SELECT COUNT(*) AS n, COUNT(DISTINCT deal_id) AS deals FROM `{{dataset}}.stg_deals`", fmt.Sprintf("%d %d", want[0]+want[1], want[1])},
		{"SELECT COUNT(*) AS n, COUNT(DISTINCT deal_id) AS deals, MIN(as_of_date) AS d FROM `{{dataset}}.latest_deals`", fmt.Sprintf("%d %d 2026-09-30", want[1], want[1])},
		{"SELECT COUNT(*) AS n FROM `{{dataset}}.latest_deal_partners` dp JOIN `{{dataset}}.latest_deals` d ON d.deal_id = dp.deal_id", fmt.Sprint(len(dp))},
		{"SELECT COUNT(DISTINCT as_of_date) AS n FROM `{{dataset}}.mart_latest_scorecard`", "1"},
	}
	if want[0] == 0 || want[0] == want[1] {
		t.Fatalf("the two snapshots hold %v deals: the test needs two different, non-empty loads", want)
	}
	for _, q := range queries {
		_, b := bigQueryCells(t, bq, q.sql)
		_, d := duckDBCells(t, db, q.sql)
		for engine, rows := range map[string][][]cell{"BigQuery": b, "DuckDB": d} {
			if len(rows) != 1 || joinCells(rows[0]) != q.want {
				t.Errorf("%s: %s\ngives %v, want %s", engine, q.sql, rows, q.want)
			}
		}
	}
}

// checkQueries: every worked question of sql/queries gives the same answer
// on both engines.
func checkQueries(t *testing.T, bq *bigquery.Warehouse, db *local.DB) {
	files, _ := fs.Glob(pqisql.Files, "queries/*.sql")
	if len(files) == 0 {
		t.Fatal("no worked questions in sql/queries")
	}
	for _, f := range files {
		text, err := fs.ReadFile(pqisql.Files, f)
		if err != nil {
			t.Fatal(err)
		}
		cols, b := bigQueryCells(t, bq, string(text))
		dcols, d := duckDBCells(t, db, string(text))
		if strings.Join(cols, ",") != strings.Join(dcols, ",") {
			t.Errorf("%s: columns differ\nBigQuery %v\nDuckDB   %v", f, cols, dcols)
			continue
		}
		if len(b) == 0 {
			t.Errorf("%s: no rows", f)
		}
		compareCells(t, f, cols, b, d)
	}
}

func joinCells(r []cell) string {
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = c.String()
	}
	return strings.Join(parts, " ")
}

// compareViews compares every view of sql/views with its DuckDB version.
func compareViews(t *testing.T, bq *bigquery.Warehouse, db *local.DB) {

	for _, layer := range []string{"staging", "latest", "marts"} {
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
func compareView(t *testing.T, bq *bigquery.Warehouse, db *local.DB, layer, name string) {
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
	if layer != "staging" && len(brows) > 0 {
		dates := map[string]bool{}
		for _, r := range brows {
			dates[r[0].s] = true
		}
		want := 2
		if layer == "latest" || name == "mart_latest_scorecard" {
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

func bigQueryCells(t *testing.T, bq *bigquery.Warehouse, sql string) ([]string, [][]cell) {
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
		t.Fatalf("BigQuery %s: reading the result: %v", sql, err) // name the query: an emulator failure here says which
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

func duckDBCells(t *testing.T, db *local.DB, sql string) ([]string, [][]cell) {
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
	err = local.Each(rows, func(vals []any) error {
		row := make([]cell, len(cols))
		for i, v := range vals {
			row[i] = goCell(v, types[i].DatabaseTypeName())
		}
		out = append(out, row)
		return nil
	})
	if err != nil {
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
	return cell{s: local.Text(v, dbType)}
}
