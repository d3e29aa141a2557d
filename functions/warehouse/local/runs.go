package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// AppendRun adds one row to the runs table; it never replaces. The row is
// written as its own file, <root>/runs/as_of=.../run-<startedUnixNano>-<runID>.parquet,
// staged first so a reader never sees half a file.
func (w *Warehouse) AppendRun(ctx context.Context, r warehouse.Run) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.Check(); err != nil {
		return err
	}
	partDir, err := w.partitionDir(schema.Runs, r.AsOf)
	if err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	name := "run-" + strconv.FormatInt(r.StartedAt.UnixNano(), 10) + "-" + r.RunID + parquetExt
	final := filepath.Join(partDir, name)
	if _, err := os.Lstat(final); err == nil {
		return fmt.Errorf("appending run %s: %s already exists", r.RunID, final)
	}

	dir, lock, err := w.newStaging(r.RunID)
	if err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	defer func() {
		os.RemoveAll(dir)
		lock.unlock()
	}()
	staged := filepath.Join(dir, name)
	if err := w.writeRun(staged, r); err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	if err := os.MkdirAll(partDir, 0o755); err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	if err := os.Rename(staged, final); err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	if err := syncDirs(partDir, filepath.Dir(partDir), w.root); err != nil {
		return fmt.Errorf("appending run %s: %w", r.RunID, err)
	}
	return nil
}

func (w *Warehouse) writeRun(path string, r warehouse.Run) error {
	t := schema.Get(schema.Runs)
	sc := t.StoredArrow()
	rec, err := warehouse.RunRecord(w.alloc, sc, r)
	if err != nil {
		return err
	}
	defer rec.Release()
	pf, err := warehouse.CreateParquet(path, t, w.alloc)
	if err != nil {
		return err
	}
	err = pf.Write(rec)
	if cerr := pf.Close(); err == nil {
		err = cerr
	}
	return err
}
