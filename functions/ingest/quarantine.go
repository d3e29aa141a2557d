package ingest

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
	"github.com/partnerq/pqi/transforms/validate"
)

// quarantine streams rejected rows into the quarantine table.
type quarantine struct {
	w     warehouse.TableWriter
	b     *schema.Builder
	asOf  schema.Day
	runID string
}

func newQuarantine(alloc memory.Allocator, tx warehouse.Tx, asOf schema.Day, runID string) (*quarantine, error) {
	w, err := tx.Writer(schema.Quarantine)
	if err != nil {
		return nil, fmt.Errorf("opening the quarantine table: %w", err)
	}
	return &quarantine{w: w, b: schema.NewBuilder(alloc, schema.Get(schema.Quarantine)), asOf: asOf, runID: runID}, nil
}

func (q *quarantine) add(source, file string, rejects []validate.Reject) error {
	if len(rejects) == 0 {
		return nil
	}
	b := q.b
	for _, r := range rejects {
		b.Date(schema.AsOfDate).Append(arrow.Date32(q.asOf))
		b.Str(schema.RunID).Append(q.runID)
		b.Str(schema.Source).Append(source)
		b.Str(schema.File).Append(file)
		b.Int(schema.SourceRow).Append(r.Row)
		if r.Column == "" {
			b.Str(schema.ColumnName).AppendNull()
		} else {
			b.Str(schema.ColumnName).Append(r.Column)
		}
		b.Str(schema.Value).Append(r.Value)
		b.Str(schema.Reason).Append(r.Reason)
		b.Str(schema.Record).Append(r.Record)
		b.Str(schema.ReasonCodeCol).Append(r.Code.String())
	}
	rec := q.b.NewRecord()
	defer rec.Release()
	if err := q.w.Write(rec); err != nil {
		return fmt.Errorf("writing quarantine rows for %s: %w", file, err)
	}
	return nil
}

func (q *quarantine) close() error {
	if err := q.w.Close(); err != nil {
		return fmt.Errorf("writing the quarantine table: %w", err)
	}
	return nil
}

func (q *quarantine) release() { q.b.Release() }
