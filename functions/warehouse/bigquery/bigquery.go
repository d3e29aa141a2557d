// Package bigquery is the warehouse driver for BigQuery: one dataset, a
// table per schema table partitioned by as_of_date, publishes as one
// multi-statement transaction (tx.go), reads as Arrow through the Storage
// Read API (storageread.go, arrow.go), the DDL and value assertions of
// sql/ddl generated from the schema (schema.go), the analyst surface of
// sql/views deployed with descriptions (Deploy, Objects), the queries of
// BigQuery sources for the export readers (Sources), and AWS workload
// identity federation for the Lambda functions (wif.go). It is the only
// package that imports the BigQuery client (scripts/house).
package bigquery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/partnerq/pqi/functions/warehouse"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cenkalti/backoff/v5"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"

	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/schema"
)

// Config is where the BigQuery warehouse lives.
type Config struct {
	Project  string // Google Cloud project holding the dataset
	Dataset  string // dataset name
	Location string // dataset location, used when creating it and for jobs; "" = BigQuery's default
	// StagingTTL is how long a staging table lives if the run that made it
	// dies before dropping it; default 24h.
	StagingTTL time.Duration
	// TempDir holds the Parquet files a transaction stages before loading;
	// default os.TempDir().
	TempDir string
	// RetryWait is the first wait before a job that failed for a
	// retryable reason runs again; each later wait doubles, with jitter, up
	// to RetryTries attempts in all. Defaults 1s and 6 (tests shorten them).
	RetryWait  time.Duration
	RetryTries uint
}

// Warehouse is the warehouse on BigQuery: one dataset, one table per schema
// table, each partitioned by as_of_date and clustered by partner_id. The
// client must have the Storage Read API enabled (EnableStorageReadClient):
// reads come back as Arrow through it.
type Warehouse struct {
	client *bq.Client
	cfg    Config
	alloc  memory.Allocator
	owned  bool // Close closes client (Open made it)
}

var _ warehouse.Warehouse = (*Warehouse)(nil)

// maxJobAttempts bounds the deterministic job IDs tried for one step
// (<id>, <id>_r2, ... <id>_r20): a failed job keeps its ID forever, so a
// retry of a step that failed takes the next one. It is the budget of a
// step over every run attempt (a Lambda retry looks the earlier IDs up
// and goes on from there), so it is larger than RetryTries.
const maxJobAttempts = 20

// New checks the configuration and returns the warehouse. It makes
// no request: call EnsureSchema to create or migrate the dataset.
func New(client *bq.Client, cfg Config, alloc memory.Allocator) (*Warehouse, error) {
	if client == nil {
		return nil, errors.New("opening BigQuery warehouse: no client")
	}
	if err := ValidateProject(cfg.Project); err != nil {
		return nil, fmt.Errorf("opening BigQuery warehouse: %w", err)
	}
	if err := ValidateDataset(cfg.Dataset); err != nil {
		return nil, fmt.Errorf("opening BigQuery warehouse: %w", err)
	}
	if cfg.RetryWait <= 0 {
		cfg.RetryWait = time.Second
	}
	if cfg.RetryTries == 0 {
		cfg.RetryTries = 6
	}
	if cfg.StagingTTL <= 0 {
		cfg.StagingTTL = 24 * time.Hour
	}
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	return &Warehouse{client: client, cfg: cfg, alloc: alloc}, nil
}

// Project and Dataset name where the warehouse lives.
func (w *Warehouse) Project() string { return w.cfg.Project }

// Dataset is the dataset name.
func (w *Warehouse) Dataset() string { return w.cfg.Dataset }

// ref is the quoted, fully qualified name of a table or view whose name has
// been validated.
func (w *Warehouse) ref(name string) string {
	return "`" + w.cfg.Project + "." + w.cfg.Dataset + "." + name + "`"
}

func (w *Warehouse) dataset() *bq.Dataset {
	return w.client.DatasetInProject(w.cfg.Project, w.cfg.Dataset)
}

