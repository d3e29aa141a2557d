package bigquery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/partnerq/pqi/functions/warehouse"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"

	"github.com/partnerq/pqi/transforms/schema"
)

// bqTx stages each table as a local Parquet file; nothing reaches BigQuery
// before Commit.
type bqTx struct {
	w      *Warehouse
	asOf   schema.Day
	day    string // YYYY-MM-DD
	runID  string
	dir    string
	tables []*bqTable
	done   bool
}

type bqTable struct {
	t      schema.Table
	path   string
	file   *warehouse.ParquetFile
	asOfAt int // index of as_of_date in the stored schema
	asOf   schema.Day
	rows   int64
	sha    string // sha256 of the staged file, set at Commit
}

// Begin starts a transaction for the as-of date asOf on behalf of runID.
func (w *Warehouse) Begin(ctx context.Context, asOf schema.Day, runID string) (warehouse.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := warehouse.CheckRunID(runID); err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	day, err := partitionDay(asOf)
	if err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	dir, err := os.MkdirTemp(w.cfg.TempDir, "pqi-bq-"+runID+"-")
	if err != nil {
		return nil, fmt.Errorf("beginning transaction: %w", err)
	}
	return &bqTx{w: w, asOf: asOf, day: day, runID: runID, dir: dir}, nil
}

// Writer opens a table for writing. Records must match the table's stored
// schema and carry the transaction's as-of date in as_of_date.
func (tx *bqTx) Writer(table string) (warehouse.TableWriter, error) {
	if tx.done {
		return nil, fmt.Errorf("writing %s: transaction is finished", table)
	}
	t, err := warehouse.CheckSQLTable(table)
	if err != nil {
		return nil, fmt.Errorf("writing table: %w", err)
	}
	if t.Name == schema.Runs {
		return nil, errors.New("writing runs: the runs table is append-only, use AppendRun")
	}
	for _, tt := range tx.tables {
		if tt.t.Name == t.Name {
			return nil, fmt.Errorf("writing %s: already open in this transaction", t.Name)
		}
	}
	sc := t.StoredArrow()
	idx := sc.FieldIndices(warehouse.PartitionColumn)
	if len(idx) != 1 {
		return nil, fmt.Errorf("writing %s: no %s column to partition by", t.Name, warehouse.PartitionColumn)
	}
	path := filepath.Join(tx.dir, t.Name+".parquet")
	pf, err := createBQParquet(path, t, tx.w.alloc)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", t.Name, err)
	}
	bt := &bqTable{t: t, path: path, file: pf, asOfAt: idx[0], asOf: tx.asOf}
	tx.tables = append(tx.tables, bt)
	return bt, nil
}

// Write checks that every row is for the transaction's as-of date, then
// stages rec.
func (bt *bqTable) Write(rec arrow.Record) error {
	if err := warehouse.Conform(rec, bt.file.Schema()); err != nil {
		return err
	}
	col, ok := rec.Column(bt.asOfAt).(*array.Date32)
	if !ok {
		return fmt.Errorf("column %q is %s, want date32", warehouse.PartitionColumn, rec.Column(bt.asOfAt).DataType())
	}
	for i := 0; i < col.Len(); i++ {
		if schema.Day(col.Value(i)) != bt.asOf {
			return fmt.Errorf("row %d has %s %s, but the transaction is for %s", i, warehouse.PartitionColumn,
				schema.Day(col.Value(i)).String(), bt.asOf.String())
		}
	}
	if err := bt.file.Write(rec); err != nil {
		return err
	}
	bt.rows += rec.NumRows()
	return nil
}

// Close finishes the staged file.
func (bt *bqTable) Close() error { return bt.file.Close() }

