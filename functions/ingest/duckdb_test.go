package ingest

import (
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/partnerq/pqi/transforms/schema"
)

// duckdb runs SQL in an in-memory DuckDB (the engine pqi sql uses on the
// local warehouse, linked in through cgo) and returns the rows.
func duckdb(t *testing.T, query string) []map[string]any {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, query)
	}
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	err = local.Each(rows, func(vals []any) error {
		row := map[string]any{}
		for i, c := range cols {
			row[c] = vals[i]
		}
		out = append(out, row)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Another engine reads the warehouse: same rows, same names byte for byte,
// exact decimals, real DATE and DECIMAL types, hive partitions.
func TestDuckDBReadsTheWarehouse(t *testing.T) {
	exports, _ := generate(t, 21, 0.01)
	f := newFixture(t, local.Options{})
	sum, err := f.ingest(exports)
	if err != nil {
		t.Fatal(err)
	}
	glob := func(table string) string {
		return fmt.Sprintf("read_parquet('%s/%s/*/*.parquet', hive_partitioning = true)", f.root, table)
	}
	for _, s := range sum.Sources {
		rows := duckdb(t, "SELECT count(*) AS n FROM "+glob(s.Source))
		if got := fmt.Sprint(rows[0]["n"]); got != fmt.Sprint(s.Accepted) {
			t.Errorf("%s: DuckDB counts %s rows, pqi accepted %d", s.Source, got, s.Accepted)
		}
	}
	types := duckdb(t, "SELECT typeof(amount_usd) AS amount, typeof(created_date) AS created, typeof(qualified) AS q, "+
		"CAST(any_value(as_of) AS VARCHAR) AS part FROM "+glob(schema.Deals)+" GROUP BY ALL")
	if len(types) != 1 || types[0]["amount"] != "DECIMAL(18,2)" || types[0]["created"] != "DATE" || types[0]["q"] != "BOOLEAN" || types[0]["part"] != "2026-09-30" {
		t.Errorf("DuckDB sees types %v", types)
	}

	// Money is exact: DuckDB's decimal sum equals ours to the cent.
	total := duckdb(t, "SELECT CAST(sum(amount_usd) AS VARCHAR) AS s FROM "+glob(schema.Deals))
	want := new(big.Rat)
	for _, d := range f.rows(t, schema.Deals) {
		if v, ok := d[schema.AmountUSD]; ok {
			r, _ := new(big.Rat).SetString(v)
			want.Add(want, r)
		}
	}
	got, _ := new(big.Rat).SetString(fmt.Sprint(total[0]["s"]))
	if got == nil || got.Cmp(want) != 0 {
		t.Errorf("sum(amount_usd): DuckDB %v, pqi %s", total[0]["s"], want.FloatString(2))
	}

	// Unicode names are identical byte for byte.
	names := duckdb(t, "SELECT partner_name FROM "+glob(schema.Partners)+" ORDER BY partner_id")
	var fromDuck, fromUs []string
	for _, r := range names {
		fromDuck = append(fromDuck, r["partner_name"].(string))
	}
	for _, p := range f.rows(t, schema.Partners) {
		fromUs = append(fromUs, p[schema.PartnerID]+"\x00"+p[schema.PartnerName])
	}
	sort.Strings(fromUs)
	for i := range fromUs {
		fromUs[i] = fromUs[i][strings.IndexByte(fromUs[i], 0)+1:]
	}
	if strings.Join(fromDuck, "\n") != strings.Join(fromUs, "\n") {
		t.Error("partner names differ between DuckDB and pqi")
	}
	runs := duckdb(t, "SELECT outcome, typeof(started_at) AS ts FROM "+glob(schema.Runs))
	if len(runs) != 1 || runs[0]["outcome"] != "succeeded" || runs[0]["ts"] != "TIMESTAMP WITH TIME ZONE" {
		t.Errorf("runs as DuckDB sees it: %v", runs)
	}
}
