// Package warehouse is what every job knows of a warehouse, whichever
// driver holds it: the Warehouse interface (transactions that publish one
// as-of date's tables together, the append-only runs log, reads), Publish,
// the run record (runs.go: typed job names and outcomes, Finish), the
// Parquet staging writer both drivers use (writer.go), the SQL text both
// engines share (sqltext.go: placeholders, the latest pointer; viewdocs.go:
// the views' descriptions) and the optional Analyst interface pqi sql
// needs. The drivers are functions/warehouse/local (Parquet on disk, SQL
// through embedded DuckDB) and functions/warehouse/bigquery;
// functions/warehouse/open picks one from a spec.
package warehouse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/transforms/schema"
)

// Warehouse is what the jobs need of a warehouse: transactions that publish
// a set of tables for one as-of date atomically, the append-only runs log,
// and reads. The local and BigQuery drivers implement it.
type Warehouse interface {
	Begin(ctx context.Context, asOf schema.Day, runID string) (Tx, error)
	AppendRun(ctx context.Context, r Run) error
	// Read streams a table's as-of partition in its stored schema; with
	// columns, only those are read, in the stored order (a name the table
	// does not store is an error): a job reads what it uses.
	Read(ctx context.Context, table string, asOf schema.Day, columns ...string) (array.RecordReader, error)
	Partitions(ctx context.Context, table string) ([]schema.Day, error)
}

// Analyst is implemented by a warehouse that answers analysts' SQL
// itself and deploys its own analyst surface (BigQuery; the local
// warehouse answers in an embedded DuckDB, functions/warehouse/local): what
// pqi sql needs, without naming the driver.
type Analyst interface {
	// Query runs SQL, failing (billing nothing) past maxBytesBilled.
	Query(ctx context.Context, sql string, maxBytesBilled int64) (array.RecordReader, error)
	// DryRun says how many bytes the SQL would process.
	DryRun(ctx context.Context, sql string) (int64, error)
	// Objects lists the tables and views with their descriptions.
	Objects(ctx context.Context) ([]Object, error)
	// Deploy creates or migrates the tables and creates the views,
	// returning a line saying what it did.
	Deploy(ctx context.Context) (string, error)
}

// Object is a table or view of a warehouse as an analyst sees it: its
// kind, its description and its columns' (pqi sql --list, --describe).
type Object struct {
	Name, Kind, Description string // Kind: table or view
	Columns                 []ObjectColumn
}

// ObjectColumn is one column of an Object.
type ObjectColumn struct {
	Name, Type, Description string
}

// Sized is implemented by a reader from Read that knows, before the first
// Next, how many rows it will return (the local driver reads it from the Parquet
// footers). Jobs use it to size their buffers once instead of growing them.
type Sized interface {
	NumRows() int64
}

// Tx stages tables and publishes them together.
type Tx interface {
	// Writer opens a streaming writer for one table's as-of partition.
	Writer(table string) (TableWriter, error)
	// Commit publishes every table written, replacing their as-of
	// partitions; on error no table changes.
	Commit(ctx context.Context) error
	// Abort discards what was staged; a no-op after Commit.
	Abort() error
}

// Published is what a Publish found on the way: whose snapshot it
// replaced and whose publish of the same as-of date it waited for.
type Published struct {
	// Replaced is the run whose rows the probe table's partition held
	// before; "" when it had none. Equal to the run's own id when the
	// same inputs were published again.
	Replaced string
	// WaitedFor is the run that held the as-of date's one-writer lock
	// when this one began (as the lock names it), and Waited how long
	// this one waited for it; "" and 0 when it did not wait.
	WaitedFor string
	Waited    time.Duration
}

// Publish begins a transaction for one as-of date, lets stage write its
// tables, and commits them together. When stage or the commit fails,
// nothing is published and the staged data is discarded; the error says
// so if discarding failed too. While it waits for another run publishing
// the same as-of date it says so on log; once it holds the date, it reads
// whose snapshot of probe (a table the job always writes, one row per
// partner) it is about to replace.
func Publish(ctx context.Context, w Warehouse, asOf schema.Day, runID, probe string, log *slog.Logger, stage func(Tx) error) (pub Published, err error) {
	var waitStart time.Time
	ctx = withLockWait(ctx, func(holder string, wait time.Duration) {
		waitStart, pub.WaitedFor = time.Now(), holder
		log.Warn("another run is publishing this as-of date: waiting for it to finish", "holder", holder, "max_wait", wait)
	})
	tx, err := w.Begin(ctx, asOf, runID)
	if !waitStart.IsZero() {
		pub.Waited = time.Since(waitStart)
	}
	if err != nil {
		return pub, fmt.Errorf("starting the publish: %w", err)
	}
	if pub.WaitedFor != "" {
		log.Info("the other run finished; publishing", "waited", pub.Waited.Round(time.Millisecond), "holder", pub.WaitedFor)
	}
	defer func() {
		if err != nil {
			if aerr := tx.Abort(); aerr != nil {
				err = errors.Join(err, fmt.Errorf("discarding staged data: %w", aerr))
			}
		}
	}()
	if pub.Replaced, err = publishedBy(ctx, w, probe, asOf); err != nil {
		return pub, err
	}
	if err := stage(tx); err != nil {
		return pub, err
	}
	if err := tx.Commit(ctx); err != nil {
		return pub, fmt.Errorf("publishing: %w", err)
	}
	return pub, nil
}

// publishedBy is the run_id of the first row of table's asOf partition:
// the run that published it; "" when the partition is missing or empty.
func publishedBy(ctx context.Context, w Warehouse, table string, asOf schema.Day) (string, error) {
	rr, err := w.Read(ctx, table, asOf)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading whose %s snapshot this run replaces: %w", table, err)
	}
	defer rr.Release()
	for rr.Next() {
		rec := rr.Record()
		is := rec.Schema().FieldIndices(schema.RunID)
		if len(is) != 1 {
			return "", fmt.Errorf("reading whose %s snapshot this run replaces: no %s column", table, schema.RunID)
		}
		if c, ok := rec.Column(is[0]).(*array.String); ok && c.Len() > 0 && c.IsValid(0) {
			return c.Value(0), nil
		}
		if rec.NumRows() > 0 {
			break
		}
	}
	return "", rr.Err()
}