// Commit publishes every table written, each replacing its as-of partition,
// in one transaction (publishInTransaction). Tables never opened are
// untouched.
//
// Every job has an ID derived from the run, the table, the as-of date and a
// sha256 of the staged data, so a retried Commit of the same data finds the
// jobs of the earlier attempt: if the publish job succeeded and every table
// still holds this run's rows (same count, every row's run_id this run),
// nothing is loaded again.
func (tx *bqTx) Commit(ctx context.Context) error {
	if tx.done {
		return errors.New("committing: transaction is finished")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, bt := range tx.tables {
		if err := bt.file.Close(); err != nil {
			return fmt.Errorf("committing: staging %s: %w", bt.t.Name, err)
		}
		sum, err := fileSHA256(bt.path)
		if err != nil {
			return fmt.Errorf("committing: staging %s: %w", bt.t.Name, err)
		}
		bt.sha = sum
	}
	if len(tx.tables) == 0 {
		tx.finish()
		return nil
	}
	if err := tx.publishInTransaction(ctx); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	tx.finish()
	return nil
}

func (tx *bqTx) finish() {
	os.RemoveAll(tx.dir)
	tx.done = true
}

// Abort discards the staged files. A no-op after Commit or Abort.
func (tx *bqTx) Abort() error {
	if tx.done {
		return nil
	}
	for _, bt := range tx.tables {
		bt.file.Close()
	}
	tx.done = true
	if err := os.RemoveAll(tx.dir); err != nil {
		return fmt.Errorf("aborting: %w", err)
	}
	return nil
}

// publishInTransaction: (1) each table is loaded into a staging table of
// its own (WRITE_TRUNCATE, expiring after StagingTTL); (2) one script
// replaces every as-of partition inside BEGIN TRANSACTION ... COMMIT
// TRANSACTION; (3) the staging tables are dropped. If a load fails, no
// table has changed; if the script fails, BigQuery rolls the transaction
// back.
func (tx *bqTx) publishInTransaction(ctx context.Context) error {
	w := tx.w
	pubBase := tx.w.jobID("publish", "tx", tx.asOf, append([]string{tx.runID}, tx.digests()...)...)
	if done, err := tx.alreadyPublished(ctx, pubBase); err != nil || done {
		return err
	}
	staging := make([]string, len(tx.tables))
	for i, bt := range tx.tables {
		staging[i] = "_pqi_staging_" + bt.t.Name + "_" + bt.sha[:16]
		if err := tx.createStaging(ctx, bt, staging[i]); err != nil {
			return err
		}
		base := tx.w.jobID("stage", bt.t.Name, tx.asOf, tx.runID, bt.sha)
		name := staging[i]
		rows := bt.rows
		_, err := w.runJob(ctx, base, func(id string) (*bq.Job, error) {
			return w.load(ctx, id, bt.path, bt.t, name, bq.WriteTruncate, tx.labels("stage", bt.t.Name))
		}, func(ctx context.Context) (bool, error) {
			n, err := w.count(ctx, tx.labels("check", bt.t.Name), "SELECT COUNT(*) FROM "+w.ref(name))
			if isNotFound(err) {
				return false, nil
			}
			return n == rows, err
		})
		if err != nil {
			return fmt.Errorf("staging %s: %w", bt.t.Name, err)
		}
	}
	script := tx.publishScript(staging)
	_, err := w.runJob(ctx, pubBase, func(id string) (*bq.Job, error) {
		q := w.query(script, tx.labels("publish", ""))
		q.JobID = id
		return q.Run(ctx)
	}, tx.holds)
	if err != nil {
		return fmt.Errorf("publishing: %w", err)
	}
	for _, name := range staging {
		// Best effort: a staging table left behind expires by itself.
		_ = w.dataset().Table(name).Delete(ctx)
	}
	return nil
}

// publishScript is the one multi-statement transaction that replaces every
// table's as-of partition with its staging table (staging[i] for table i).
func (tx *bqTx) publishScript(staging []string) string {
	w := tx.w
	var script strings.Builder
	script.WriteString("BEGIN TRANSACTION;\n")
	for i, bt := range tx.tables {
		cols := columnList(bt.t)
		fmt.Fprintf(&script, "DELETE FROM %s WHERE %s = DATE '%s';\n", w.ref(bt.t.Name), warehouse.PartitionColumn, tx.day)
		fmt.Fprintf(&script, "INSERT INTO %s (%s) SELECT %s FROM %s;\n", w.ref(bt.t.Name), cols, cols, w.ref(staging[i]))
	}
	script.WriteString("COMMIT TRANSACTION;\n")
	return script.String()
}

// createStaging creates a staging table with the table's schema and an
// expiration time; one left by an earlier attempt is reused.
func (tx *bqTx) createStaging(ctx context.Context, bt *bqTable, name string) error {
	sc, err := TableSchema(bt.t)
	if err != nil {
		return err
	}
	md := &bq.TableMetadata{
		Schema:         sc,
		Description:    fmt.Sprintf("pqi staging for %s as of %s, run %s", bt.t.Name, tx.day, tx.runID),
		ExpirationTime: time.Now().Add(tx.w.cfg.StagingTTL),
	}
	if err := tx.w.dataset().Table(name).Create(ctx, md); err != nil && !isDuplicate(err) {
		return fmt.Errorf("creating staging table for %s: %w", bt.t.Name, err)
	}
	return nil
}

// alreadyPublished reports whether a publish job of this exact data
// succeeded and every table still holds its rows.
func (tx *bqTx) alreadyPublished(ctx context.Context, base string) (bool, error) {
	for attempt := 1; attempt <= maxJobAttempts; attempt++ {
		job, err := tx.w.client.JobFromIDLocation(ctx, attemptID(base, attempt), tx.w.cfg.Location)
		if isNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("looking up job %s: %w", attemptID(base, attempt), err)
		}
		st, err := job.Wait(ctx)
		if err != nil {
			return false, err
		}
		if st.Err() == nil {
			return tx.holds(ctx)
		}
	}
	return false, nil
}