// EnsureSchema creates the dataset if it is missing, creates every table of
// the schema package that is missing as its DDL (sql/ddl/<table>.sql)
// says, through the API (tableMetadata), and brings existing tables to the
// schema in one update each (tableUpdate). It is idempotent. A column whose type
// changed is an error: pqi never rewrites a table's data.
func (w *Warehouse) EnsureSchema(ctx context.Context) error {
	ds := w.dataset()
	if _, err := ds.Metadata(ctx); err != nil {
		if !isNotFound(err) {
			return fmt.Errorf("looking up dataset %s: %w", w.cfg.Dataset, err)
		}
		md := &bq.DatasetMetadata{
			Location:    w.cfg.Location,
			Description: "pqi: Partner Quality Index warehouse (tables generated from transforms/schema).",
		}
		if err := ds.Create(ctx, md); err != nil && !isDuplicate(err) {
			return fmt.Errorf("creating dataset %s: %w", w.cfg.Dataset, err)
		}
	}
	for _, t := range schema.All() {
		if err := w.ensureTable(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (w *Warehouse) ensureTable(ctx context.Context, t schema.Table) error {
	md, err := w.dataset().Table(t.Name).Metadata(ctx)
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("looking up table %s: %w", t.Name, err)
	}
	if err != nil { // not found: create it
		want, err := tableMetadata(t)
		if err != nil {
			return err
		}
		// A 409 from a concurrent creator means the same.
		if err := w.dataset().Table(t.Name).Create(ctx, want); err != nil && !isDuplicate(err) {
			return fmt.Errorf("creating table %s: %w", t.Name, err)
		}
		return nil
	}
	upd, changed, err := tableUpdate(t, md)
	if err != nil || !changed {
		return err
	}
	// One metadata update per table, whatever changed (BigQuery
	// rate-limits table metadata updates, about five per table per ten
	// seconds), guarded by the ETag read above: a concurrent change fails
	// it instead of being overwritten.
	if _, err := w.dataset().Table(t.Name).Update(ctx, upd, md.ETag); err != nil {
		return fmt.Errorf("updating %s: %w", t.Name, err)
	}
	return nil
}

// tableUpdate is the one update that brings an existing table to the
// schema package: its schema (evolvedSchema), the partition-filter rule and
// the clustering. changed is false when the table already fits.
func tableUpdate(t schema.Table, md *bq.TableMetadata) (bq.TableMetadataToUpdate, bool, error) {
	var upd bq.TableMetadataToUpdate
	next, changed, err := evolvedSchema(t, md.Schema)
	if err != nil {
		return upd, false, err
	}
	upd.Schema = next
	if want := warehouse.RequiresPartitionFilter(t); md.RequirePartitionFilter != want {
		upd.RequirePartitionFilter, changed = want, true
	}
	var have []string
	if md.Clustering != nil {
		have = md.Clustering.Fields
	}
	if want := clustering(t); strings.Join(have, ",") != strings.Join(want, ",") {
		// New data is clustered by the new columns; BigQuery re-clusters
		// the rest in the background, at no charge.
		upd.Clustering, changed = &bq.Clustering{Fields: want}, true
	}
	return upd, changed, nil
}

// evolvedSchema is the schema an existing table must have for the schema
// package's table t: its own fields, in their order, with required ones
// that t relaxed made nullable and descriptions as t words them, then the
// columns t gained, nullable
// (BigQuery adds only NULLABLE columns to a table that has rows; the
// warehouse still refuses nulls in a required column on write). changed
// is false when have already fits. A column whose type differs is an
// error: pqi never rewrites a table's data.
func evolvedSchema(t schema.Table, have bq.Schema) (bq.Schema, bool, error) {
	want, err := TableSchema(t)
	if err != nil {
		return nil, false, err
	}
	byName := make(map[string]*bq.FieldSchema, len(want))
	for _, f := range want {
		byName[f.Name] = f
	}
	next := make(bq.Schema, 0, len(want))
	seen := map[string]bool{}
	changed := false
	for _, f := range have {
		g := *f
		seen[f.Name] = true
		if w, ok := byName[f.Name]; ok {
			if w.Type != f.Type {
				return nil, false, fmt.Errorf("table %s column %s is %s in BigQuery but %s in the schema: migrate it by hand (pqi never rewrites data)", t.Name, f.Name, f.Type, w.Type)
			}
			if f.Required && !w.Required {
				g.Required, changed = false, true
			}
			g.Description = w.Description // carried by an update, never a reason for one
		}
		next = append(next, &g)
	}
	for _, w := range want {
		if !seen[w.Name] {
			g := *w
			g.Required, changed = false, true
			next = append(next, &g)
		}
	}
	return next, changed, nil
}

// exec runs one statement (DDL, DML or a script) and waits for it.
func (w *Warehouse) exec(ctx context.Context, sql string, lb map[string]string) error {
	q := w.query(sql, lb)
	job, err := q.Run(ctx)
	if err != nil {
		return err
	}
	return waitOK(ctx, job)
}

// query is a query job in the warehouse's location with labels lb.
func (w *Warehouse) query(sql string, lb map[string]string) *bq.Query {
	q := w.client.Query(sql)
	q.Location = w.cfg.Location
	q.Labels = lb
	return q
}

// jobLabels are the labels of one job, so that billing exports and
// INFORMATION_SCHEMA.JOBS can be grouped by what pqi did: pqi_step, and
// pqi_as_of when the job is about one as-of date ("" = none), then
// pqi_<key> for each key and value in kv (run, table, job). Values are
// made valid label values: lower case, [a-z0-9_-], at most 63 characters.
func jobLabels(step, asOf string, kv ...string) map[string]string {
	lb := map[string]string{"pqi_step": labelValue(step)}
	if asOf != "" {
		lb["pqi_as_of"] = labelValue(asOf)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		lb["pqi_"+kv[i]] = labelValue(kv[i+1])
	}
	return lb
}

func labelValue(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	return string(b[:min(len(b), 63)])
}

func waitOK(ctx context.Context, job *bq.Job) error {
	st, err := job.Wait(ctx)
	if err != nil {
		return fmt.Errorf("job %s: %w", job.ID(), err)
	}
	if err := st.Err(); err != nil {
		return fmt.Errorf("job %s: %w", job.ID(), err)
	}
	return nil
}

// Query runs a statement whose text may use DatasetPlaceholder and returns
// its result as Arrow in BigQuery's types (NUMERIC as decimal128(38,9), all
// columns nullable). The caller releases the reader. It is for the analyst
// SQL in sql/ and `pqi sql`; the pipeline reads tables with Read.
// A positive maxBytesBilled makes the job fail, billing nothing, when it
// would bill more bytes.
func (w *Warehouse) Query(ctx context.Context, text string, maxBytesBilled int64) (array.RecordReader, error) {
	sql, err := w.render(ctx, text)
	if err != nil {
		return nil, err
	}
	q := w.query(sql, jobLabels("query", ""))
	q.MaxBytesBilled = maxBytesBilled
	rr, _, err := w.readQuery(ctx, q)
	return rr, err
}

// DryRun is what Query of text would process, in bytes, from BigQuery's
// dry run: nothing runs and nothing is billed.
func (w *Warehouse) DryRun(ctx context.Context, text string) (int64, error) {
	sql, err := w.render(ctx, text)
	if err != nil {
		return 0, err
	}
	q := w.query(sql, jobLabels("dry_run", ""))
	q.DryRun = true
	job, err := q.Run(ctx)
	if err != nil {
		return 0, err
	}
	st := job.LastStatus()
	if st == nil || st.Statistics == nil {
		return 0, errors.New("the dry run returned no statistics")
	}
	return st.Statistics.TotalBytesProcessed, nil
}

// Exec runs a statement that returns no rows (DDL, DML, scripts), with
// DatasetPlaceholder rendered.
func (w *Warehouse) Exec(ctx context.Context, text string) error {
	sql, err := w.render(ctx, text)
	if err != nil {
		return err
	}
	return w.exec(ctx, sql, jobLabels("exec", ""))
}

// queryArrow runs sql and streams its result through the Storage Read API:
// q.Run, then readJob.
// It also returns the total row count.
func (w *Warehouse) queryArrow(ctx context.Context, sql string, params []bq.QueryParameter, lb map[string]string) (array.RecordReader, uint64, error) {
	q := w.query(sql, lb)
	q.Parameters = params
	return w.readQuery(ctx, q)
}

// readQuery runs q and streams its result (queryArrow).
func (w *Warehouse) readQuery(ctx context.Context, q *bq.Query) (array.RecordReader, uint64, error) {
	job, err := q.Run(ctx)
	if err != nil {
		return nil, 0, err
	}
	if err := waitOK(ctx, job); err != nil {
		return nil, 0, err
	}
	return readJob(ctx, job, w.alloc)
}

// Read streams a table's as-of partition in the table's stored Arrow schema
// (schema.Table.StoredArrow), in the order the local warehouse stores it,
// so a job reading either warehouse sees the same sequence: input tables in
// export order (file, then row), computed tables by key (or every column
// when there is none). The query has no ORDER BY, so the result is read
// over parallel Storage Read streams and the order is restored in memory
// (inOrder). BigQuery keeps no empty partitions: a partition with no rows
// is ErrNotFound, as is a table that does not exist yet.
func (w *Warehouse) Read(ctx context.Context, table string, asOf schema.Day, columns ...string) (array.RecordReader, error) {
	t, err := warehouse.CheckSQLTable(table)
	if err != nil {
		return nil, fmt.Errorf("reading table: %w", err)
	}
	day, err := partitionDay(asOf)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	want, err := t.StoredArrowOf(columns)
	if err != nil {
		return nil, fmt.Errorf("reading table: %w", err)
	}
	order := t.Key
	if t.Input {
		order = []string{schema.SourceFile, schema.SourceRow}
	}
	if len(order) == 0 {
		order = warehouse.FieldNames(want)
	}
	// The columns asked for and those the rows are put in order by: only
	// they are scanned (and billed).
	cols := warehouse.FieldNames(want)
	for _, n := range order {
		if !want.HasField(n) {
			cols = append(cols, n)
		}
	}
	read, err := t.StoredArrowOf(cols)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s = DATE '%s'",
		strings.Join(warehouse.FieldNames(read), ", "), w.ref(t.Name), warehouse.PartitionColumn, day)
	raw, _, err := w.queryArrow(ctx, sql, nil, jobLabels("read", day, "table", t.Name))
	if isNotFound(err) {
		return nil, fmt.Errorf("reading %s: table %w", table, warehouse.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s as of %s: %w", table, day, err)
	}
	r, err := inOrder(ctx, w.alloc, &storedReader{alloc: w.alloc, src: raw, schema: read, refs: 1}, order)
	if err != nil {
		return nil, fmt.Errorf("reading %s as of %s: %w", table, day, err)
	}
	if r.NumRows() == 0 {
		// The job's row count is not reliable; the rows read are.
		r.Release()
		return nil, fmt.Errorf("reading %s: partition %s %w", table, day, warehouse.ErrNotFound)
	}
	r.keep(want)
	return r, nil
}

// partitionDay renders an as-of date as YYYY-MM-DD, refusing dates that do
// not round-trip (so the literal spliced into SQL is always a plain date).
func partitionDay(asOf schema.Day) (string, error) {
	s := asOf.String()
	if back, err := schema.ParseDay(s); err != nil || back != asOf || len(s) != 10 {
		return "", fmt.Errorf("as-of date %d (days since 1970-01-01) is out of range", asOf)
	}
	return s, nil
}

// Partitions lists the as-of dates holding rows, ascending.
func (w *Warehouse) Partitions(ctx context.Context, table string) ([]schema.Day, error) {
	t, err := warehouse.CheckSQLTable(table)
	if err != nil {
		return nil, fmt.Errorf("listing partitions: %w", err)
	}
	// The whole date range is a filter BigQuery accepts on a table that
	// requires one (RequiresPartitionFilter); only as_of_date is scanned.
	sql := fmt.Sprintf("SELECT DISTINCT %[1]s FROM %[2]s WHERE %[1]s >= DATE '1970-01-01' ORDER BY %[1]s", warehouse.PartitionColumn, w.ref(t.Name))
	rr, _, err := w.queryArrow(ctx, sql, nil, jobLabels("partitions", "", "table", t.Name))
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing partitions of %s: %w", table, err)
	}
	defer rr.Release()
	var out []schema.Day
	for rr.Next() {
		col, ok := rr.Record().Column(0).(*array.Date32)
		if !ok {
			return nil, fmt.Errorf("listing partitions of %s: %s is %s", table, warehouse.PartitionColumn, rr.Record().Column(0).DataType())
		}
		for i := 0; i < col.Len(); i++ {
			if col.IsValid(i) {
				out = append(out, schema.Day(col.Value(i)))
			}
		}
	}
	if err := rr.Err(); err != nil {
		return nil, fmt.Errorf("listing partitions of %s: %w", table, err)
	}
	return out, nil
}

// AppendRun appends one row to the runs table with a load job (WRITE_APPEND)
// whose ID is derived from the run (id, job, as-of, start time): a retried
// call finds the job already done and appends nothing. A succeeded ingest
// or score that moves the latest pointer re-creates the deployed views that
// use it (refreshLatest).
func (w *Warehouse) AppendRun(ctx context.Context, r warehouse.Run) error {
	if err := r.Check(); err != nil {
		return err
	}
	// Only a succeeded ingest or score can move the latest pointer; the
	// views are re-created only if it moved (two small queries of runs
	// instead of a job per view).
	track := r.Outcome == warehouse.Succeeded && (r.Job == warehouse.JobIngest || r.Job == warehouse.JobScore)
	before := ""
	if track {
		var err error
		if before, err = w.latestLiteral(ctx); err != nil {
			return fmt.Errorf("appending run %s: %w", r.RunID, err)
		}
	}
	if err := w.appendRun(ctx, r); err != nil {
		return err
	}
	if !track {
		return nil
	}
	after, err := w.latestLiteral(ctx)
	if err != nil {
		return fmt.Errorf("run %s is recorded, but the latest as-of date could not be read (run pqi sql --deploy): %w", r.RunID, err)
	}
	if after != before {
		if _, err := w.refreshLatest(ctx, after); err != nil {
			return fmt.Errorf("run %s is published and recorded, but the latest_ views still show the previous as-of date (run pqi sql --deploy): %w", r.RunID, err)
		}
	}
	return nil
}

// appendRun is AppendRun without the latest pointer.
func (w *Warehouse) appendRun(ctx context.Context, r warehouse.Run) error {
	t := schema.Get(schema.Runs)
	sc := t.StoredArrow()
	rec, err := warehouse.RunRecord(w.alloc, sc, r)
	if err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	defer rec.Release()
	dir, err := os.MkdirTemp(w.cfg.TempDir, "pqi-bq-run-")
	if err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "run.parquet")
	pf, err := createBQParquet(path, t, w.alloc)
	if err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	err = pf.Write(rec)
	if cerr := pf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	base := w.jobID("run", schema.Runs, r.AsOf, r.RunID, string(r.Job), r.StartedAt.UTC().Format(time.RFC3339Nano))
	_, err = w.runJob(ctx, base, func(id string) (*bq.Job, error) {
		return w.load(ctx, id, path, t, schema.Runs, bq.WriteAppend, jobLabels("run", r.AsOf.String(), "run", r.RunID, "job", string(r.Job)))
	}, nil)
	if err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	return nil
}

