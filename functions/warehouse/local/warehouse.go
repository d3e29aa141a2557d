// Package local is the warehouse driver on local disk, the default: Parquet
// files on disk, one folder per table, partitioned by as-of date, readable by
// DuckDB, Polars and BigQuery external tables:
//
//	<root>/<table>/as_of=YYYY-MM-DD/part-00000.parquet
//	<root>/runs/as_of=YYYY-MM-DD/run-<startedUnixNano>-<runID>.parquet
//
// The partition key is as_of (not as_of_date) so that hive-partitioned readers
// do not see a key that collides with the as_of_date column inside the files.
//
// A Tx stages every table it writes under <root>/_staging and publishes them
// all at Commit by swapping each staged partition directory into place; see
// Tx.Commit for the journal and Open for the recovery it enables.
package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// Options tune OpenWith. The zero value is what Open uses.
type Options struct {
	// BeforePublish, when set, is called by Commit once every table is staged
	// and the commit journal is written, just before each table is swapped in.
	// Returning an error stops Commit there: Commit swaps back the tables it
	// already published and returns the error. It exists so tests can inject
	// failures (or, by panicking, simulate a crash mid-publish).
	BeforePublish func(table string) error

	// LockWait is how long Begin waits while another run publishes the
	// same as-of date: 0 = DefaultLockWait, negative = not at all.
	LockWait time.Duration

	// noExchange forces the rename-aside fallback used where
	// renameat2(RENAME_EXCHANGE) is unsupported (tests only).
	noExchange bool
}

// Warehouse is the Parquet-on-disk warehouse.
type Warehouse struct {
	root  string
	alloc memory.Allocator
	opts  Options
}

const (
	stagingDir    = "_staging"
	journalName   = "COMMIT"
	partKey       = "as_of="
	firstPartName = "part-00000.parquet"
	parquetExt    = ".parquet"
)

// Open opens (creating it if needed) the warehouse at root and recovers
// publishes a previous process left unfinished: a staging directory without a
// commit journal is deleted (the run died before publishing; the previous data
// is intact); one with a journal is rolled forward, so every table it lists
// ends up holding the new data. Staging directories of transactions still live
// (in this or another process) are left alone.
func Open(root string, alloc memory.Allocator) (*Warehouse, error) {
	return OpenWith(root, alloc, Options{})
}

// OpenWith is Open with options.
func OpenWith(root string, alloc memory.Allocator, opts Options) (*Warehouse, error) {
	if root == "" {
		return nil, errors.New("opening warehouse: empty root directory")
	}
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("opening warehouse %s: %w", root, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, stagingDir), 0o755); err != nil {
		return nil, fmt.Errorf("opening warehouse %s: %w", root, err)
	}
	w := &Warehouse{root: abs, alloc: alloc, opts: opts}
	if err := w.recover(); err != nil {
		return nil, fmt.Errorf("opening warehouse %s: %w", root, err)
	}
	return w, nil
}

// Root is the directory the warehouse lives in.
func (w *Warehouse) Root() string { return w.root }

// partitionName is the folder name of an as-of partition.
func partitionName(asOf schema.Day) (string, error) {
	s := asOf.String()
	if back, err := schema.ParseDay(s); err != nil || back != asOf {
		return "", fmt.Errorf("as-of date %d (days since 1970-01-01) is out of range", asOf)
	}
	return partKey + s, nil
}

// parsePartitionName reads a folder name written by partitionName.
func parsePartitionName(name string) (int32, bool) {
	s, ok := strings.CutPrefix(name, partKey)
	if !ok {
		return 0, false
	}
	d, err := schema.ParseDay(s)
	if err != nil || d.String() != s {
		return 0, false
	}
	return int32(d), true
}

func (w *Warehouse) partitionDir(table string, asOf schema.Day) (string, error) {
	if _, err := warehouse.CheckTable(table); err != nil {
		return "", err
	}
	p, err := partitionName(asOf)
	if err != nil {
		return "", err
	}
	return filepath.Join(w.root, table, p), nil
}
