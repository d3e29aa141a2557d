package bigquery

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/local"

	bq "cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/partnerq/pqi/transforms/schema"
)

var updateDDL = flag.Bool("update", false, "rewrite the generated SQL (sql/ddl, sql/tests/assert_*_values.sql) from the schema package")

// The generated SQL files are what analysts read and what EnsureSchema and
// the assertions run: they must equal what the schema package generates,
// table for table. sql/ddl holds only generated files; sql/tests holds
// generated assert_<table>_values.sql beside hand-written assertions.
func TestGeneratedSQLMatchesSchema(t *testing.T) {
	for _, g := range []struct {
		dir, glob string
		files     func() ([]string, map[string]string, error)
	}{
		{"../../../sql/ddl", "*.sql", DDLFiles},
		{"../../../sql/tests", "assert_*_values.sql", ValuesAssertionFiles},
		{"../../../sql/duckdb/tables", "*.sql", local.DuckDBTableFiles},
		{"../../../sql/views/latest", "*.sql", LatestViewFiles},
		{"../../../sql/duckdb/latest", "*.sql", local.DuckDBLatestViewFiles},
	} {
		names, files, err := g.files()
		if err != nil {
			t.Fatal(err)
		}
		checkGenerated(t, g.dir, g.glob, names, files)
	}
}