// load starts a Parquet load job from a local file into dest (a table, a
// partition table$YYYYMMDD, or a staging table) of table t's schema.
func (w *Warehouse) load(ctx context.Context, id, path string, t schema.Table, dest string, wd bq.TableWriteDisposition, lb map[string]string) (*bq.Job, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc, err := TableSchema(t)
	if err != nil {
		return nil, err
	}
	src := bq.NewReaderSource(f)
	src.SourceFormat = bq.Parquet
	// The emulator needs the schema on a Parquet load; BigQuery checks it
	// against the file and the destination.
	src.Schema = sc
	l := w.dataset().Table(dest).LoaderFrom(src)
	l.JobID = id
	l.Location = w.cfg.Location
	l.Labels = lb
	l.WriteDisposition = wd
	l.CreateDisposition = bq.CreateNever
	return l.Run(ctx)
}

// jobID derives a job ID from what the job does, so that the same step of
// the same run always gets the same ID: <kind>_<table>_<yyyymmdd>_<hash>.
// Job IDs are unique per project, so the hash covers the project and the
// dataset: the same run published to two datasets runs its jobs twice.
func (w *Warehouse) jobID(kind, table string, asOf schema.Day, parts ...string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d", w.cfg.Project, w.cfg.Dataset, kind, table, asOf)
	for _, p := range parts {
		fmt.Fprintf(h, "\x00%s", p)
	}
	day := strings.ReplaceAll(asOf.String(), "-", "")
	return fmt.Sprintf("pqi_%s_%s_%s_%s", kind, table, day, hex.EncodeToString(h.Sum(nil))[:24])
}

