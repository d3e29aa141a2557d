package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"
	"github.com/partnerq/pqi/functions/warehouse/open"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// openWarehouse opens the warehouse --warehouse names (open.Warehouse),
// creating it if need be: for the jobs that load it (ingest, run). A spec
// of the wrong form is a usage error. Close it when done.
func openWarehouse(ctx context.Context, spec string) (*open.Opened, error) {
	w, err := open.Warehouse(ctx, spec, memory.DefaultAllocator)
	return w, warehouseError(spec, err)
}

// openExisting opens the warehouse --warehouse names for a job that reads
// it (open.Existing): one that does not exist is a usage error
// and nothing is created.
func openExisting(ctx context.Context, spec string) (*open.Opened, error) {
	w, err := open.Existing(ctx, spec, memory.DefaultAllocator)
	return w, warehouseError(spec, err)
}

// warehouseError makes a wrong or missing --warehouse a usage error,
// suggesting a warehouse folder beside a mistyped one.
func warehouseError(spec string, err error) error {
	switch {
	case errors.Is(err, warehouse.ErrSpec):
		return usagef("--warehouse %v", err)
	case errors.Is(err, warehouse.ErrNoWarehouse):
		if near := nearWarehouse(spec); near != "" {
			return usagef("--warehouse %v (did you mean %s?)", err, near)
		}
		return usagef("--warehouse %v", err)
	}
	return err
}

// nearWarehouse is the warehouse folder beside dir whose name is closest to
// dir's, within two edits; "" if none.
func nearWarehouse(dir string) string {
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && local.CheckWarehouse(filepath.Join(parent, e.Name())) == nil {
			names = append(names, e.Name())
		}
	}
	if near := closest(base, names); near != "" {
		return filepath.Join(parent, near) // Join drops the "./"
	}
	return ""
}

// printPublished says whose publish of the same as-of date a run waited
// for and whose snapshot it replaced (recorded in runs.replaced_run_id).
func printPublished(w io.Writer, asOf schema.Day, runID string, p warehouse.Published) {
	if p.WaitedFor != "" {
		fmt.Fprintf(w, "Waited %s for %s, which was publishing the same as-of date.\n", p.Waited.Round(100*time.Millisecond), p.WaitedFor)
	}
	switch p.Replaced {
	case "":
	case runID:
		fmt.Fprintf(w, "Published the %s snapshot again: run %s had published the same inputs, configuration and code, so the tables are unchanged.\n", asOf.String(), runID)
	default:
		fmt.Fprintf(w, "Replaced the %s snapshot published by run %s.\n", asOf.String(), p.Replaced)
	}
}
