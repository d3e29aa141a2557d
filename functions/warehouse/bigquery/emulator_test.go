package bigquery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/emulatortest"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/report"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	"github.com/partnerq/pqi/functions/warehouse/local"
	"github.com/partnerq/pqi/reports/pdf"
	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/schema"
)

// ingestLocally ingests exports into a new local warehouse: the reference
// the BigQuery warehouse is compared with.
func ingestLocally(t *testing.T, alloc memory.Allocator, exports string, clock *time.Time) (*local.Warehouse, ingest.Summary) {
	t.Helper()
	local, err := local.Open(filepath.Join(t.TempDir(), "wh"), alloc)
	if err != nil {
		t.Fatal(err)
	}
	return local, emulatortest.Ingest(t, local, alloc, exports, emulatortest.AsOf, clock)
}

var ingestTables = append(append([]string(nil), schema.InputOrder...), schema.Quarantine)

func TestBigQueryPipelineMatchesLocal(t *testing.T) {
	ctx := context.Background()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	exports := emulatortest.Generate(t)
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	local, localSum := ingestLocally(t, alloc, exports, &clock)

	bq := emulatortest.Open(t, emulatortest.Start(t), alloc)
	// EnsureSchema is idempotent: a second call changes nothing and succeeds.
	if err := bq.EnsureSchema(ctx); err != nil {
		t.Fatalf("second EnsureSchema: %v", err)
	}
	bqSum := emulatortest.Ingest(t, bq, alloc, exports, emulatortest.AsOf, &clock)
	if bqSum.RunID != localSum.RunID {
		t.Errorf("run ids differ: local %s, BigQuery %s", localSum.RunID, bqSum.RunID)
	}

	// Tables read back through Arrow equal the local Parquet tables exactly:
	// same schema (types, nullability, descriptions) and the same rows.
	counts := map[string]int64{}
	for _, table := range ingestTables {
		ls, lrows := emulatortest.Rows(t, local, table, emulatortest.AsOf)
		bs, brows := emulatortest.Rows(t, bq, table, emulatortest.AsOf)
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
		counts[table] = emulatortest.Count(t, bq, table)
		if counts[table] != int64(len(lrows)) {
			t.Errorf("%s: COUNT(*) = %d, read %d", table, counts[table], len(lrows))
		}
	}
	if counts[schema.Quarantine] == 0 || counts[schema.Deals] == 0 {
		t.Fatalf("the generated ecosystem loaded no deals or no quarantined rows: %v", counts)
	}
	parts, err := bq.Partitions(ctx, schema.Deals)
	if err != nil || len(parts) != 1 || parts[0] != emulatortest.AsOf {
		t.Errorf("partitions of deals: %v, %v; want [%s]", parts, err, emulatortest.AsOf.String())
	}
	// A read of some columns gives those columns of the same rows in the
	// same order (BigQuery's rows are put in order by source_file and
	// source_row, read for that and dropped), scanning only what it needs.
	some := []string{schema.RunID, schema.AmountUSD, schema.DealID}
	var others []string
	for _, c := range schema.Get(schema.Deals).Stored() {
		if !slices.Contains(some, c.Name) {
			others = append(others, c.Name)
		}
	}
	for name, w := range map[string]warehouse.Warehouse{"local": local, "BigQuery": bq} {
		_, want := emulatortest.Rows(t, w, schema.Deals, emulatortest.AsOf, others...)
		sc, got := emulatortest.ColumnRows(t, w, schema.Deals, emulatortest.AsOf, some...)
		if sc.NumFields() != 3 || sc.Field(0).Name != schema.DealID || sc.Field(2).Name != schema.RunID {
			t.Errorf("%s: a read of %v has the schema %v", name, some, sc)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: a read of %v differs from those columns of a whole read (%d rows, want %d)", name, some, len(got), len(want))
		}
	}
	if _, err := bq.Read(ctx, schema.Deals, emulatortest.AsOf-1); !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("reading an absent partition: %v, want ErrNotFound", err)
	}

	// Re-running the same as-of date replaces: counts are unchanged; the
	// runs log gains the second run.
	emulatortest.Ingest(t, bq, alloc, exports, emulatortest.AsOf, &clock)
	for _, table := range ingestTables {
		if n := emulatortest.Count(t, bq, table); n != counts[table] {
			t.Errorf("%s: %d rows after re-running the as-of date, %d before", table, n, counts[table])
		}
	}
	if n := emulatortest.Count(t, bq, schema.Runs); n != 2 {
		t.Errorf("runs holds %d rows after two ingests, want 2", n)
	}

	// Scoring reads each warehouse and publishes the scored tables into it;
	// the results are identical, read back through Arrow.
	localScore := emulatortest.Score(t, local, alloc, emulatortest.AsOf, &clock)
	bqScore := emulatortest.Score(t, bq, alloc, emulatortest.AsOf, &clock)
	if bqScore.RunID != localScore.RunID {
		t.Errorf("score run ids differ: local %s, BigQuery %s", localScore.RunID, bqScore.RunID)
	}
	for _, table := range localScore.Tables {
		_, lrows := emulatortest.Rows(t, local, table, emulatortest.AsOf)
		if len(lrows) == 0 {
			// BigQuery keeps no empty partition: it reads as absent.
			if _, err := bq.Read(ctx, table, emulatortest.AsOf); !errors.Is(err, warehouse.ErrNotFound) {
				t.Errorf("%s: empty locally, BigQuery read gave %v", table, err)
			}
			continue
		}
		bs, brows := emulatortest.Rows(t, bq, table, emulatortest.AsOf)
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
		settings, err := settings.Default()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := report.Run(ctx, report.Config{AsOf: emulatortest.AsOf, Company: "Emulated", PageSize: pdf.A4, Settings: &settings, CodeVersion: "test"},
			report.Deps{Deps: warehouse.Deps{Warehouse: r.w, Alloc: alloc, Now: func() time.Time { clock = clock.Add(time.Second); return clock }}, Output: r.out}); err != nil {
			t.Fatalf("report: %v", err)
		}
	}
	if localPDF.Len() == 0 || !bytes.Equal(localPDF.Bytes(), bqPDF.Bytes()) {
		t.Errorf("board reports differ: local %d bytes, BigQuery %d bytes", localPDF.Len(), bqPDF.Len())
	}

	// The analyst surface (every view, worked question and assertion, over
	// two quarters and against DuckDB) is tested in functions/warehouse/local.

}