func attemptID(base string, attempt int) string {
	if attempt == 1 {
		return base
	}
	return fmt.Sprintf("%s_r%d", base, attempt)
}

// runJob runs one step under deterministic job IDs, retrying it with
// exponential backoff and jitter while it fails for a retryable reason
// (retryable): each try is runJobOnce, which takes the next free ID.
func (w *Warehouse) runJob(ctx context.Context, base string, start func(id string) (*bq.Job, error), holds func(context.Context) (bool, error)) (bool, error) {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval = w.cfg.RetryWait, 32*w.cfg.RetryWait
	return backoff.Retry(ctx, func() (bool, error) {
		ran, err := w.runJobOnce(ctx, base, start, holds)
		if err != nil && !retryable(err) {
			return ran, backoff.Permanent(err)
		}
		return ran, err
	}, backoff.WithBackOff(b), backoff.WithMaxTries(w.cfg.RetryTries), backoff.WithMaxElapsedTime(0))
}

// runJobOnce looks for jobs already made under base (<base>, <base>_r2,
// ...): if the latest succeeded and holds (holds == nil, or holds reports
// the step's effect is still in place), it is not run again. Otherwise
// start runs the step under the next free ID; a 409 (the job exists: an
// earlier attempt of this call reached BigQuery) means wait for that job
// instead. It reports whether the step ran now.
func (w *Warehouse) runJobOnce(ctx context.Context, base string, start func(id string) (*bq.Job, error), holds func(context.Context) (bool, error)) (bool, error) {
	if !jobIDPattern.MatchString(base) || len(base) > 1000 {
		return false, fmt.Errorf("job id %q is not valid", base)
	}
	next := 1
	for ; next <= maxJobAttempts; next++ {
		job, err := w.client.JobFromIDLocation(ctx, attemptID(base, next), w.cfg.Location)
		if isNotFound(err) {
			break
		}
		if err != nil {
			return false, fmt.Errorf("looking up job %s: %w", attemptID(base, next), err)
		}
		st, err := job.Wait(ctx)
		if err != nil {
			return false, fmt.Errorf("waiting for job %s: %w", job.ID(), err)
		}
		if st.Err() != nil {
			continue // failed: its ID is spent, try the next
		}
		if holds == nil {
			return false, nil
		}
		ok, err := holds(ctx)
		if err != nil {
			return false, err
		}
		if ok {
			return false, nil
		}
	}
	if next > maxJobAttempts {
		return false, fmt.Errorf("job %s: %d attempts already made; look at them in BigQuery before retrying", base, maxJobAttempts)
	}
	id := attemptID(base, next)
	job, err := start(id)
	if isDuplicate(err) {
		job, err = w.client.JobFromIDLocation(ctx, id, w.cfg.Location)
	}
	if err != nil {
		return false, fmt.Errorf("starting job %s: %w", id, err)
	}
	return true, waitOK(ctx, job)
}

