package validate

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/partnerq/pqi/transforms/schema"
)

// member is one export row merged into a group, kept so that a rejected
// group quarantines every row it was made of, each as it was read.
type member struct {
	row    int64
	record string
}

// group is one contract row being merged from export rows.
type group struct {
	cells   []cell
	members []member
}

// grouping merges the parsed rows of a line-item export that share the
// grain's key into one contract row per key, in the order keys first
// appear. It holds every group until the file ends: memory grows with the
// file's distinct keys, not its rows.
type grouping struct {
	v      *Validator
	keyIdx []int    // contract columns of the key
	agg    []string // per contract column: its aggregation
	index  map[string]int
	groups []*group
}

func newGrouping(v *Validator, g *Grain) *grouping {
	t := v.cfg.Table
	gr := &grouping{v: v, agg: make([]string, len(t.Columns)), index: map[string]int{}}
	for _, k := range g.Key {
		gr.keyIdx = append(gr.keyIdx, v.index[k])
	}
	for ci, c := range t.Columns {
		gr.agg[ci] = AggFirst
		if a, ok := g.Aggregate[c.Name]; ok {
			gr.agg[ci] = a
		}
	}
	return gr
}

// add merges one parsed row.
func (gr *grouping) add(cells []cell, m member) {
	var kb strings.Builder
	for _, ci := range gr.keyIdx {
		c := cells[ci]
		if !c.set {
			kb.WriteByte(1)
		} else {
			fmt.Fprintf(&kb, "%s|%d", c.s, c.i)
		}
		kb.WriteByte(0)
	}
	key := kb.String()
	i, ok := gr.index[key]
	if !ok {
		gr.index[key] = len(gr.groups)
		gr.groups = append(gr.groups, &group{cells: append([]cell(nil), cells...), members: []member{m}})
		return
	}
	g := gr.groups[i]
	g.members = append(g.members, m)
	for ci, c := range cells {
		g.cells[ci] = merge(g.cells[ci], c, gr.agg[ci])
	}
}

// merge aggregates cell c into the group's cell d.
func merge(d, c cell, agg string) cell {
	switch {
	case !c.set:
		return d
	case !d.set:
		if agg == AggFirst {
			return d
		}
		return c
	}
	switch agg {
	case AggSum:
		d.i += c.i
	case AggMin:
		d.i = min(d.i, c.i)
	case AggMax:
		d.i = max(d.i, c.i)
	}
	return d
}

// Flush checks every group merged from the file's rows against the rules,
// references and keys, and hands the results to emit in chunks of at most
// batch groups: the accepted rows (the caller releases the record), how
// many export rows they were made of, and the rejected rows (one per
// export row of a rejected group). Without a grain it does nothing.
func (v *Validator) Flush(batch int, emit func(acc arrow.Record, lines int64, rejects []Reject) error) error {
	gr := v.grain
	if gr == nil {
		return nil
	}
	batch = max(batch, 1)
	var (
		rejects []Reject
		lines   int64
		n       int
	)
	raw := func(ci int) string { return v.cellText(ci) }
	bad := make([]bool, len(v.cfg.Table.Columns))
	for gi, g := range gr.groups {
		v.row.cells = g.cells
		clear(bad)
		if probs := v.rules(nil, bad, raw); len(probs) > 0 {
			for _, m := range g.members {
				rejects = append(rejects, v.reject(raw, m.row, probs, m.record))
			}
			v.noteRejectedKey()
		} else {
			v.accept(g.members[0].row, int64(len(g.members)))
			lines += int64(len(g.members))
		}
		gr.groups[gi] = nil // free the group's rows as the file drains
		if n++; n == batch || gi == len(gr.groups)-1 {
			if err := emit(v.accepted(), lines, rejects); err != nil {
				return err
			}
			rejects, lines, n = nil, 0, 0
		}
	}
	gr.groups, gr.index = nil, nil
	return nil
}

// cellText renders parsed cell ci of the current row, for messages about
// a merged row (which has no single export value).
func (v *Validator) cellText(ci int) string {
	c := v.row.cells[ci]
	if !c.set {
		return ""
	}
	switch v.cfg.Table.Columns[ci].Kind {
	case schema.Date:
		return schema.Day(c.i).String()
	case schema.Money:
		return fmt.Sprintf("%.2f", float64(c.i)/100)
	case schema.Int:
		return fmt.Sprint(c.i)
	case schema.Bool:
		return fmt.Sprint(c.i == 1)
	}
	return c.s
}
