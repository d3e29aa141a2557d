package ingest

import (
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/transforms/validate"
)

// A file loads as a three-stage pipeline, so that reading (parsing CSV,
// JSON Lines or Parquet), validating and writing (Parquet encoding,
// quarantine rows) use more than one core. Validation stays on the
// calling goroutine: the key sets are shared by every file of the load
// and checked in row order. Each stage hands batches on in order through
// a short queue, so the tables are the same, byte for byte, as when the
// stages ran one after the other.

// queued is how many batches wait between two stages: enough to ride out
// an uneven batch, few enough that memory stays a few batches.
const queued = 4

// readBatch is one batch read ahead: its record (retained) and its lines.
type readBatch struct {
	rec   arrow.Record
	lines []validate.Line
}

// readAhead reads r's batches on its own goroutine until the file ends or
// stop is closed, calling progress after each. The channel closes when
// the goroutine is done with r: only then may r's other methods be used.
func readAhead(r *sources.Reader, progress func(), stop <-chan struct{}) <-chan readBatch {
	out := make(chan readBatch, queued)
	go func() {
		defer close(out)
		for r.Next() {
			rec := r.Record()
			rec.Retain()
			lines := slices.Clone(r.Rows()) // the reader reuses its own
			if progress != nil {
				progress()
			}
			select {
			case out <- readBatch{rec, lines}:
			case <-stop:
				rec.Release()
				return
			}
		}
	}()
	return out
}

// drain releases what a stopped readAhead still had queued and waits for
// it to finish.
func drain(batches <-chan readBatch) {
	for b := range batches {
		b.rec.Release()
	}
}

// validated is one validated batch on its way to the warehouse.
type validated struct {
	acc     arrow.Record
	rejects []validate.Reject
}

// writeBehind writes validated batches of one file, in order, on its own
// goroutine: the accepted rows to the source's sink, the rejects to the
// quarantine.
type writeBehind struct {
	ch     chan validated
	failed chan struct{} // closed at the first write error
	done   chan error
}

func (ld *loader) writeBehind(source, file string) *writeBehind {
	w := &writeBehind{ch: make(chan validated, queued), failed: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		var err error
		for v := range w.ch {
			if err == nil {
				if err = ld.write(source, file, v); err != nil {
					close(w.failed)
				}
			}
			v.acc.Release()
		}
		w.done <- err
	}()
	return w
}

func (ld *loader) write(source, file string, v validated) error {
	if v.acc.NumRows() > 0 {
		if err := ld.sink.Write(v.acc); err != nil {
			return fmt.Errorf("writing %s rows from %s: %w", source, file, err)
		}
	}
	return ld.q.add(source, file, v.rejects)
}

// put queues a batch; false when a write has failed (close says why) and
// the batch was dropped.
func (w *writeBehind) put(v validated) bool {
	select {
	case <-w.failed:
		v.acc.Release()
		return false
	case w.ch <- v:
		return true
	}
}

// close waits for every queued batch to be written and returns the first
// write error.
func (w *writeBehind) close() error {
	close(w.ch)
	return <-w.done
}