// retryableReasons are BigQuery's error reasons for a failure that may not
// happen again (docs: BigQuery troubleshooting errors).
var retryableReasons = map[string]bool{
	"backendError": true, "internalError": true, "rateLimitExceeded": true,
	"jobBackendError": true, "jobInternalError": true, "jobRateLimitExceeded": true,
}

// retryable reports an error worth running the step again for: a
// retryable reason on a request or a finished job, a 5xx or 429 answer,
// or a transaction aborted by a concurrent one (the other publish of the
// same tables: once it has committed, this one can).
func retryable(err error) bool {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		if ge.Code == http.StatusTooManyRequests || ge.Code >= 500 {
			return true
		}
		for _, e := range ge.Errors {
			if retryableReasons[e.Reason] {
				return true
			}
		}
	}
	var be *bq.Error
	if errors.As(err, &be) && retryableReasons[be.Reason] {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "could not serialize access") || strings.Contains(msg, "aborted due to concurrent update")
}

func isNotFound(err error) bool {
	var e *googleapi.Error
	return errors.As(err, &e) && e.Code == http.StatusNotFound
}

// isDuplicate reports BigQuery's 409: the job, table or dataset exists.
func isDuplicate(err error) bool {
	var e *googleapi.Error
	return errors.As(err, &e) && e.Code == http.StatusConflict
}

