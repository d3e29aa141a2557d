package ingest

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
	"github.com/partnerq/pqi/transforms/validate"
)

// quarantine streams rejected rows into the quarantine table.
type quarantine struct {
	w     warehouse.TableWriter
	b     *array.RecordBuilder
	asOf  int32
	runID string
	col   map[string]int
}

func newQuarantine(alloc memory.Allocator, tx warehouse.Tx, asOf int32, runID string) (*quarantine, error) {
	w, err := tx.Writer(schema.Quarantine)
	if err != nil {
		return nil, fmt.Errorf("opening the quarantine table: %w", err)
	}
	t := schema.Get(schema.Quarantine)
	q := &quarantine{w: w, b: array.NewRecordBuilder(alloc, t.StoredArrow()), asOf: asOf, runID: runID, col: map[string]int{}}
	for i, n := range t.Names() {
		q.col[n] = i
	}
	return q, nil
}

func (q *quarantine) str(name string) *array.StringBuilder {
	return q.b.Field(q.col[name]).(*array.StringBuilder)
}

func (q *quarantine) add(source, file string, rejects []validate.Reject) error {
	if len(rejects) == 0 {
		return nil
	}
	for _, r := range rejects {
		q.b.Field(q.col[schema.AsOfDate]).(*array.Date32Builder).Append(arrow.Date32(q.asOf))
		q.str(schema.RunID).Append(q.runID)
		q.str(schema.Source).Append(source)
		q.str(schema.File).Append(file)
		q.b.Field(q.col[schema.SourceRow]).(*array.Int64Builder).Append(r.Row)
		if r.Column == "" {
			q.str(schema.ColumnName).AppendNull()
		} else {
			q.str(schema.ColumnName).Append(r.Column)
		}
		q.str(schema.Value).Append(r.Value)
		q.str(schema.Reason).Append(r.Reason)
		q.str(schema.Record).Append(r.Record)
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