// A run recorded twice (a retried invocation) appends one row: the load
// job's ID is derived from the run, and the second call finds it done.
// Committing the same data twice loads it once.
func TestBigQueryRetriedLoadDoesNotDuplicate(t *testing.T) {
	ctx := context.Background()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	bq := emulatortest.Open(t, emulatortest.Start(t), alloc)
	started := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	run := warehouse.Run{RunID: "ing-retry", AsOf: emulatortest.AsOf, Job: "ingest", StartedAt: started,
		FinishedAt: started.Add(1500 * time.Millisecond), Outcome: "succeeded", CodeVersion: "test",
		ConfigDigest: "abc", Inputs: "[]"}
	for i := 0; i < 3; i++ {
		if err := bq.AppendRun(ctx, run); err != nil {
			t.Fatal(err)
		}
	}
	if n := emulatortest.Count(t, bq, schema.Runs); n != 1 {
		t.Errorf("the same run appended three times left %d rows, want 1", n)
	}
	rows, err := emulatortest.QueryRows(t, bq, "SELECT run_id, duration_ms, error, tables_written FROM `{{dataset}}.runs`")
	if err != nil || len(rows) != 1 || rows[0] != "run_id=ing-retry duration_ms=1500 error=NULL tables_written=NULL" {
		t.Errorf("runs: %v %v", rows, err)
	}
	// A different start time is a different run attempt: it is appended.
	run.StartedAt = started.Add(time.Hour)
	run.FinishedAt = run.StartedAt.Add(time.Second)
	if err := bq.AppendRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if n := emulatortest.Count(t, bq, schema.Runs); n != 2 {
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
	client := emulatortest.StartWith(t, counter)
	w := emulatortest.Open(t, client, memory.NewGoAllocator())

	// A fresh dataset: every table partitioned by as_of_date, clustered,
	// and the snapshot tables refuse a query that names no as-of date.
	for _, tb := range schema.All() {
		md, err := client.DatasetInProject(emulatortest.Project, emulatortest.Dataset).Table(tb.Name).Metadata(ctx)
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
	full, err := bigquery.TableSchema(pq)
	if err != nil {
		t.Fatal(err)
	}
	old := full[:len(full)-9]
	var relaxed string
	for _, f := range old {
		if !f.Required && f.Type == bq.StringFieldType {
			f.Required, relaxed = true, f.Name // the older schema required it
			break
		}
	}
	table := client.DatasetInProject(emulatortest.Project, emulatortest.Dataset).Table(pq.Name)
	if err := table.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	// The previous version's table: partitioned, but neither clustered nor
	// requiring a partition filter.
	if err := table.Create(ctx, &bq.TableMetadata{Schema: old,
		TimePartitioning: &bq.TimePartitioning{Type: bq.DayPartitioningType, Field: schema.AsOfDate}}); err != nil {
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
		return jsonResponse(r, http.StatusConflict, fmt.Sprintf(`{"error":{"code":409,"message":"Already Exists: Job %s:%s","errors":[{"reason":"duplicate","message":"Already Exists"}]}}`, emulatortest.Project, id)), nil
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
	exports := emulatortest.Generate(t)
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	local, _ := ingestLocally(t, alloc, exports, &clock)

	f := &faults{}
	bq, err := bigquery.New(emulatortest.StartWith(t, f), bigquery.Config{
		Project: emulatortest.Project, Dataset: emulatortest.Dataset, TempDir: t.TempDir(), RetryWait: 10 * time.Millisecond,
	}, alloc)
	if err != nil {
		t.Fatal(err)
	}
	if err := bq.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	emulatortest.Ingest(t, bq, alloc, exports, emulatortest.AsOf, &clock)
	if f.failed == "" || f.conflicted != f.failed+"_r2" {
		t.Fatalf("faults injected: failed %q, conflicted %q; want the retry under %s_r2", f.failed, f.conflicted, f.failed)
	}
	for _, table := range ingestTables {
		_, lrows := emulatortest.Rows(t, local, table, emulatortest.AsOf)
		_, brows := emulatortest.Rows(t, bq, table, emulatortest.AsOf)
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
	bq := emulatortest.Open(t, emulatortest.StartWith(t, rec), alloc)
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	sum := emulatortest.Ingest(t, bq, alloc, emulatortest.Generate(t), emulatortest.AsOf, &clock)
	emulatortest.Rows(t, bq, schema.Deals, emulatortest.AsOf)
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
	bq := emulatortest.Open(t, emulatortest.StartWith(t, rec), memory.NewGoAllocator())
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
	bq := emulatortest.Open(t, emulatortest.Start(t), memory.NewGoAllocator())
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
	// The assertions check the latest as-of date: record its ingest.
	started := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	if err := bq.AppendRun(ctx, warehouse.Run{RunID: "ing-bad", AsOf: emulatortest.AsOf, Job: "ingest", StartedAt: started,
		FinishedAt: started.Add(time.Second), Outcome: "succeeded", CodeVersion: "test", ConfigDigest: "abc", Inputs: "[]"}); err != nil {
		t.Fatal(err)
	}
	text, err := fs.ReadFile(pqisql.Files, "tests/assert_deals_values.sql")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := emulatortest.QueryRows(t, bq, string(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !strings.Contains(rows[0], "column_name=status value=closed won") {
		t.Errorf("assert_deals_values returned %v, want the one bad status", rows)
	}
}

// A job that reads a BigQuery warehouse refuses a dataset that does not
// exist (open.Existing) instead of reading it as empty.
func TestBigQueryMissingDatasetIsNoWarehouse(t *testing.T) {
	ctx := context.Background()
	client := emulatortest.Start(t)
	bq := emulatortest.Open(t, client, memory.NewGoAllocator())
	if err := bq.CheckExists(ctx); err != nil {
		t.Errorf("the emulator's dataset: %v", err)
	}
	typo, err := bigquery.New(client, bigquery.Config{Project: emulatortest.Project, Dataset: "pq", TempDir: t.TempDir()}, memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	if err := typo.CheckExists(ctx); !errors.Is(err, warehouse.ErrNoWarehouse) || !strings.Contains(err.Error(), "dataset pqi-test.pq does not exist") {
		t.Errorf("a missing dataset: %v, want ErrNoWarehouse naming it", err)
	}
}