// storedReader converts BigQuery's Arrow records to the stored schema.
type storedReader struct {
	alloc  memory.Allocator
	src    array.RecordReader
	schema *arrow.Schema
	rec    arrow.Record
	err    error
	refs   int64
}

func (r *storedReader) Retain()                        { r.refs++ }
func (r *storedReader) Schema() *arrow.Schema          { return r.schema }
func (r *storedReader) Record() arrow.Record           { return r.rec }
func (r *storedReader) RecordBatch() arrow.RecordBatch { return r.rec }
func (r *storedReader) Err() error                     { return r.err }

func (r *storedReader) Release() {
	if r.refs--; r.refs != 0 {
		return
	}
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	r.src.Release()
}

func (r *storedReader) Next() bool {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	if r.err != nil {
		return false
	}
	for r.src.Next() {
		in := r.src.Record()
		if in.NumRows() == 0 {
			continue
		}
		r.rec, r.err = toStored(r.alloc, in, r.schema)
		return r.err == nil
	}
	if err := r.src.Err(); err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return false
}

// Deploy creates the dataset if missing and brings its tables to the
// schema (EnsureSchema), then creates or replaces every view (ApplyViews):
// pqi sql --deploy.
func (w *Warehouse) Deploy(ctx context.Context) (string, error) {
	if err := w.EnsureSchema(ctx); err != nil {
		return "", err
	}
	views, err := w.ApplyViews(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Deployed %s.%s: tables from sql/ddl, %d views.", w.cfg.Project, w.cfg.Dataset, len(views)), nil
}

// ApplyViews creates or replaces every view of sql/ (views/staging/*.sql,
// views/latest/*.sql, then views/marts/*.sql, each in name order). A file
// holds the view's SELECT; its name (without .sql) is the view's name. The
// latest pointer is rendered once for all of them. It returns the views
// created, in order.
func (w *Warehouse) ApplyViews(ctx context.Context) ([]string, error) {
	return w.applyViews(ctx, nil, "")
}

// refreshLatest re-creates the views that use the latest pointer and
// exist already (a dataset never deployed stays without views), so the
// pointer follows the data after a run; latest is the pointer's literal.
func (w *Warehouse) refreshLatest(ctx context.Context, latest string) ([]string, error) {
	have := map[string]bool{}
	it := w.dataset().Tables(ctx)
	for {
		t, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("listing the views: %w", err)
		}
		have[t.TableID] = true
	}
	return w.applyViews(ctx, have, latest)
}

