package warehouse_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/bigquery"
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/goccy/bigquery-emulator/server"
	"google.golang.org/api/option"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/report"
	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/pdf"
	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

// These tests run the BigQuery warehouse against the in-process emulator
// (github.com/goccy/bigquery-emulator): HTTP on a loopback httptest server,
// the Storage Read API over an in-memory gRPC listener. Everything they
// start stops in t.Cleanup.

const (
	emuProject = "pqi-test"
	emuDataset = "pqi"
)

func startEmulator(t *testing.T) *bigquery.Client {
	t.Helper()
	return startEmulatorWith(t, nil)
}

// startEmulatorWith is startEmulator with the client's HTTP requests sent
// through transport (nil = the default), for tests that count or break them.
func startEmulatorWith(t *testing.T, transport http.RoundTripper) *bigquery.Client {
	t.Helper()
	ctx := context.Background()
	srv, err := server.New(server.TempStorage)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetProject(emuProject); err != nil {
		t.Fatal(err)
	}
	ts := srv.TestServer()
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	opts := []option.ClientOption{option.WithEndpoint(ts.URL), option.WithoutAuthentication()}
	if transport != nil {
		opts = append(opts, option.WithHTTPClient(&http.Client{Transport: transport}))
	}
	client, err := bigquery.NewClient(ctx, emuProject, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	gopts, err := ts.GRPCClientOptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.EnableStorageReadClient(ctx, gopts...); err != nil {
		t.Fatal(err)
	}
	return client
}

func openEmulated(t *testing.T, client *bigquery.Client, alloc memory.Allocator) *warehouse.BigQuery {
	t.Helper()
	w, err := warehouse.OpenBigQuery(client, warehouse.BigQueryConfig{
		Project: emuProject, Dataset: emuDataset, TempDir: t.TempDir(),
	}, alloc)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.EnsureSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w
}

var pipelineAsOf, _ = schema.ParseDate("2026-09-30")

func generate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "exports")
	_, err := gen.Run(context.Background(), gen.Config{
		Partners: 40, Seed: 11, Quarters: 4, AsOf: schema.DateOf(pipelineAsOf), DealsPerPartner: 10,
		BadRows: 0.02, Format: "csv", Out: out, TruthDir: filepath.Join(dir, "truth"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func runIngest(t *testing.T, w warehouse.Warehouse, alloc memory.Allocator, exports string, clock *time.Time) ingest.Summary {
	t.Helper()
	return runIngestAt(t, w, alloc, exports, pipelineAsOf, clock)
}

func runIngestAt(t *testing.T, w warehouse.Warehouse, alloc memory.Allocator, exports string, asOf int32, clock *time.Time) ingest.Summary {
	t.Helper()
	sum, err := ingest.Run(context.Background(),
		ingest.Config{AsOf: asOf, Exports: os.DirFS(exports), ExportsName: exports, CodeVersion: "test", BatchRows: 500},
		ingest.Deps{Warehouse: w, Alloc: alloc, Now: func() time.Time { *clock = clock.Add(time.Second); return *clock }})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// ingestLocally ingests exports into a new local warehouse: the reference
// the BigQuery warehouse is compared with.
func ingestLocally(t *testing.T, alloc memory.Allocator, exports string, clock *time.Time) (*warehouse.Local, ingest.Summary) {
	t.Helper()
	local, err := warehouse.OpenLocal(filepath.Join(t.TempDir(), "wh"), alloc)
	if err != nil {
		t.Fatal(err)
	}
	return local, runIngest(t, local, alloc, exports, clock)
}

func runScore(t *testing.T, w warehouse.Warehouse, alloc memory.Allocator, clock *time.Time) score.Summary {
	t.Helper()
	return runScoreAt(t, w, alloc, pipelineAsOf, clock)
}

func runScoreAt(t *testing.T, w warehouse.Warehouse, alloc memory.Allocator, asOf int32, clock *time.Time) score.Summary {
	t.Helper()
	qcfg, err := quality.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := score.Run(context.Background(),
		score.Config{AsOf: asOf, Quality: qcfg, Finance: score.DefaultFinance(), CodeVersion: "test"},
		score.Deps{Warehouse: w, Alloc: alloc, Now: func() time.Time { *clock = clock.Add(time.Second); return *clock }})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// rowsOf reads a partition as one line per row (every column's ValueStr),
// sorted, plus the schema it came in.
func rowsOf(t *testing.T, w warehouse.Warehouse, table string) (*arrow.Schema, []string) {
	t.Helper()
	rr, err := w.Read(context.Background(), table, pipelineAsOf)
	if err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	defer rr.Release()
	var out []string
	for rr.Next() {
		rec := rr.Record()
		if !rec.Schema().Equal(rr.Schema()) {
			t.Fatalf("%s: a record's schema differs from the reader's", table)
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			var b strings.Builder
			for c := 0; c < int(rec.NumCols()); c++ {
				col := rec.Column(c)
				if col.IsNull(r) {
					b.WriteString("NULL")
				} else {
					b.WriteString(col.ValueStr(r))
				}
				b.WriteByte('|')
			}
			out = append(out, b.String())
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return rr.Schema(), out
}

// queryRows runs SQL and returns its rows as strings.
func queryRows(t *testing.T, w *warehouse.BigQuery, sql string) ([]string, error) {
	t.Helper()
	rr, err := w.Query(context.Background(), sql, 0)
	if err != nil {
		return nil, err
	}
	defer rr.Release()
	var out []string
	for rr.Next() {
		rec := rr.Record()
		for r := 0; r < int(rec.NumRows()); r++ {
			var cells []string
			for c := 0; c < int(rec.NumCols()); c++ {
				if rec.Column(c).IsNull(r) {
					cells = append(cells, rec.ColumnName(c)+"=NULL")
				} else {
					cells = append(cells, rec.ColumnName(c)+"="+rec.Column(c).ValueStr(r))
				}
			}
			out = append(out, strings.Join(cells, " "))
		}
	}
	return out, rr.Err()
}

func count(t *testing.T, w *warehouse.BigQuery, table string) int64 {
	t.Helper()
	rr, err := w.Query(context.Background(), fmt.Sprintf("SELECT COUNT(*) AS n FROM `{{dataset}}.%s`", table), 0)
	if err != nil {
		t.Fatalf("counting %s: %v", table, err)
	}
	defer rr.Release()
	for rr.Next() {
		if rr.Record().NumRows() > 0 {
			return rr.Record().Column(0).(*array.Int64).Value(0)
		}
	}
	t.Fatalf("counting %s: no row (%v)", table, rr.Err())
	return 0
}

var ingestTables = append(append([]string(nil), schema.InputOrder...), schema.Quarantine)

func TestBigQueryPipelineMatchesLocal(t *testing.T) {
	ctx := context.Background()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	exports := generate(t)
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	local, localSum := ingestLocally(t, alloc, exports, &clock)

	bq := openEmulated(t, startEmulator(t), alloc)
	// EnsureSchema is idempotent: a second call changes nothing and succeeds.
	if err := bq.EnsureSchema(ctx); err != nil {
		t.Fatalf("second EnsureSchema: %v", err)
	}
	bqSum := runIngest(t, bq, alloc, exports, &clock)
	if bqSum.RunID != localSum.RunID {
		t.Errorf("run ids differ: local %s, BigQuery %s", localSum.RunID, bqSum.RunID)
	}

	// Tables read back through Arrow equal the local Parquet tables exactly:
	// same schema (types, nullability, descriptions) and the same rows.
	counts := map[string]int64{}
	for _, table := range ingestTables {
		ls, lrows := rowsOf(t, local, table)
		bs, brows := rowsOf(t, bq, table)
		want := schema.Get(table)
		if !bs.Equal(want.StoredArrow()) {
			t.Errorf("%s: BigQuery read schema\n%v\nwant\n%v", table, bs, want.StoredArrow())
		}
		for i, f := range ls.Fields() {
			if !f.Equal(bs.Field(i)) {
				t.Errorf("%s: field %d local %v, BigQuery %v", table, i, f, bs.Field(i))
			}
		}
		if len(lrows) != len(brows) {
			t.Errorf("%s: %d rows locally, %d in BigQuery", table, len(lrows), len(brows))
		}
		for i := 0; i < len(lrows) && i < len(brows); i++ {
			if lrows[i] != brows[i] {
				t.Errorf("%s: row %d differs\nlocal    %s\nBigQuery %s", table, i, lrows[i], brows[i])
				break
			}
		}
		counts[table] = count(t, bq, table)
		if counts[table] != int64(len(lrows)) {
			t.Errorf("%s: COUNT(*) = %d, read %d", table, counts[table], len(lrows))
		}
	}
	if counts[schema.Quarantine] == 0 || counts[schema.Deals] == 0 {
		t.Fatalf("the generated ecosystem loaded no deals or no quarantined rows: %v", counts)
	}
	parts, err := bq.Partitions(ctx, schema.Deals)
	if err != nil || len(parts) != 1 || parts[0] != pipelineAsOf {
		t.Errorf("partitions of deals: %v, %v; want [%s]", parts, err, schema.FormatDate(pipelineAsOf))
	}
	if _, err := bq.Read(ctx, schema.Deals, pipelineAsOf-1); !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("reading an absent partition: %v, want ErrNotFound", err)
	}

	// Re-running the same as-of date replaces: counts are unchanged; the
	// runs log gains the second run.
	runIngest(t, bq, alloc, exports, &clock)
	for _, table := range ingestTables {
		if n := count(t, bq, table); n != counts[table] {
			t.Errorf("%s: %d rows after re-running the as-of date, %d before", table, n, counts[table])
		}
	}
	if n := count(t, bq, schema.Runs); n != 2 {
		t.Errorf("runs holds %d rows after two ingests, want 2", n)
	}

	// Scoring reads each warehouse and publishes the scored tables into it;
	// the results are identical, read back through Arrow.
	localScore := runScore(t, local, alloc, &clock)
	bqScore := runScore(t, bq, alloc, &clock)
	if bqScore.RunID != localScore.RunID {
		t.Errorf("score run ids differ: local %s, BigQuery %s", localScore.RunID, bqScore.RunID)
	}
	for _, table := range localScore.Tables {
		_, lrows := rowsOf(t, local, table)
		if len(lrows) == 0 {
			// BigQuery keeps no empty partition: it reads as absent.
			if _, err := bq.Read(ctx, table, pipelineAsOf); !errors.Is(err, warehouse.ErrNotFound) {
				t.Errorf("%s: empty locally, BigQuery read gave %v", table, err)
			}
			continue
		}
		bs, brows := rowsOf(t, bq, table)
		want := schema.Get(table)
		if !bs.Equal(want.StoredArrow()) {
			t.Errorf("%s: BigQuery read schema differs from the stored schema", table)
		}
		if len(lrows) != len(brows) {
			t.Errorf("%s: %d rows locally, %d in BigQuery", table, len(lrows), len(brows))
		}
		for i := 0; i < len(lrows) && i < len(brows); i++ {
			if lrows[i] != brows[i] {
				t.Errorf("%s: row %d differs\nlocal    %s\nBigQuery %s", table, i, lrows[i], brows[i])
				break
			}
		}
	}

	// The board report reads either warehouse through the same interface
	// and prints the same PDF, byte for byte.
	var localPDF, bqPDF bytes.Buffer
	for _, r := range []struct {
		w   warehouse.Warehouse
		out *bytes.Buffer
	}{{local, &localPDF}, {bq, &bqPDF}} {
		settings, err := score.DefaultSettings()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := report.Run(ctx, report.Config{AsOf: pipelineAsOf, Company: "Emulated", PageSize: pdf.A4, Settings: settings, CodeVersion: "test"},
			report.Deps{Warehouse: r.w, Alloc: alloc, Now: func() time.Time { clock = clock.Add(time.Second); return clock }, Output: r.out}); err != nil {
			t.Fatalf("report: %v", err)
		}
	}
	if localPDF.Len() == 0 || !bytes.Equal(localPDF.Bytes(), bqPDF.Bytes()) {
		t.Errorf("board reports differ: local %d bytes, BigQuery %d bytes", localPDF.Len(), bqPDF.Len())
	}

	// The analyst surface: every view is created and every view and query
	// executes over the ingested and scored tables; every assertion returns
	// zero rows.
	views, err := bq.ApplyViews(ctx, pqisql.Files)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) < 10 {
		t.Errorf("only %d views created: %v", len(views), views)
	}
	for _, v := range views {
		if _, err := queryRows(t, bq, "SELECT * FROM `{{dataset}}."+v+"`"); err != nil {
			t.Errorf("view %s: %v", v, err)
		}
	}
	dq, err := queryRows(t, bq, "SELECT source, rows_read, rows_accepted, rows_quarantined FROM `{{dataset}}.mart_data_quality_by_source` ORDER BY source")
	if err != nil || len(dq) != len(schema.InputOrder) {
		t.Errorf("mart_data_quality_by_source: %v %v, want one row per source", dq, err)
	}
	runSQLDir(t, bq, "queries", func(name string, rows []string) {})
	runSQLDir(t, bq, "tests", func(name string, rows []string) {
		if len(rows) > 0 {
			t.Errorf("assertion %s returned %d rows, e.g. %s", name, len(rows), rows[0])
		}
	})
}

func runSQLDir(t *testing.T, bq *warehouse.BigQuery, dir string, check func(name string, rows []string)) {
	t.Helper()
	files, err := fs.Glob(pqisql.Files, dir+"/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no SQL in sql/%s: %v", dir, err)
	}
	for _, f := range files {
		text, err := fs.ReadFile(pqisql.Files, f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := queryRows(t, bq, string(text))
		if err != nil {
			t.Errorf("sql/%s: %v", f, err)
			continue
		}
		check(f, rows)
	}
}

// A run recorded twice (a retried invocation) appends one row: the load
// job's ID is derived from the run, and the second call finds it done.
// Committing the same data twice loads it once.
func TestBigQueryRetriedLoadDoesNotDuplicate(t *testing.T) {
	ctx := context.Background()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	bq := openEmulated(t, startEmulator(t), alloc)
	started := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	run := warehouse.Run{RunID: "ing-retry", AsOf: pipelineAsOf, Job: "ingest", StartedAt: started,
		FinishedAt: started.Add(1500 * time.Millisecond), Outcome: "succeeded", CodeVersion: "test",
		ConfigDigest: "abc", Inputs: "[]"}
	for i := 0; i < 3; i++ {
		if err := bq.AppendRun(ctx, run); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, bq, schema.Runs); n != 1 {
		t.Errorf("the same run appended three times left %d rows, want 1", n)
	}
	rows, err := queryRows(t, bq, "SELECT run_id, duration_ms, error, tables_written FROM `{{dataset}}.runs`")
	if err != nil || len(rows) != 1 || rows[0] != "run_id=ing-retry duration_ms=1500 error=NULL tables_written=NULL" {
		t.Errorf("runs: %v %v", rows, err)
	}
	// A different start time is a different run attempt: it is appended.
	run.StartedAt = started.Add(time.Hour)
	run.FinishedAt = run.StartedAt.Add(time.Second)
	if err := bq.AppendRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if n := count(t, bq, schema.Runs); n != 2 {
		t.Errorf("a second attempt left %d rows, want 2", n)
	}
	// pqi runs reads them as it reads the local warehouse's.
	all, err := warehouse.AllRuns(ctx, bq)
	if err != nil || len(all) != 2 || all[0].RunID != "ing-retry" || !all[1].StartedAt.Equal(run.StartedAt) || all[0].FinishedAt.Sub(all[0].StartedAt) != 1500*time.Millisecond {
		t.Errorf("AllRuns: %+v %v", all, err)
	}
}

// tableUpdates counts the requests that change a table's metadata
// (PATCH or PUT on .../tables/NAME) and the query jobs started.
type tableUpdates struct {
	mu      sync.Mutex
	updates map[string]int
	jobs    int
}

func (c *tableUpdates) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	switch {
	case (r.Method == http.MethodPatch || r.Method == http.MethodPut) && strings.Contains(r.URL.Path, "/tables/"):
		c.updates[r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]]++
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/jobs"):
		c.jobs++
	}
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// A dataset made by an older pqi, whose partner_quality lacks the last
// component's nine columns and has a column required that is now
// nullable, is brought to the schema in one metadata update of that table
// and no statement; descriptions follow the schema package.
func TestBigQuerySchemaEvolvesInOneUpdatePerTable(t *testing.T) {
	ctx := context.Background()
	counter := &tableUpdates{updates: map[string]int{}}
	client := startEmulatorWith(t, counter)
	w := openEmulated(t, client, memory.NewGoAllocator())

	// A fresh dataset: every table partitioned by as_of_date, clustered,
	// and the snapshot tables refuse a query that names no as-of date.
	for _, tb := range schema.All() {
		md, err := client.DatasetInProject(emuProject, emuDataset).Table(tb.Name).Metadata(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if md.TimePartitioning == nil || md.TimePartitioning.Field != schema.AsOfDate {
			t.Errorf("%s is not partitioned by as_of_date: %+v", tb.Name, md.TimePartitioning)
		}
		if md.RequirePartitionFilter != warehouse.RequiresPartitionFilter(tb) {
			t.Errorf("%s: require_partition_filter %v, want %v", tb.Name, md.RequirePartitionFilter, !md.RequirePartitionFilter)
		}
		if (tb.Name == schema.Deals || tb.Name == schema.PartnerQuality) && (md.Clustering == nil || len(md.Clustering.Fields) != 1) {
			t.Errorf("%s is not clustered: %+v", tb.Name, md.Clustering)
		}
	}
	if !warehouse.RequiresPartitionFilter(schema.Get(schema.Deals)) || warehouse.RequiresPartitionFilter(schema.Get(schema.Runs)) {
		t.Error("deals must require a partition filter, runs must not")
	}

	pq := schema.Get(schema.PartnerQuality)
	full, err := warehouse.BigQuerySchema(pq)
	if err != nil {
		t.Fatal(err)
	}
	old := full[:len(full)-9]
	var relaxed string
	for _, f := range old {
		if !f.Required && f.Type == bigquery.StringFieldType {
			f.Required, relaxed = true, f.Name // the older schema required it
			break
		}
	}
	table := client.DatasetInProject(emuProject, emuDataset).Table(pq.Name)
	if err := table.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	// The previous version's table: partitioned, but neither clustered nor
	// requiring a partition filter.
	if err := table.Create(ctx, &bigquery.TableMetadata{Schema: old,
		TimePartitioning: &bigquery.TimePartitioning{Type: bigquery.DayPartitioningType, Field: schema.AsOfDate}}); err != nil {
		t.Fatal(err)
	}
	counter.mu.Lock()
	counter.updates, counter.jobs = map[string]int{}, 0
	counter.mu.Unlock()

	if err := w.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if got := counter.updates; len(got) != 1 || got[pq.Name] != 1 || counter.jobs != 0 {
		t.Errorf("EnsureSchema made updates %v and %d query jobs, want one update of %s and none", got, counter.jobs, pq.Name)
	}
	md, err := table.Metadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Schema) != len(full) {
		t.Fatalf("%d columns after EnsureSchema, want %d", len(md.Schema), len(full))
	}
	if !md.RequirePartitionFilter || md.Clustering == nil || strings.Join(md.Clustering.Fields, ",") != schema.PartnerID {
		t.Errorf("the same update did not bring the partition-filter rule and clustering: %v %+v", md.RequirePartitionFilter, md.Clustering)
	}
	for i, f := range md.Schema {
		if f.Name != full[i].Name || f.Type != full[i].Type || f.Description != full[i].Description {
			t.Errorf("column %d: %s %s %q, want %s %s %q", i, f.Name, f.Type, f.Description, full[i].Name, full[i].Type, full[i].Description)
		}
		if f.Name == relaxed && f.Required {
			t.Errorf("%s is still required", relaxed)
		}
		if i >= len(old) && f.Required {
			t.Errorf("added column %s is required; BigQuery adds only nullable columns", f.Name)
		}
	}
	counter.mu.Lock()
	counter.updates = map[string]int{}
	counter.mu.Unlock()
	if err := w.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if len(counter.updates) != 0 {
		t.Errorf("a second EnsureSchema updated %v", counter.updates)
	}
}

// faults breaks the BigQuery conversation the way production does: the
// first load of the deals into staging runs but is reported failed with a
// retryable reason (backendError) on every look; the insert of the retry
// reaches BigQuery but its answer is lost, so the client sees a 409 when
// it finds its own job there.
type faults struct {
	mu                 sync.Mutex
	failed, conflicted string
}

var jobIDField = regexp.MustCompile(`"jobId":\s*"([^"]+)"`)

func (f *faults) RoundTrip(r *http.Request) (*http.Response, error) {
	var id string
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/jobs") && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if m := jobIDField.FindSubmatch(body); m != nil {
			id = string(m[1])
		}
	}
	f.mu.Lock()
	conflict := false
	if strings.HasPrefix(id, "pqi_stage_deals_") {
		switch {
		case f.failed == "":
			f.failed = id
		case f.conflicted == "" && id != f.failed:
			f.conflicted, conflict = id, true
		}
	}
	failed := f.failed
	f.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	if conflict {
		resp.Body.Close()
		return jsonResponse(r, http.StatusConflict, fmt.Sprintf(`{"error":{"code":409,"message":"Already Exists: Job %s:%s","errors":[{"reason":"duplicate","message":"Already Exists"}]}}`, emuProject, id)), nil
	}
	if failed != "" && (id == failed || (r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/jobs/"+failed))) {
		var m map[string]any
		err := json.NewDecoder(resp.Body).Decode(&m)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		injected := map[string]any{"reason": "backendError", "message": "injected: backend error"}
		m["status"] = map[string]any{"state": "DONE", "errorResult": injected, "errors": []any{injected}}
		b, _ := json.Marshal(m) // a decoded JSON object: cannot fail
		return jsonResponse(r, http.StatusOK, string(b)), nil
	}
	return resp, nil
}

func jsonResponse(r *http.Request, code int, body string) *http.Response {
	return &http.Response{StatusCode: code, Status: http.StatusText(code), Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
}

// A staging load that fails once with a retryable reason is retried under
// the next job ID after a backoff, the retry's lost answer (a 409 for its
// own job) is taken as the job, and the ingest ends with every table as
// the local warehouse has it: one load, nothing doubled.
func TestBigQueryRetriesARetryableFailureAndA409(t *testing.T) {
	ctx := context.Background()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	exports := generate(t)
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	local, _ := ingestLocally(t, alloc, exports, &clock)

	f := &faults{}
	bq, err := warehouse.OpenBigQuery(startEmulatorWith(t, f), warehouse.BigQueryConfig{
		Project: emuProject, Dataset: emuDataset, TempDir: t.TempDir(), RetryWait: 10 * time.Millisecond,
	}, alloc)
	if err != nil {
		t.Fatal(err)
	}
	if err := bq.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	runIngest(t, bq, alloc, exports, &clock)
	if f.failed == "" || f.conflicted != f.failed+"_r2" {
		t.Fatalf("faults injected: failed %q, conflicted %q; want the retry under %s_r2", f.failed, f.conflicted, f.failed)
	}
	for _, table := range ingestTables {
		_, lrows := rowsOf(t, local, table)
		_, brows := rowsOf(t, bq, table)
		if strings.Join(lrows, "\n") != strings.Join(brows, "\n") {
			t.Errorf("%s: %d rows in BigQuery, %d locally, or they differ", table, len(brows), len(lrows))
		}
	}
}

// jobBodies records the configuration of every job inserted: its
// request body and its labels.
type jobBodies struct {
	mu     sync.Mutex
	bodies []string
	labels []map[string]string
}

func (j *jobBodies) last() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bodies[len(j.bodies)-1]
}

var jobLabelsField = regexp.MustCompile(`"labels":\s*(\{[^}]*\})`)

func (j *jobBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/jobs") && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		lb := map[string]string{}
		if m := jobLabelsField.FindSubmatch(body); m != nil {
			json.Unmarshal(m[1], &lb) // a missing or odd labels object is what the test reports
		}
		j.mu.Lock()
		j.labels = append(j.labels, lb)
		j.bodies = append(j.bodies, string(body))
		j.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Every job the pipeline starts carries labels saying what it is for, so
// that its cost can be traced: the step, and for a run's loads and
// publish its run and as-of date.
func TestBigQueryJobsAreLabelled(t *testing.T) {
	rec := &jobBodies{}
	alloc := memory.NewGoAllocator()
	bq := openEmulated(t, startEmulatorWith(t, rec), alloc)
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	sum := runIngest(t, bq, alloc, generate(t), &clock)
	rowsOf(t, bq, schema.Deals)
	steps := map[string]int{}
	for _, lb := range rec.labels {
		steps[lb["pqi_step"]]++
		if lb["pqi_step"] == "" {
			t.Errorf("a job without pqi_step: %v", lb)
		}
		switch lb["pqi_step"] {
		case "stage", "publish", "run":
			if lb["pqi_run"] != sum.RunID || lb["pqi_as_of"] != "2026-09-30" {
				t.Errorf("%s job labelled %v, want run %s as of 2026-09-30", lb["pqi_step"], lb, sum.RunID)
			}
		}
	}
	for _, s := range []string{"stage", "publish", "run", "read"} {
		if steps[s] == 0 {
			t.Errorf("no %s job among %v", s, steps)
		}
	}
}

// An analyst's query is bounded in bytes and can be priced first: the
// bound reaches BigQuery in the job (the emulator does not bill, so it
// cannot refuse), and a dry run returns its statistics without running.
func TestBigQueryAnalystQueryGuards(t *testing.T) {
	ctx := context.Background()
	rec := &jobBodies{}
	bq := openEmulated(t, startEmulatorWith(t, rec), memory.NewGoAllocator())
	rr, err := bq.Query(ctx, "SELECT COUNT(*) AS n FROM `{{dataset}}.deals`", 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	rr.Release()
	if last := rec.last(); !strings.Contains(last, `"maximumBytesBilled":"1073741824"`) {
		t.Errorf("the query job does not carry the bound: %s", last)
	}
	n, err := bq.DryRun(ctx, "SELECT * FROM `{{dataset}}.deals`")
	if err != nil || n < 0 {
		t.Fatalf("dry run: %d bytes, %v", n, err)
	}
	if last := rec.last(); !strings.Contains(last, `"dryRun":true`) {
		t.Errorf("the dry run is not one: %s", last)
	}
}

// The generated value assertions find what they are for: a deal whose
// status is not one of the contract's. (The emulator enforces NOT NULL,
// so a row with an empty required column cannot be inserted to try the
// other half; the pipeline test runs both halves on real rows.)
func TestBigQueryValueAssertionsFindBadRows(t *testing.T) {
	ctx := context.Background()
	bq := openEmulated(t, startEmulator(t), memory.NewGoAllocator())
	var cols, vals []string
	for _, c := range schema.Get(schema.Deals).Stored() {
		if !c.Required {
			continue
		}
		v := map[schema.Kind]string{schema.String: "'x'", schema.Date: "DATE '2026-09-30'", schema.Int: "1", schema.Money: "NUMERIC '1'", schema.Bool: "TRUE", schema.Timestamp: "TIMESTAMP '2026-10-01 00:00:00+00'"}[c.Kind]
		if c.Kind == schema.Enum {
			v = "'" + c.Enum[0] + "'"
		}
		if c.Name == schema.Status {
			v = "'closed won'"
		}
		if v == "" {
			t.Fatalf("no test value for %s (%v)", c.Name, c.Kind)
		}
		cols, vals = append(cols, c.Name), append(vals, v)
	}
	if err := bq.Exec(ctx, fmt.Sprintf("INSERT INTO `{{dataset}}.deals` (%s) VALUES (%s)", strings.Join(cols, ", "), strings.Join(vals, ", "))); err != nil {
		t.Fatal(err)
	}
	text, err := fs.ReadFile(pqisql.Files, "tests/assert_deals_values.sql")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := queryRows(t, bq, string(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !strings.Contains(rows[0], "column_name=status value=closed won") {
		t.Errorf("assert_deals_values returned %v, want the one bad status", rows)
	}
}
