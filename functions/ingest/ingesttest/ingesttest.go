// Package ingesttest gives tests a generated ecosystem loaded the way the
// jobs see it: gen -> ingest -> a temporary local warehouse -> Arrow record
// batches, with the generator's hidden truth beside it. Test code only.
package ingesttest

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

// Ecosystem is a generated ecosystem as the score job reads it.
type Ecosystem struct {
	Tables map[string][]arrow.Record
	Truth  [][]string // partner_truth.csv, header first
	AsOf   schema.Day
}

// Generate writes an ecosystem with gen, ingests it into a local warehouse
// in a temporary folder and reads the partners, deals, deal_partners and
// cost_to_serve tables back. Records are released when the test ends
// (before alloc is checked, when alloc came from Alloc first).
func Generate(t testing.TB, alloc memory.Allocator, cfg gen.Config) *Ecosystem {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	cfg.Out, cfg.TruthDir, cfg.Format = filepath.Join(dir, "exports"), filepath.Join(dir, "truth"), "csv"
	if cfg.AsOf.IsZero() {
		cfg.AsOf = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	}
	if _, err := gen.Run(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	asOf := schema.DayOf(cfg.AsOf)
	wh, err := local.Open(filepath.Join(dir, "wh"), alloc)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	_, err = ingest.Run(ctx, ingest.Config{AsOf: asOf, Exports: os.DirFS(cfg.Out), ExportsName: cfg.Out, CodeVersion: "test"},
		ingest.Deps{Deps: warehouse.Deps{Warehouse: wh, Alloc: alloc, Now: func() time.Time { clock = clock.Add(time.Second); return clock }}})
	if err != nil {
		t.Fatal(err)
	}
	e := &Ecosystem{Tables: map[string][]arrow.Record{}, AsOf: asOf}
	t.Cleanup(func() {
		for _, recs := range e.Tables {
			for _, r := range recs {
				r.Release()
			}
		}
	})
	for _, name := range []string{schema.Partners, schema.Deals, schema.DealPartners, schema.CostToServe} {
		rr, err := wh.Read(ctx, name, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for rr.Next() {
			r := rr.Record()
			r.Retain()
			e.Tables[name] = append(e.Tables[name], r)
		}
		err = rr.Err()
		rr.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(filepath.Join(cfg.TruthDir, "partner_truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if e.Truth, err = csv.NewReader(f).ReadAll(); err != nil {
		t.Fatal(err)
	}
	return e
}

// TruthColumn returns a column of the truth file by partner_id.
func (e *Ecosystem) TruthColumn(t testing.TB, name string) map[string]string {
	t.Helper()
	idx := -1
	for i, h := range e.Truth[0] {
		if h == name {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatalf("truth has no column %s", name)
	}
	out := map[string]string{}
	for _, row := range e.Truth[1:] {
		out[row[0]] = row[idx]
	}
	return out
}

// Rows reads table's as-of partition from w as rows of column -> text
// (arrowtest.Rows), failing the test on any error.
func Rows(t testing.TB, w warehouse.Warehouse, table string, asOf schema.Day) []map[string]string {
	t.Helper()
	rr, err := w.Read(context.Background(), table, asOf)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var out []map[string]string
	for rr.Next() {
		out = append(out, arrowtest.Rows(rr.Record())...)
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