// holds reports whether every table's as-of partition holds exactly this
// transaction's rows: as many as were staged, each with this run's run_id.
// A table without run_id cannot be told apart, so it never holds.
func (tx *bqTx) holds(ctx context.Context) (bool, error) {
	for _, bt := range tx.tables {
		ok, err := tx.tableHolds(ctx, bt)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (tx *bqTx) tableHolds(ctx context.Context, bt *bqTable) (bool, error) {
	if !hasColumn(bt.t, schema.RunID) {
		return false, nil
	}
	sql := fmt.Sprintf("SELECT COUNTIF(%s = @run) - COUNT(*) + @rows FROM %s WHERE %s = DATE '%s'",
		schema.RunID, tx.w.ref(bt.t.Name), warehouse.PartitionColumn, tx.day)
	mine, err := tx.w.count(ctx, tx.labels("check", bt.t.Name), sql,
		bq.QueryParameter{Name: "run", Value: tx.runID},
		bq.QueryParameter{Name: "rows", Value: bt.rows})
	if err != nil {
		return false, fmt.Errorf("checking %s: %w", bt.t.Name, err)
	}
	// mine = rows of this run - all rows + staged rows: equal to the staged
	// count exactly when every row is this run's and there are as many.
	if mine != bt.rows {
		return false, nil
	}
	n, err := tx.w.count(ctx, tx.labels("check", bt.t.Name), fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s = DATE '%s'", tx.w.ref(bt.t.Name), warehouse.PartitionColumn, tx.day))
	if err != nil {
		return false, fmt.Errorf("checking %s: %w", bt.t.Name, err)
	}
	return n == bt.rows, nil
}

// labels are the labels of the transaction's jobs of one step (table ""
// = all of them).
func (tx *bqTx) labels(step, table string) map[string]string {
	if table == "" {
		return jobLabels(step, tx.day, "run", tx.runID)
	}
	return jobLabels(step, tx.day, "run", tx.runID, "table", table)
}

func (tx *bqTx) digests() []string {
	out := make([]string, 0, 2*len(tx.tables))
	for _, bt := range tx.tables {
		out = append(out, bt.t.Name, bt.sha)
	}
	return out
}

// count runs a query returning one INT64 and returns it.
func (w *Warehouse) count(ctx context.Context, lb map[string]string, sql string, params ...bq.QueryParameter) (int64, error) {
	rr, _, err := w.queryArrow(ctx, sql, params, lb)
	if err != nil {
		return 0, err
	}
	defer rr.Release()
	for rr.Next() {
		rec := rr.Record()
		if rec.NumRows() == 0 {
			continue
		}
		c, ok := rec.Column(0).(*array.Int64)
		if !ok || c.IsNull(0) {
			return 0, fmt.Errorf("count query returned %s", rec.Column(0).DataType())
		}
		return c.Value(0), nil
	}
	if err := rr.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("count query returned no row")
}

func columnList(t schema.Table) string {
	cols := t.Stored()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// createBQParquet is createParquet with one difference: the root of the
// Parquet schema is REQUIRED rather than Arrow's default REPEATED. BigQuery
// reads both; the emulator's Parquet reader (parquet-go) turns a repeated
// root into a list and fails. Values are encoded exactly as in the local
// warehouse (DECIMAL(18,2) as INT64, DATE, TIMESTAMP(UTC, micros)).
func createBQParquet(path string, t schema.Table, alloc memory.Allocator) (*warehouse.ParquetFile, error) {
	return warehouse.CreateParquet(path, t, alloc, parquet.WithRootRepetition(parquet.Repetitions.Required))
}
