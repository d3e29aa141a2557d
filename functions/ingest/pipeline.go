package ingest

import (
	"fmt"
	"runtime"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/partnerq/pqi/functions/pipe"
	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/transforms/validate"
)

// A file loads as a four-stage pipeline, so that reading (parsing CSV,
// JSON Lines or Parquet), validating and writing (Parquet encoding,
// quarantine rows) use every core. Validation is two stages
// (transforms/validate): what a row needs nothing else for (parsing,
// the table's own rules) runs on every core, a batch each; what depends
// on the rows before (references, duplicate keys) stays on the calling
// goroutine, since the key sets are shared by every file of the load and
// checked in row order. Each stage hands batches on in order through a
// short queue, so the tables are the same, byte for byte, as when the
// stages ran one after the other.

// queued is how many batches wait between two stages: enough to ride out
// an uneven batch, few enough that memory stays a few batches.
const queued = 4

// readBatch is one batch read ahead: its record (retained) and its lines.
type readBatch struct {
	rec   arrow.Record
	lines []validate.Line
}

func (b readBatch) release() { b.rec.Release() }

// readAhead reads r's batches on their own goroutine until the file ends,
// calling progress after each; the stream's Err is the reader's. Only
// once the stream has ended (or was stopped) may r's other methods be
// used. Before it hands on the first batch it calls sized (when set) with
// the rows the whole file will have at that batch's bytes per row, the
// file's size being known: no other stage has touched the file yet.
func readAhead(r *sources.Reader, progress func(), sized func(rows int64)) *pipe.Stream[readBatch] {
	return pipe.Ahead(queued, readBatch.release, func(emit func(readBatch) bool) error {
		first := true
		for r.Next() {
			rec := r.Record()
			rec.Retain()
			b := readBatch{rec, slices.Clone(r.Rows())} // the reader reuses its own lines
			if progress != nil {
				progress()
			}
			if read, size := r.Progress(); first && sized != nil && read > 0 && size > 0 {
				sized(rec.NumRows() * size / read)
			}
			first = false
			if !emit(b) {
				b.release()
				return nil
			}
		}
		return r.Err()
	})
}

// prepareAhead prepares the batches read (validate.Validator.Prepare) on
// every core, handing them on in file order. One prepared batch waits:
// each is a few megabytes of parsed cells, and the workers already keep
// one apiece in hand.
func prepareAhead(batches *pipe.Stream[readBatch], v *validate.Validator) *pipe.Stream[*validate.Prepared] {
	return pipe.Map(batches, runtime.GOMAXPROCS(0), 1, (*validate.Prepared).Release, func(b readBatch) *validate.Prepared {
		defer b.release()
		return v.Prepare(b.rec, b.lines)
	})
}

// validated is one validated batch on its way to the warehouse.
type validated struct {
	acc     arrow.Record
	rejects []validate.Reject
}

func (v validated) release() { v.acc.Release() }

// writeBehind writes validated batches of one file, in order, on their
// own goroutine: the accepted rows to the source's sink, the rejects to
// the quarantine.
func (ld *loader) writeBehind(source, file string) *pipe.Sink[validated] {
	return pipe.Behind(queued, validated.release, func(v validated) error { return ld.write(source, file, v) })
}

func (ld *loader) write(source, file string, v validated) error {
	if v.acc.NumRows() > 0 {
		if err := ld.sink.Write(v.acc); err != nil {
			return fmt.Errorf("writing %s rows from %s: %w", source, file, err)
		}
	}
	return ld.q.add(source, file, v.rejects)
}
