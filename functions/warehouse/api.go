package warehouse

import (
	"context"

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
