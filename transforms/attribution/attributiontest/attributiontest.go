// Package attributiontest computes a whole attribution in one call for the
// tests of the transforms downstream of it (ROI, cohorts, the score job's
// finance): the score job itself starts it early (attribution.Start) and
// renders the table in chunks while it is written (Pending.Table).
package attributiontest

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/schema"
)

// Result is the attribution table and the ledger downstream transforms use.
type Result struct {
	Record arrow.Record // rows in schema.Get(schema.Attribution).StoredArrow()
	Ledger *attribution.Ledger
}

// Release releases the record.
func (r *Result) Release() {
	if r != nil && r.Record != nil {
		r.Record.Release()
		r.Record = nil
	}
}

// Compute attributes every partnered deal and renders the whole table as
// one record.
func Compute(ctx context.Context, alloc memory.Allocator, in attribution.Inputs, cfg attribution.Config, asOf schema.Day, runID string) (*Result, error) {
	p, err := attribution.Start(ctx, alloc, in, cfg, asOf)
	if err != nil {
		return nil, err
	}
	var rec arrow.Record
	if err := p.Table(runID, p.Ledger.Credits.Len(), func(r arrow.Record) error {
		rec = r
		return nil
	}); err != nil {
		return nil, err
	}
	return &Result{Record: rec, Ledger: p.Ledger}, nil
}