// applyViews creates or replaces the views of sql/, in layer order: all
// of them when only is nil, else those in only that use the latest
// pointer. latest is the pointer's literal, "" to look it up (once).
func (w *Warehouse) applyViews(ctx context.Context, only map[string]bool, latest string) ([]string, error) {
	var names, texts []string
	for _, dir := range warehouse.ViewLayers {
		files, err := fs.Glob(pqisql.Files, dir+"/*.sql")
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".sql")
			if !warehouse.IsSQLName(name) {
				return nil, fmt.Errorf("view file %s: %q is not a plain identifier", f, name)
			}
			body, err := fs.ReadFile(pqisql.Files, f)
			if err != nil {
				return nil, err
			}
			text, err := RenderSQL(string(body), w.cfg.Project, w.cfg.Dataset)
			if err != nil {
				return nil, err
			}
			uses := strings.Contains(text, warehouse.LatestPlaceholder)
			if only != nil && !(uses && only[name]) {
				continue
			}
			if uses {
				if latest == "" {
					if latest, err = w.latestLiteral(ctx); err != nil {
						return nil, err
					}
				}
				text = strings.ReplaceAll(text, warehouse.LatestPlaceholder, latest)
			}
			names, texts = append(names, name), append(texts, text)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	if err := w.replaceViews(ctx, names, texts); err != nil {
		return nil, fmt.Errorf("creating the views %s: %w", strings.Join(names, ", "), err)
	}
	return names, nil
}

