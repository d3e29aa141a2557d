// Package open opens the warehouse a spec names, the same way for every
// entry point (the CLI, the Lambda functions, the tests): a directory is
// the local Parquet warehouse (functions/warehouse/local), bq://PROJECT/DATASET
// is BigQuery (functions/warehouse/bigquery). It is the one place that
// knows both drivers.
package open

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/api/option"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	"github.com/partnerq/pqi/functions/warehouse/local"
)

// Opened is an open warehouse and what to release when done with it.
type Opened struct {
	warehouse.Warehouse
	close func() error
}

// Close releases the warehouse's clients (nothing for the local one).
func (o *Opened) Close() error {
	if o == nil || o.close == nil {
		return nil
	}
	return o.close()
}

// Unwrap is the driver's warehouse, for a driver's own helpers
// (bigquery.SourcesOf).
func (o *Opened) Unwrap() warehouse.Warehouse { return o.Warehouse }

// Analyst is the warehouse's analyst surface (pqi sql); both drivers
// have one.
func (o *Opened) Analyst() (warehouse.Analyst, bool) {
	a, ok := o.Warehouse.(warehouse.Analyst)
	return a, ok
}

// Warehouse opens the warehouse spec names, creating it if need be: a
// directory, or bq://PROJECT/DATASET authenticated with Application
// Default Credentials (docs/bigquery.md) unless opts say otherwise (an
// endpoint and no authentication for the emulator). A spec of neither
// form is an error wrapping warehouse.ErrSpec.
func Warehouse(ctx context.Context, spec string, alloc memory.Allocator, opts ...option.ClientOption) (*Opened, error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if !bigquery.IsSpec(spec) {
		if err := local.CheckSpec(spec); err != nil {
			return nil, err
		}
		w, err := local.Open(spec, alloc)
		if err != nil {
			return nil, err
		}
		return &Opened{Warehouse: w}, nil
	}
	w, err := bigquery.Open(ctx, spec, alloc, opts...)
	if err != nil {
		return nil, err
	}
	return &Opened{Warehouse: w, close: w.Close}, nil
}

// Existing is Warehouse for the jobs that read a warehouse (score,
// report, scorecards, runs, sql): a spec that names no warehouse yet is an
// error wrapping warehouse.ErrNoWarehouse, and nothing is created, so a
// mistyped folder or dataset is not made into an empty warehouse holding
// failed runs.
func Existing(ctx context.Context, spec string, alloc memory.Allocator, opts ...option.ClientOption) (*Opened, error) {
	if !bigquery.IsSpec(spec) {
		if err := local.CheckWarehouse(spec); err != nil {
			return nil, err
		}
		return Warehouse(ctx, spec, alloc)
	}
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	w, err := bigquery.Open(ctx, spec, alloc, opts...)
	if err != nil {
		return nil, err
	}
	if err := w.CheckExists(ctx); err != nil {
		w.Close()
		return nil, err
	}
	return &Opened{Warehouse: w, close: w.Close}, nil
}
