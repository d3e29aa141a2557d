package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
	"github.com/partnerq/pqi/transforms/validate"
)

// failingSink takes batches until its failAt-th write, which fails.
type failingSink struct{ writes, failAt, rows int }

func (s *failingSink) Write(rec arrow.Record) error {
	s.writes++
	if s.writes == s.failAt {
		return errors.New("disk full")
	}
	s.rows += int(rec.NumRows())
	return nil
}

// A write that fails mid-file stops the file with the write's error
// naming the source and file; the reader stops, every batch in flight is
// released (the checked allocator ends at zero), and the batches before
// the failure were written in order.
func TestWriteFailureStopsThePipeline(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("partner_id,partner_name,joined_date\n")
	for i := range 50 {
		fmt.Fprintf(&csv, "P%03d,Partner %d,2025-01-01\n", i, i)
	}
	fsys := fstest.MapFS{"partners.csv": {Data: []byte(csv.String())}}
	alloc := arrowtest.Alloc(t)
	ctx := context.Background()
	f := sources.File{Source: schema.Partners, Path: "partners.csv", Format: sources.CSV, Size: int64(csv.Len())}
	r, err := sources.Open(ctx, fsys, f, sources.Options{Alloc: alloc, BatchRows: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	asOf, _ := schema.ParseDay("2026-09-30")
	v, _, err := validate.New(validate.Config{Table: schema.Get(schema.Partners), AsOf: asOf, RunID: "r", Keys: validate.NewKeys()}, f.Path, r.Header())
	if err != nil {
		t.Fatal(err)
	}
	sink := &failingSink{failAt: 3}
	ld := &loader{cfg: Config{BatchRows: 4}, sink: sink}
	fsum := warehouse.FileRead{Source: schema.Partners, File: f.Path}
	err = ld.stream(&fsum, r, v)
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "writing partners rows from partners.csv") {
		t.Fatalf("stream: %v, want the write's error naming the source and file", err)
	}
	if sink.rows != 8 {
		t.Errorf("%d rows written before the failure, want the first two batches of 4", sink.rows)
	}
}
