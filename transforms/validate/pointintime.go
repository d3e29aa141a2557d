package validate

import "github.com/partnerq/pqi/transforms/schema"

// A load point in time rebuilds a past quarter from today's exports
// (Config.KnownBy after Config.AsOf): a row dated after the as-of date,
// and up to KnownBy, is not an error but a row that did not exist yet,
// and an event dated so (a deal's close, a churn) had not happened yet.
// Rows dated after KnownBy are still quarantined as future dates.

// selfLater reports whether the parsed row did not exist yet at the
// as-of date: its table's Known date is after it. Otherwise it undoes the
// row's events that had not happened yet (schema.Table.Undo). A row that
// refers to a row that did not exist yet did not either (refLater, which
// needs the rows before it).
func (v *Validator) selfLater(row *rowView) bool {
	if v.cfg.KnownBy <= v.cfg.AsOf {
		return false
	}
	t := v.cfg.Table
	if t.Known != "" && v.later(row, t.Known) {
		return true
	}
	for _, u := range t.Undo {
		if !v.later(row, u.Date) {
			continue
		}
		for _, col := range u.Clear {
			row.cells[v.index[col]] = cell{}
		}
		for col, val := range u.Set {
			row.cells[v.index[col]] = cell{set: true, s: val}
		}
	}
	return false
}

// refLater reports whether the row in v.row refers to a row that did not
// exist yet at the as-of date of a load point in time.
func (v *Validator) refLater() bool {
	if v.cfg.KnownBy <= v.cfg.AsOf {
		return false
	}
	for ci, c := range v.cfg.Table.Columns {
		if x := v.row.cells[ci]; c.Ref != nil && x.set && v.cfg.Keys.isLater(c.Ref.Table, digestOf(x.s)) {
			return true
		}
	}
	return false
}

// later reports whether the date in col of row is after the as-of date
// and not after KnownBy.
func (v *Validator) later(row *rowView, col string) bool {
	c := row.cells[v.index[col]]
	return c.set && schema.Day(c.i) > v.cfg.AsOf && schema.Day(c.i) <= v.cfg.KnownBy
}

// skipLater counts a row not yet known and remembers its key, so the rows
// that refer to it are not yet known either.
func (v *Validator) skipLater() {
	v.notKnown++
	if len(v.keyCols) == 1 {
		if c := v.row.cells[v.keyCols[0]]; c.set {
			v.cfg.Keys.markLater(v.cfg.Table.Name, digestOf(c.s))
		}
	}
}

// NotYetKnown is how many rows of the file did not exist yet at the as-of
// date of a load point in time.
func (v *Validator) NotYetKnown() int64 { return v.notKnown }
