package validate

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/transforms/schema"
)

// Validation runs in two stages, so that a load uses every core and still
// gives the same tables and quarantine, byte for byte, as one goroutine:
// Prepare does all that a row needs nothing else for (parsing every cell,
// the table's cross-column rules, a load point in time's undo) and may run
// on several batches at once; Decide does what depends on the rows before
// (references, duplicate keys, the keys it loads, a grain's groups) and
// takes the batches one at a time, in file order.

// Prepared is one batch of export rows after Prepare.
type Prepared struct {
	rec   arrow.Record // the export cells, held until Decide is done
	lines []Line
	cols  []*array.String
	n     int         // contract columns
	cells []cell      // row r's cells: cells[r*n : (r+1)*n]
	bad   []bool      // the same places: the cell already has a problem
	probs [][]problem // per row: its problems so far; nil = none
	state []rowState
	dg    []digests  // per row read: its key's and references' digests
	refs  []digest   // dg's refs, all rows'
	pool  *sync.Pool // where Release puts it back, for the next Prepare
}

type rowState uint8

const (
	rowRead       rowState = iota // parsed and checked
	rowUnreadable                 // the reader could not split it into cells
	rowLater                      // a load point in time: dated after the as-of date
)

// Rows is the number of export rows in the batch.
func (p *Prepared) Rows() int64 { return int64(len(p.state)) }

// Release frees the batch's export cells and hands its own arrays to the
// next Prepare (a batch's cells are megabytes: made afresh for every
// batch, they kept the collector busy). Decide does it, so only a batch
// nobody decided needs it. Safe to call twice; p is not used after.
func (p *Prepared) Release() {
	if p.rec == nil {
		return
	}
	p.rec.Release()
	p.rec, p.lines, p.cols = nil, nil, nil
	p.pool.Put(p)
}

// resize makes s n long, keeping its array when it is large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (p *Prepared) row(r int) (cells []cell, bad []bool) {
	return p.cells[r*p.n : (r+1)*p.n], p.bad[r*p.n : (r+1)*p.n]
}

// Prepare parses and checks one batch of export rows (string columns in
// the export header's order) as far as the rows alone allow. It keeps rec
// (retained) until Decide. Safe to run on several goroutines at once.
func (v *Validator) Prepare(rec arrow.Record, lines []Line) *Prepared {
	rec.Retain()
	nr, nc := int(rec.NumRows()), len(v.cfg.Table.Columns)
	p, _ := v.prepared.Get().(*Prepared)
	if p == nil {
		p = &Prepared{pool: &v.prepared}
	}
	p.rec, p.lines, p.n = rec, lines, nc
	p.cells = resize(p.cells, nr*nc) // every cell a row has is written before it is read
	p.bad, p.probs, p.state = resize(p.bad, nr*nc), resize(p.probs, nr), resize(p.state, nr)
	clear(p.bad)
	clear(p.probs)
	clear(p.state)
	nref := len(v.refCols)
	p.dg, p.refs = resize(p.dg, nr), resize(p.refs, nr*nref)
	clear(p.dg)
	var buf []byte
	p.cols = make([]*array.String, rec.NumCols())
	for i := range p.cols {
		p.cols[i] = rec.Column(i).(*array.String)
	}
	row := rowView{v: v}
	for r := 0; r < nr; r++ {
		if lines[r].Problem != "" {
			p.state[r] = rowUnreadable
			continue
		}
		cells, bad := p.row(r)
		probs := v.parseRow(p.cols, r, cells, bad)
		row.cells = cells
		if v.selfLater(&row) {
			p.state[r] = rowLater
			continue
		}
		if v.grain == nil || len(probs) > 0 { // a grain checks its merged rows (Flush)
			probs = v.checks(&row, probs, bad, func(ci int) string { return v.rawValue(p.cols, r, ci) })
			p.dg[r].refs = p.refs[r*nref : (r+1)*nref]
			buf = v.digestsOf(cells, bad, &p.dg[r], buf)
		}
		p.probs[r] = probs
	}
	return p
}

// Decide finishes a prepared batch, the batches of a file in order, on one
// goroutine: it returns the accepted rows as one record in the table's
// stored schema (the caller releases it) and the rejected rows, and
// releases p.
func (v *Validator) Decide(p *Prepared) (arrow.Record, []Reject) {
	defer p.Release()
	v.bindSets()
	var rejects []Reject
	for r, st := range p.state {
		if r%warmRows == 0 {
			v.warm(p, r)
		}
		ln := p.lines[r]
		if st == rowUnreadable {
			rejects = append(rejects, Reject{Row: ln.Number, Code: schema.ReasonUnreadable, Reason: problem{what: ln.Problem, fix: ln.Fix}.text(), Record: rawRecord(ln.Raw)})
			continue
		}
		cells, bad := p.row(r)
		v.row.cells = cells
		if st == rowLater || v.refLater() {
			v.skipLater()
			continue
		}
		probs := p.probs[r]
		if v.grain != nil && len(probs) == 0 {
			v.grain.add(cells, member{row: ln.Number, record: v.record(p.cols, r)})
			continue
		}
		raw := func(ci int) string { return v.rawValue(p.cols, r, ci) }
		v.rowKey = p.dg[r].key
		if probs = v.links(probs, bad, raw, &p.dg[r]); len(probs) > 0 {
			rejects = append(rejects, v.reject(raw, ln.Number, probs, v.record(p.cols, r)))
			v.noteRejectedKey()
			continue
		}
		v.accept(ln.Number, 1)
	}
	return v.accepted(), rejects
}

// warmRows is how many rows Decide looks ahead at once (warm).
const warmRows = 32

// warm reads, for rows r to r+warmRows of p, the places of the key sets
// their lookups will probe, all at once: each is most likely a cache miss
// at millions of keys, and misses that do not wait on one another are
// served together, where the lookups one after the other would wait for
// each in turn. The digests were worked out in Prepare.
func (v *Validator) warm(p *Prepared, r int) {
	end := min(r+warmRows, len(p.state))
	var sink uint64
	for j := r; j < end; j++ {
		if p.state[j] != rowRead || p.dg[j].refs == nil {
			continue
		}
		if v.own != nil && len(p.probs[j]) == 0 {
			sink += v.own.touch(p.dg[j].key)
		}
		for k, d := range p.dg[j].refs {
			if s := v.refSets[k]; s != nil && d != (digest{}) {
				sink += s.touch(d)
			}
		}
	}
	v.warmed += sink // kept, so that the reads are not optimised away
}