func checkGenerated(t *testing.T, dir, glob string, names []string, files map[string]string) {
	t.Helper()
	fix := "run go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update"
	if *updateDDL {
		old, _ := filepath.Glob(filepath.Join(dir, glob))
		for _, p := range old {
			if _, keep := files[filepath.Base(p)]; !keep {
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(dir, n), []byte(files[n]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	onDisk, err := filepath.Glob(filepath.Join(dir, glob))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range onDisk {
		got = append(got, filepath.Base(p))
	}
	want := append([]string(nil), names...)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%s holds %v, the schema has %v; %s", dir, got, want, fix)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != files[n] {
			t.Errorf("%s/%s differs from the schema package; %s", dir, n, fix)
		}
	}
}

func TestDDLOfDeals(t *testing.T) {
	tb := schema.Get(schema.Deals)
	ddl, err := DDL(tb)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"CREATE TABLE IF NOT EXISTS `{{dataset}}.deals` (\n",
		"  deal_id STRING NOT NULL OPTIONS(description = \"Deal identifier, unique.\"),\n",
		"  closed_date DATE OPTIONS(description = \"Date the deal closed; null while open.\"),\n",
		"  amount_usd NUMERIC(18, 2) OPTIONS(description = \"Deal amount in USD.\"),\n",
		"  qualified BOOL OPTIONS(",
		"  source_row INT64 NOT NULL OPTIONS(",
		"  as_of_date DATE NOT NULL OPTIONS(",
		"\nPARTITION BY as_of_date\n",
	} {
		if !strings.Contains(ddl, want) {
			t.Errorf("deals DDL lacks %q:\n%s", want, ddl)
		}
	}
	// deals has no partner_id: it is clustered by its key, the column
	// every join to it uses; it is a snapshot table, so queries must name
	// an as-of date.
	for _, want := range []string{"\nCLUSTER BY deal_id\n", ", require_partition_filter = TRUE)"} {
		if !strings.Contains(ddl, want) {
			t.Errorf("deals DDL lacks %q:\n%s", want, ddl)
		}
	}
	tb, _ = schema.Lookup(schema.Churn)
	ddl, _ = DDL(tb)
	if !strings.Contains(ddl, "\nCLUSTER BY partner_id\n") {
		t.Errorf("churn DDL is not clustered by partner_id:\n%s", ddl)
	}
}

func TestSQLStringEscapes(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:          `"plain"`,
		`say "hi"`:       `"say \"hi\""`,
		`back\slash`:     `"back\\slash"`,
		"two\nlines":     `"two\nlines"`,
		`e.g. "x"; -- y`: `"e.g. \"x\"; -- y"`,
	} {
		if got := sqlString(in); got != want {
			t.Errorf("sqlString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestBigQuerySchemaTypesAndNullability(t *testing.T) {
	tb := schema.Get(schema.Runs)
	sc, err := TableSchema(tb)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*bq.FieldSchema{}
	for _, f := range sc {
		byName[f.Name] = f
	}
	check := func(name string, typ bq.FieldType, required bool) {
		t.Helper()
		f := byName[name]
		if f == nil {
			t.Fatalf("no field %s", name)
		}
		if f.Type != typ || f.Required != required {
			t.Errorf("%s: %s required=%v, want %s required=%v", name, f.Type, f.Required, typ, required)
		}
		if f.Description == "" {
			t.Errorf("%s has no description", name)
		}
	}
	check(schema.StartedAt, bq.TimestampFieldType, true)
	check(schema.AsOfDate, bq.DateFieldType, true)
	check(schema.DurationMS, bq.IntegerFieldType, true)
	check(schema.Error, bq.StringFieldType, false)

	tb, _ = schema.Lookup(schema.Deals)
	sc, _ = TableSchema(tb)
	for _, f := range sc {
		if f.Name == schema.AmountUSD {
			if f.Type != bq.NumericFieldType || f.Precision != 18 || f.Scale != 2 || f.Required {
				t.Errorf("amount_usd: %+v, want nullable NUMERIC(18,2)", f)
			}
		}
	}
}

func TestIdentifierValidation(t *testing.T) {
	for _, p := range []string{"my-project", "pqi-prod-123456", "abcdef"} {
		if err := ValidateProject(p); err != nil {
			t.Errorf("project %q refused: %v", p, err)
		}
	}
	for _, p := range []string{"", "short", "My-Project", "1project", "proj-", "proj`ect", "proj.ds", "example.com:proj",
		"a-very-long-project-name-over-thirty", "proj; DROP TABLE x"} {
		if err := ValidateProject(p); err == nil {
			t.Errorf("project %q accepted", p)
		}
	}
	for _, d := range []string{"pqi", "PQI_prod", "_private", "a1"} {
		if err := ValidateDataset(d); err != nil {
			t.Errorf("dataset %q refused: %v", d, err)
		}
	}
	for _, d := range []string{"", "1pqi", "pqi-prod", "pqi.raw", "pqi`", "pqi prod", "pqi;--", "ds\n", strings.Repeat("a", 1025)} {
		if err := ValidateDataset(d); err == nil {
			t.Errorf("dataset %q accepted", d)
		}
	}
	if _, err := warehouse.CheckSQLTable("partners"); err != nil {
		t.Error(err)
	}
	for _, n := range []string{"nope", "partners`; DROP TABLE x; --", "Partners", ""} {
		if _, err := warehouse.CheckSQLTable(n); err == nil {
			t.Errorf("table %q accepted", n)
		}
	}
	// RenderSQL validates before it substitutes.
	if _, err := RenderSQL("SELECT 1 FROM `{{dataset}}.partners`", "my-project", "pqi` UNION ALL SELECT 2 --"); err == nil {
		t.Error("RenderSQL accepted a dataset with a backtick")
	}
	got, err := RenderSQL("SELECT 1 FROM `{{dataset}}.partners`", "my-project", "pqi")
	if err != nil || got != "SELECT 1 FROM `my-project.pqi.partners`" {
		t.Errorf("RenderSQL = %q, %v", got, err)
	}
}

func TestJobIDsAreDeterministicAndValid(t *testing.T) {
	w := &Warehouse{cfg: Config{Project: "p", Dataset: "pqi"}}
	jobID := w.jobID
	a := jobID("stage", "deals", 20726, "ing-abc", "sha1")
	if a != jobID("stage", "deals", 20726, "ing-abc", "sha1") {
		t.Error("same inputs, different job IDs")
	}
	for _, other := range []string{
		jobID("stage", "deals", 20727, "ing-abc", "sha1"),
		jobID("stage", "csat", 20726, "ing-abc", "sha1"),
		jobID("stage", "deals", 20726, "ing-abd", "sha1"),
		jobID("stage", "deals", 20726, "ing-abc", "sha2"),
		jobID("load", "deals", 20726, "ing-abc", "sha1"),
		(&Warehouse{cfg: Config{Project: "p", Dataset: "pqi_eu"}}).jobID("stage", "deals", 20726, "ing-abc", "sha1"),
		(&Warehouse{cfg: Config{Project: "q", Dataset: "pqi"}}).jobID("stage", "deals", 20726, "ing-abc", "sha1"),
	} {
		if other == a {
			t.Errorf("different inputs share job ID %s", a)
		}
	}
	if !strings.HasPrefix(a, "pqi_stage_deals_20260930_") || !jobIDPattern.MatchString(a) {
		t.Errorf("job ID %q", a)
	}
	if attemptID(a, 1) != a || attemptID(a, 3) != a+"_r3" {
		t.Errorf("attempt IDs %q %q", attemptID(a, 1), attemptID(a, 3))
	}
}

func TestErrorClassification(t *testing.T) {
	dup := &googleapi.Error{Code: 409, Message: "Already Exists: Job pqi-prod:US.pqi_stage_deals_20260930_abc"}
	if !isDuplicate(fmt.Errorf("starting job: %w", dup)) || isNotFound(dup) {
		t.Error("a 409 is not classified as a duplicate")
	}
	nf := &googleapi.Error{Code: 404}
	if !isNotFound(fmt.Errorf("x: %w", nf)) || isDuplicate(nf) {
		t.Error("a 404 is not classified as not found")
	}
	if isDuplicate(&googleapi.Error{Code: 500, Message: "job x is already created"}) {
		t.Error("a 500 counted as a duplicate")
	}
}

// The publish is one multi-statement transaction: every table's as-of
// partition is deleted and refilled from its staging table between one
// BEGIN and one COMMIT, so BigQuery applies all of them or none.
func TestPublishScriptIsOneTransaction(t *testing.T) {
	w := &Warehouse{cfg: Config{Project: "p", Dataset: "d"}}
	tx := &bqTx{w: w, day: "2026-09-30", tables: []*bqTable{{t: schema.Get(schema.Deals)}, {t: schema.Get(schema.Quarantine)}}}
	script := tx.publishScript([]string{"_pqi_staging_deals_x", "_pqi_staging_quarantine_y"})
	lines := strings.Split(strings.TrimSpace(script), "\n")
	if len(lines) != 6 || lines[0] != "BEGIN TRANSACTION;" || lines[5] != "COMMIT TRANSACTION;" {
		t.Fatalf("script:\n%s", script)
	}
	for i, table := range []string{"deals", "quarantine"} {
		del, ins := lines[1+2*i], lines[2+2*i]
		if del != "DELETE FROM `p.d."+table+"` WHERE as_of_date = DATE '2026-09-30';" {
			t.Errorf("delete of %s: %s", table, del)
		}
		if !strings.HasPrefix(ins, "INSERT INTO `p.d."+table+"` (") || !strings.HasSuffix(ins, " FROM `p.d._pqi_staging_"+table+"_"+[]string{"x", "y"}[i]+"`;") {
			t.Errorf("insert of %s: %s", table, ins)
		}
	}
}
