package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

func TestSQLUsage(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, schema.Runs), 0o755) // a warehouse: pqi ingest made it
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sql", "--help"}, 0, "--deploy"},
		{[]string{"sql", "--query", "SELECT 1"}, 2, "--warehouse is required"},
		{[]string{"sql", "--warehouse", "bq://my-project/pqi"}, 2, "exactly one of"},
		{[]string{"sql", "--warehouse", "bq://my-project/pqi", "--query", "x", "--deploy"}, 2, "exactly one of"},
		{[]string{"sql", "--warehouse", dir, "--query", "SELECT 41 + 1 AS answer"}, 0, "No partition yet of applications, attribution"},
		{[]string{"sql", "--warehouse", dir, "--deploy"}, 2, "are for BigQuery"},
		{[]string{"sql", "--warehouse", dir, "--query", "x", "--dry-run"}, 2, "are for BigQuery"},
		{[]string{"sql", "--warehouse", filepath.Join(dir, "absent"), "--query", "SELECT 1"}, 2, "absent does not exist"},
		{[]string{"sql", "--warehouse", "bq://My_Project/pqi", "--query", "SELECT 1"}, 2, "not a valid Google Cloud project ID"},
		{[]string{"sql", "--warehouse", "bq://my-project/pqi`x", "--query", "SELECT 1"}, 2, "not a valid BigQuery dataset name"},
		{[]string{"sql", "--warehouse", "bq://my-project/pqi?publish=yolo", "--query", "SELECT 1"}, 2, "publish=yolo"},
	} {
		code, out, errs := pqi(c.args...)
		if code != c.code || !strings.Contains(out+errs, c.want) {
			t.Errorf("pqi %s: exit %d, want %d with %q\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), code, c.code, c.want, out, errs)
		}
	}
}

func TestOpenWarehouseLocal(t *testing.T) {
	dir := t.TempDir()
	w, err := openWarehouse(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if r, ok := w.Warehouse.(interface{ Root() string }); !ok || r.Root() != dir {
		t.Errorf("a directory opened as %T, want the local warehouse at %s", w.Warehouse, dir)
	}
	var ue usageError
	if _, err := openWarehouse(context.Background(), "s3://bucket/wh"); !errors.As(err, &ue) {
		t.Errorf("s3:// as a warehouse: %v, want a usage error", err)
	}
}

// On the local warehouse pqi sql runs in DuckDB over the views of
// sql/duckdb: the latest scorecard of a scored warehouse has one row per
// scored partner, with the partner's name from the partners table.
func TestSQLOnTheLocalWarehouse(t *testing.T) {
	wh := filepath.Join(t.TempDir(), "wh")
	if code, _, errs := pqi("run", "--in", "../../testdata/crm/exports", "--warehouse", wh, "--as-of", "2026-09-30"); code != 0 {
		t.Fatalf("pqi run: exit %d\n%s", code, errs)
	}
	code, out, errs := pqi("sql", "--warehouse", wh, "--query",
		"SELECT count(*) AS partners, count(partner_name) AS named, min(as_of_date) AS as_of FROM mart_latest_scorecard")
	if code != 0 {
		t.Fatalf("pqi sql: exit %d\n%s", code, errs)
	}
	w, err := local.Open(wh, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	asOf, _ := schema.ParseDay("2026-09-30")
	rr, err := w.Read(context.Background(), schema.PartnerQuality, asOf)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	n := 0
	for rr.Next() {
		n += int(rr.Record().NumRows())
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[1]), " ") != fmt.Sprintf("%d %d 2026-09-30", n, n) || n == 0 {
		t.Errorf("mart_latest_scorecard through pqi sql:\n%s\nwant %d partners, all named, as of 2026-09-30", out, n)
	}
}

// A --warehouse that is neither a folder nor bq://PROJECT/DATASET is a
// usage error for every command, and creates nothing (pqi runs once made
// a folder named "bq:").
func TestBadWarehouseSpecCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, spec := range []string{"bq:/p/d", "bq:p", "gs://b/wh", "bq://p"} {
		for _, cmd := range [][]string{{"runs"}, {"score"}, {"report", "--out", "b.pdf"}, {"ingest", "--in", "."}, {"sql", "--query", "SELECT 1"}} {
			args := append(append([]string{}, cmd...), "--warehouse", spec)
			if code, _, errs := pqi(args...); code != 2 {
				t.Errorf("pqi %s: exit %d, want 2\n%s", strings.Join(args, " "), code, errs)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad specs created %v", entries)
	}
}

func TestPrintRecords(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "source", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "rows", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(alloc, sc)
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"deals", "csat", "churn\tx"}, []bool{true, true, true})
	b.Field(1).(*array.Int64Builder).AppendValues([]int64{120, 0, 3}, []bool{true, false, true})
	rec := b.NewRecord()
	b.Release()
	rr, err := array.NewRecordReader(sc, []arrow.Record{rec})
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var out bytes.Buffer
	if err := (output{w: &out, format: "text", maxRows: 2}).records(rr); err != nil {
		t.Fatal(err)
	}
	want := "source  rows\ndeals    120\ncsat    NULL\n(3 rows, 2 shown; --max-rows shows more, --format csv or json every row)\n"
	if out.String() != want {
		t.Errorf("printed\n%q\nwant\n%q", out.String(), want)
	}
}