// replaceViews creates or replaces each view with CREATE OR REPLACE VIEW,
// which BigQuery applies atomically, one job per view (a script of them
// all runs the emulator's analyser out of memory). The emulator
// (bigquery-emulator v0.8.1) answers it with 409 duplicate when the view
// exists; only then is the view dropped and created, which is not atomic,
// but is the emulator.
func (w *Warehouse) replaceViews(ctx context.Context, names, texts []string) error {
	docs, err := warehouse.LoadViewDocs()
	if err != nil {
		return err
	}
	lb := jobLabels("views", "")
	for i, n := range names {
		err := w.exec(ctx, "CREATE OR REPLACE VIEW "+w.ref(n)+" AS\n"+texts[i], lb)
		if isDuplicate(err) {
			if err = w.exec(ctx, "DROP VIEW IF EXISTS "+w.ref(n), lb); err == nil {
				err = w.exec(ctx, "CREATE VIEW "+w.ref(n)+" AS\n"+texts[i], lb)
			}
		}
		if err == nil {
			err = w.describeView(ctx, docs, n)
		}
		if err != nil {
			return fmt.Errorf("view %s: %w", n, err)
		}
	}
	return nil
}

// describeView sets a view's description and its columns' (ViewDocs) in
// one metadata update, guarded by the ETag: creating or replacing a view
// leaves both empty. A column the docs do not describe keeps none.
func (w *Warehouse) describeView(ctx context.Context, docs *warehouse.ViewDocs, name string) error {
	t := w.dataset().Table(name)
	md, err := t.Metadata(ctx)
	if err != nil {
		return fmt.Errorf("reading its columns to describe them: %w", err)
	}
	cols := make(bq.Schema, len(md.Schema))
	for i, f := range md.Schema {
		g := *f
		g.Description, _ = docs.Column(name, f.Name)
		cols[i] = &g
	}
	if _, err := t.Update(ctx, bq.TableMetadataToUpdate{Description: docs.Description(name), Schema: cols}, md.ETag); err != nil {
		return fmt.Errorf("describing it: %w", err)
	}
	return nil
}

// latestLiteral is the latest as-of date (LatestAsOfSQL) as SQL.
func (w *Warehouse) latestLiteral(ctx context.Context) (string, error) {
	sql := "SELECT " + warehouse.LatestAsOfSQL(w.ref(schema.Runs)) + " AS latest"
	rr, _, err := w.queryArrow(ctx, sql, nil, jobLabels("latest", ""))
	if err != nil {
		return "", fmt.Errorf("looking up the latest as-of date: %w", err)
	}
	defer rr.Release()
	for rr.Next() {
		col, ok := rr.Record().Column(0).(*array.Date32)
		if !ok {
			return "", fmt.Errorf("the latest as-of date came back as %s", rr.Record().Column(0).DataType())
		}
		if col.Len() > 0 {
			return LatestLiteral(schema.Day(col.Value(0)), col.IsValid(0))
		}
	}
	if err := rr.Err(); err != nil {
		return "", err
	}
	return LatestLiteral(0, false)
}

// render is RenderSQL, then the latest pointer where the text uses it.
func (w *Warehouse) render(ctx context.Context, text string) (string, error) {
	sql, err := RenderSQL(text, w.cfg.Project, w.cfg.Dataset)
	if err != nil || !strings.Contains(sql, warehouse.LatestPlaceholder) {
		return sql, err
	}
	latest, err := w.latestLiteral(ctx)
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(sql, warehouse.LatestPlaceholder, latest), nil
}

var _ warehouse.Analyst = (*Warehouse)(nil)
