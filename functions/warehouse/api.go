package warehouse

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/array"
)

// Warehouse is what the jobs need of a warehouse: transactions that publish
// a set of tables for one as-of date atomically, the append-only runs log,
// and reads. Local and BigQuery implement it.
type Warehouse interface {
	Begin(ctx context.Context, asOf int32, runID string) (Tx, error)
	AppendRun(ctx context.Context, r Run) error
	Read(ctx context.Context, table string, asOf int32) (array.RecordReader, error)
	Partitions(ctx context.Context, table string) ([]int32, error)
}

// Sized is implemented by a reader from Read that knows, before the first
// Next, how many rows it will return (Local reads it from the Parquet
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

var _ Warehouse = (*Local)(nil)

// Publish begins a transaction for one as-of date, lets stage write its
// tables, and commits them together. When stage or the commit fails,
// nothing is published and the staged data is discarded; the error says
// so if discarding failed too.
func Publish(ctx context.Context, w Warehouse, asOf int32, runID string, stage func(Tx) error) (err error) {
	tx, err := w.Begin(ctx, asOf, runID)
	if err != nil {
		return fmt.Errorf("starting the publish: %w", err)
	}
	defer func() {
		if err != nil {
			if aerr := tx.Abort(); aerr != nil {
				err = errors.Join(err, fmt.Errorf("discarding staged data: %w", aerr))
			}
		}
	}()
	if err := stage(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("publishing: %w", err)
	}
	return nil
}
