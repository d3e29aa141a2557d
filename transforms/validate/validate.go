// Package validate applies the data contract to export rows: it maps export
// columns onto contract columns, parses every cell, checks every rule of
// transforms/schema (types, enums, ranges, cross-column checks, keys and
// references to other tables) and splits each batch into accepted Arrow
// records and rejected rows with their reasons. It does no I/O.
package validate

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/transforms/schema"
)

// Line describes one row of an export batch, as the export readers
// (functions/sources) deliver it with the batch's cells.
type Line struct {
	// Number is the row's place in the file. CSV: record number counting
	// the header as row 1 (the first data row is 2, like a spreadsheet);
	// JSON Lines: 1-based line number; Parquet: 1-based row index.
	Number int64
	// Problem is non-empty when the row could not be split into cells; its
	// cells are all null.
	Problem string
	// Fix says what to do about Problem.
	Fix string
	// Raw is, for a problem row, the row's text as read (CSV: the cells as
	// a JSON array; JSON Lines: the raw line). Empty otherwise.
	Raw string
}

// Reject is one input row that broke the contract.
type Reject struct {
	Row    int64
	Code   schema.ReasonCode // of the first problem
	Column string            // contract column of the first problem; "" for an unreadable row
	Value  string            // offending value as it appeared
	Reason string            // every problem, in plain words, with fixes
	Record string            // the whole row as read: JSON object of export column -> cell
}

// Keys holds, per table, the keys loaded so far (and where from) and the
// single-column keys that were quarantined. One Keys is shared by every file
// of one load: duplicates are found across files of a source, and later
// tables check their references against it and can say why one fails.
// Keys are kept as digests in compact sets (keyset.go), a few tens of bytes
// per key; Forget frees a table's sets once nothing will look at them.
type Keys struct {
	loaded   map[string]*keySet
	rejected map[string]*keySet
	later    map[string]*keySet // keys of rows not yet known (a load point in time)
	files    []string
}

type loc struct {
	file int32 // index into Keys.files
	aux  int32 // Config.KeyAux's value on the row (a date), when keep
	keep bool
	row  int64
}

// NewKeys returns an empty key registry.
func NewKeys() *Keys {
	return &Keys{loaded: map[string]*keySet{}, rejected: map[string]*keySet{}, later: map[string]*keySet{}}
}

// fileIndex interns a file name for loc.
func (k *Keys) fileIndex(name string) int32 {
	for i, f := range k.files {
		if f == name {
			return int32(i)
		}
	}
	k.files = append(k.files, name)
	return int32(len(k.files) - 1)
}

func setOf(m map[string]*keySet, table string) *keySet {
	s := m[table]
	if s == nil {
		s = newKeySet()
		m[table] = s
	}
	return s
}

func (k *Keys) load(table string, key digest, at loc) {
	setOf(k.loaded, table).add(key, at.file, at.row, at.aux, at.keep)
}

func (k *Keys) reject(table string, key digest) {
	setOf(k.rejected, table).add(key, 0, 0, 0, false)
}

// firstIn is where set s (a table's loaded keys) loaded key, if it did.
func (k *Keys) firstIn(s *keySet, key digest) (file string, row int64, ok bool) {
	o, ok := s.find(key)
	if !ok {
		return "", 0, false
	}
	f, row := s.at(o)
	return k.files[f], row, true
}

// holds reports whether the set of table in m holds key.
func holds(m map[string]*keySet, table string, key digest) bool {
	s := m[table]
	if s == nil {
		return false
	}
	_, ok := s.find(key)
	return ok
}

func (k *Keys) has(table string, key digest) bool { return holds(k.loaded, table, key) }

// Has reports whether table loaded key (single-column keys).
func (k *Keys) Has(table, key string) bool { return k.has(table, digestOf(key)) }

// Aux is the KeyAux value remembered with a loaded single-column key.
func (k *Keys) Aux(table, key string) (int32, bool) {
	s := k.loaded[table]
	if s == nil {
		return 0, false
	}
	o, ok := s.find(digestOf(key))
	if !ok {
		return 0, false
	}
	return s.auxOf(o)
}

// Count is the number of keys table loaded.
func (k *Keys) Count(table string) int {
	if s := k.loaded[table]; s != nil {
		return s.len()
	}
	return 0
}

// Forget frees table's loaded and quarantined keys: for a table whose
// rows are all in and that no table still to load refers to.
func (k *Keys) Forget(table string) {
	for _, m := range []map[string]*keySet{k.loaded, k.rejected, k.later} {
		if s := m[table]; s != nil {
			s.release()
			delete(m, table)
		}
	}
}

// Release frees every table's keys: the load is over.
func (k *Keys) Release() {
	for _, m := range []map[string]*keySet{k.loaded, k.rejected, k.later} {
		for t := range m {
			k.Forget(t)
		}
	}
}

// ReserveKeys makes room in the table's key set for about rows more keys,
// an estimate from the export's size: one rehash instead of one at every
// doubling. A wrong estimate costs only what it would have.
func (v *Validator) ReserveKeys(rows int64) {
	if len(v.keyCols) > 0 && rows > 0 {
		setOf(v.cfg.Keys.loaded, v.cfg.Table.Name).reserve(int(min(rows, 1<<31)))
	}
}

// Freeze makes table's key sets smaller once all its rows are in: the
// tables still to load can ask whether it holds a key (and for the key's
// aux value), no longer where the key was loaded.
func (k *Keys) Freeze(table string) {
	for _, m := range []map[string]*keySet{k.loaded, k.rejected, k.later} {
		if s := m[table]; s != nil {
			s.freeze()
		}
	}
}

func (k *Keys) markLater(table string, key digest) {
	if !k.isLater(table, key) {
		setOf(k.later, table).add(key, 0, 0, 0, false)
	}
}

func (k *Keys) isLater(table string, key digest) bool { return holds(k.later, table, key) }

func (k *Keys) wasRejected(table string, key digest) bool { return holds(k.rejected, table, key) }

// Config fixes what a Validator checks against.
type Config struct {
	Table   schema.Table
	Mapping Mapping
	// MappingName is where the mapping came from, for messages ("" = none).
	MappingName string
	// Lookups are the values of the mapping's lookups, loaded by the
	// caller from their files: contract column -> key -> value.
	Lookups map[string]map[string]string
	AsOf    schema.Day
	// KnownBy, when after AsOf, makes the load point in time
	// (pointintime.go): the exports are known up to KnownBy, and rows and
	// events dated after AsOf up to it had not happened yet at AsOf.
	KnownBy schema.Day
	RunID   string // stored in every accepted row
	Keys    *Keys  // shared across the tables of one load
	// KeyAux names a date column of the table to remember with each loaded
	// key (Keys.Aux): the deals' created_date, from which ingest derives
	// the joined date of partners that have none. It costs no memory: the
	// value fits beside the key's location.
	KeyAux string
}

// Validator checks the rows of one export file of one table.
type Validator struct {
	cfg       Config
	file      string
	fileIdx   int32
	header    []string
	src       []int    // per contract column: index into the export header, or -1
	defaults  []*cell  // per contract column: parsed default for a missing column or an empty cell
	parsers   []parser // per contract column
	lookup    []lookupColumn
	index     map[string]int
	keyCols   []int
	auxCol    int         // index of Config.KeyAux, -1 = none
	out       *Buffers    // the accepted rows of the batch being decided
	prepared  sync.Pool   // *Prepared given back by Release
	lineage   int         // index of as_of_date in the stored schema
	row       rowView     // the row the sequential stage (Decide, Flush) is at
	checkCols []checkCols // per Table.Checks: its columns' places
	grain     *grouping   // nil unless the mapping declares a grain
	keyBuf    []byte      // a composite key's text, reused
	recCols   []int       // record's columns, in its keys' order (recordLayout)
	recKeys   [][]byte    // record's keys, as JSON with the colon
	recBuf    []byte      // record's text, reused
	rowKey    digest      // the key digest of the row in v.row
	refCols   []int       // the columns that refer to another table
	refSets   []*keySet   // per refCols: the referred table's loaded keys (nil: none)
	own       *keySet     // the table's loaded keys, when it has a key
	warmed    uint64      // what warm read
	taken     []taken     // the rows accepted, until accepted stores them
	notKnown  int64       // rows not yet known at the as-of date (a load point in time)
}

// checkCols are the places of a check's column and of the columns it uses.
type checkCols struct {
	col  int
	uses []int
}

// lookupColumn fills one contract column from a lookup.
type lookupColumn struct {
	from    int // export column holding the key, -1 = none
	values  map[string]string
	aliases map[string]string // lower-cased export value -> key
}

// value looks up the export value s.
func (l lookupColumn) value(s string) (string, bool) {
	k := strings.TrimSpace(s)
	if a, ok := l.aliases[strings.ToLower(k)]; ok {
		k = a
	}
	v, ok := l.values[k]
	return v, ok
}

// FileError is a problem that makes a whole file unusable.
type FileError struct {
	File, Problem, Fix string
}

func (e *FileError) Error() string {
	return fmt.Sprintf("%s: %s; fix: %s", e.File, e.Problem, e.Fix)
}

// New binds a validator to one export file given its header. It fails with
// a *FileError when a required column is neither in the export nor mapped,
// defaulted or looked up. ignored lists the export columns no contract
// column uses.
func New(cfg Config, file string, header []string) (v *Validator, ignored []string, err error) {
	t := cfg.Table
	v = &Validator{cfg: cfg, file: file, fileIdx: cfg.Keys.fileIndex(file), header: header, index: map[string]int{}}
	byName := map[string]int{}
	for i, h := range header {
		byName[strings.ToLower(strings.TrimSpace(h))] = i
	}
	find := func(name string) int {
		if i, ok := byName[strings.ToLower(strings.TrimSpace(name))]; ok {
			return i
		}
		return -1
	}
	mapping := cfg.MappingName
	if mapping == "" {
		mapping = fmt.Sprintf("a mapping file such as mappings/%s.yaml (docs/mapping.md)", t.Name)
	}
	used := make([]bool, len(header))
	v.lookup = make([]lookupColumn, len(t.Columns))
	for ci, c := range t.Columns {
		v.index[c.Name] = ci
		p := newParser(c, cfg.Mapping)
		want := c.Name
		if m, ok := cfg.Mapping.Columns[c.Name]; ok {
			want = m
		}
		p.mappedAs = want
		v.parsers = append(v.parsers, p)
		idx := find(want)
		if idx >= 0 {
			used[idx] = true
		}
		v.src = append(v.src, idx)
		v.lookup[ci].from = -1
		if l, ok := cfg.Mapping.Lookups[c.Name]; ok {
			if err := v.bindLookup(ci, c.Name, l, find, mapping); err != nil {
				return nil, nil, err
			}
			used[v.lookup[ci].from] = true
		}
		var def *cell
		if d, ok := cfg.Mapping.Defaults[c.Name]; ok {
			pc, prob := p.parse(d)
			if prob != nil {
				return nil, nil, &FileError{File: file, Problem: "mapping default for " + prob.what, Fix: "correct defaults: " + c.Name + " in " + mapping}
			}
			def = &pc
		}
		v.defaults = append(v.defaults, def)
		if idx < 0 && def == nil && v.lookup[ci].from < 0 && c.Required {
			fix := fmt.Sprintf("add a %q column to the export, or map an export column to it in %s (columns: %s: <export column>)", c.Name, mapping, c.Name)
			if want != c.Name {
				fix = fmt.Sprintf("%s maps %s to %q; correct the export column name there", mapping, c.Name, want)
			}
			return nil, nil, &FileError{File: file, Problem: fmt.Sprintf("missing required column %q (header has: %s)", want, strings.Join(header, ", ")), Fix: fix}
		}
	}
	for i, u := range used {
		if !u {
			ignored = append(ignored, header[i])
		}
	}
	if err := v.bindKey(); err != nil {
		return nil, nil, err
	}
	if g := cfg.Mapping.Grain; g != nil {
		v.grain = newGrouping(v, g)
	}
	v.out = newBuffers(t.Stored(), t.StoredArrow())
	v.lineage = len(t.Columns)
	v.row = rowView{v: v}
	v.bindChecks()
	return v, ignored, nil
}

// bindChecks finds the places of the columns of each of the table's
// checks, once, not by name per row.
func (v *Validator) bindChecks() {
	for _, ch := range v.cfg.Table.Checks {
		cc := checkCols{col: v.index[ch.Column]}
		for _, u := range ch.Uses {
			cc.uses = append(cc.uses, v.index[u])
		}
		v.checkCols = append(v.checkCols, cc)
	}
}

// bindKey finds the key's columns, and the column remembered with it
// (Config.KeyAux), a date of a single-column key.
func (v *Validator) bindKey() error {
	t := v.cfg.Table
	for _, k := range t.Key {
		v.keyCols = append(v.keyCols, v.index[k])
	}
	for ci, c := range t.Columns {
		if c.Ref != nil {
			v.refCols = append(v.refCols, ci)
		}
	}
	v.refSets = make([]*keySet, len(v.refCols))
	v.auxCol = -1
	if aux := v.cfg.KeyAux; aux != "" {
		c, ok := t.Column(aux)
		if !ok || c.Kind != schema.Date || len(t.Key) != 1 {
			return fmt.Errorf("validate: %s.%s cannot be remembered with the key", t.Name, aux)
		}
		v.auxCol = v.index[aux]
	}
	return nil
}

// bindLookup binds the lookup of column name (column ci) to the export
// column it reads (find gives its place in the header) and its values.
func (v *Validator) bindLookup(ci int, name string, l Lookup, find func(string) int, mapping string) error {
	if v.lookup[ci].from = find(l.From); v.lookup[ci].from < 0 {
		return &FileError{File: v.file, Problem: fmt.Sprintf("the lookup of %s reads export column %q, which the header lacks (header has: %s)", name, l.From, strings.Join(v.header, ", ")),
			Fix: fmt.Sprintf("correct lookups: %s: from: in %s", name, mapping)}
	}
	v.lookup[ci].values = v.cfg.Lookups[name]
	v.lookup[ci].aliases = map[string]string{}
	for from, to := range l.Aliases {
		v.lookup[ci].aliases[strings.ToLower(strings.TrimSpace(from))] = to
	}
	return nil
}

// Batch validates one batch of export rows (string columns in the export
// header's order): Prepare and Decide on the calling goroutine. It returns
// the accepted rows as one record in the table's stored schema (the caller
// releases it) and the rejected rows. When the mapping declares a grain,
// rows are only parsed and grouped here (the record is empty; rows that do
// not parse are rejected at once): the groups are checked and returned by
// Flush at the end of the file.
func (v *Validator) Batch(rec arrow.Record, lines []Line) (arrow.Record, []Reject) {
	return v.Decide(v.Prepare(rec, lines))
}

// parseRow parses row r of cols into cells: each contract column from its
// export column, its lookup or its default. It returns the problems met
// and marks in bad the columns that had one.
func (v *Validator) parseRow(cols []*array.String, r int, cells []cell, bad []bool) []problem {
	t := v.cfg.Table
	var probs []problem
	for ci := range t.Columns {
		c := &t.Columns[ci]
		var pc cell
		raw, ok := "", false
		if idx := v.src[ci]; idx >= 0 && !cols[idx].IsNull(r) {
			raw, ok = cols[idx].Value(r), true
		}
		if l := &v.lookup[ci]; !ok && l.from >= 0 && !cols[l.from].IsNull(r) {
			raw, ok = l.value(cols[l.from].Value(r))
		}
		if ok {
			var prob *problem
			pc, prob = v.parsers[ci].parse(raw)
			if prob != nil {
				probs = append(probs, *prob)
				bad[ci] = true
			}
		}
		if !pc.set && !bad[ci] && v.defaults[ci] != nil {
			pc = *v.defaults[ci]
		}
		cells[ci] = pc
		if !pc.set && !bad[ci] && c.Required {
			probs = append(probs, problem{column: c.Name, code: schema.ReasonMissingRequired, what: "missing required " + c.Name,
				fix: "fill " + c.Name + " in the export, or set a default for it in the mapping file (defaults fill empty cells too)"})
			bad[ci] = true
		}
	}
	return probs
}

// rules checks the row in v.row against the table's cross-column rules,
// its references and its key (checks, then links), adding to the parsing
// problems probs (bad marks the columns that already have one). raw gives
// a column's value as the export wrote it, for messages.
func (v *Validator) rules(probs []problem, bad []bool, raw func(ci int) string) []problem {
	v.bindSets()
	probs = v.checks(&v.row, probs, bad, raw)
	d := digests{refs: make([]digest, len(v.refCols))}
	v.keyBuf = v.digestsOf(v.row.cells, bad, &d, v.keyBuf)
	v.rowKey = d.key
	return v.links(probs, bad, raw, &d)
}

// checks adds the problems of the table's cross-column rules on row, the
// part of validation that needs no other row.
func (v *Validator) checks(row *rowView, probs []problem, bad []bool, raw func(ci int) string) []problem {
	for k, ch := range v.cfg.Table.Checks {
		ready := !bad[v.checkCols[k].col]
		for _, ui := range v.checkCols[k].uses {
			if bad[ui] || !row.cells[ui].set {
				ready = false
			}
		}
		if ready && !ch.Fn(row) {
			ci := v.checkCols[k].col
			probs = append(probs, problem{column: ch.Column, value: raw(ci), code: ch.Code, what: ch.Rule, fix: ch.Fix})
			bad[ci] = true
		}
	}
	return probs
}

// links adds the problems of the row in v.row that other rows decide: a
// reference to a row not loaded, a key loaded before. Only the sequential
// stage (Decide, Flush) calls it, in file order.
func (v *Validator) links(probs []problem, bad []bool, raw func(ci int) string, dg *digests) []problem {
	t := v.cfg.Table
	for k, ci := range v.refCols {
		c := t.Columns[ci]
		if bad[ci] || !v.row.cells[ci].set {
			continue
		}
		key := v.row.cells[ci].s
		d := dg.refs[k]
		if s := v.refSets[k]; s != nil {
			if _, ok := s.find(d); ok {
				continue
			}
		}
		code := schema.ReasonUnknownReference
		what := fmt.Sprintf("%s %q does not exist in %s", c.Name, key, c.Ref.Table)
		fix := fmt.Sprintf("add it to the %s export, or correct the id", c.Ref.Table)
		if v.cfg.Keys.wasRejected(c.Ref.Table, d) {
			code = schema.ReasonParentQuarantined
			what = fmt.Sprintf("%s %q was quarantined in %s", c.Name, key, c.Ref.Table)
			fix = fmt.Sprintf("fix that %s row first (see the quarantine table)", c.Ref.Table)
		}
		probs = append(probs, problem{column: c.Name, value: raw(ci), code: code, what: what, fix: fix})
		bad[ci] = true
	}
	if len(probs) == 0 && len(v.keyCols) > 0 {
		if file, row, dup := v.cfg.Keys.firstIn(v.own, dg.key); dup {
			where := fmt.Sprintf("row %d", row)
			if file != v.file {
				where = fmt.Sprintf("%s row %d", file, row)
			}
			probs = append(probs, problem{column: t.Key[0], value: raw(v.keyCols[0]), code: schema.ReasonDuplicateKey,
				what: fmt.Sprintf("duplicate key (%s): %s already loaded it", strings.Join(t.Key, ", "), where),
				fix:  "remove the duplicate row from the export"})
		}
	}
	return probs
}

// bindSets finds the key sets the sequential stage looks in: those of the
// tables referred to (loaded before this one) and the table's own.
func (v *Validator) bindSets() {
	for k, ci := range v.refCols {
		v.refSets[k] = v.cfg.Keys.loaded[v.cfg.Table.Columns[ci].Ref.Table]
	}
	v.own = nil
	if len(v.keyCols) > 0 {
		v.own = setOf(v.cfg.Keys.loaded, v.cfg.Table.Name)
	}
}

// keyOf is the digest of the key of the row with cells; buf is scratch
// for a composite key's text (returned for reuse).
func (v *Validator) keyOf(cells []cell, buf []byte) (digest, []byte) {
	if len(v.keyCols) == 1 {
		return digestOf(cells[v.keyCols[0]].s), buf
	}
	b := buf[:0]
	for i, kc := range v.keyCols {
		if i > 0 {
			b = append(b, 0)
		}
		c := cells[kc]
		if c.set {
			b = append(b, c.s...)
			if k := v.cfg.Table.Columns[kc].Kind; k != schema.String && k != schema.Enum {
				b = strconv.AppendInt(b, c.i, 10)
			}
		} else {
			b = append(b, 1)
		}
	}
	return digestOfBytes(b), b
}

// digests are a row's key digest and the digest of each reference it makes
// (per Validator.refCols; zero where the cell is empty or already bad),
// worked out where the row is prepared, so that the sequential stage only
// looks them up.
type digests struct {
	key  digest
	refs []digest
}

// digestsOf fills d for the row with cells and bad; buf is scratch.
func (v *Validator) digestsOf(cells []cell, bad []bool, d *digests, buf []byte) []byte {
	if len(v.keyCols) > 0 {
		d.key, buf = v.keyOf(cells, buf)
	}
	for k, ci := range v.refCols {
		d.refs[k] = digest{}
		if !bad[ci] && cells[ci].set {
			d.refs[k] = digestOf(cells[ci].s)
		}
	}
	return buf
}

func (v *Validator) noteRejectedKey() {
	if len(v.keyCols) != 1 {
		return
	}
	t := v.cfg.Table.Name
	if c := v.row.cells[v.keyCols[0]]; c.set {
		if d := v.rowKey; !v.cfg.Keys.has(t, d) && !v.cfg.Keys.wasRejected(t, d) {
			v.cfg.Keys.reject(t, d)
		}
	}
}

func (v *Validator) rawValue(cols []*array.String, r, ci int) string {
	if idx := v.src[ci]; idx >= 0 && !cols[idx].IsNull(r) {
		return cols[idx].Value(r)
	}
	return ""
}

func (v *Validator) reject(raw func(ci int) string, number int64, probs []problem, record string) Reject {
	texts := make([]string, len(probs))
	for i, p := range probs {
		texts[i] = p.text()
	}
	first := probs[0]
	val := first.value
	if val == "" {
		val = raw(v.index[first.column])
	}
	return Reject{Row: number, Code: first.code, Column: first.column, Value: val, Reason: strings.Join(texts, "; "), Record: record}
}

// record renders the row as read, so a quarantined row can be restored.
//
// It writes what json.Marshal of the map header -> value (nil for a null)
// writes, byte for byte: keys sorted, a repeated header name keeping its
// last column, strings escaped as encoding/json escapes them. Built
// without the map, each quarantined row costs a fraction of what the
// map's reflection did (1% of 28M rows is 280,000 rows).
func (v *Validator) record(cols []*array.String, r int) string {
	if v.recCols == nil {
		v.recordLayout()
	}
	b := append(v.recBuf[:0], '{')
	for k, i := range v.recCols {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, v.recKeys[k]...)
		if cols[i].IsNull(r) {
			b = append(b, "null"...)
		} else {
			b = appendJSONString(b, cols[i].Value(r))
		}
	}
	b = append(b, '}')
	v.recBuf = b
	return string(b)
}

// recordLayout works out record's columns and their keys once: each
// header name's last column, in the names' sorted order, and the name
// written as a JSON key.
func (v *Validator) recordLayout() {
	last := map[string]int{}
	for i, h := range v.header {
		last[h] = i
	}
	names := slices.Sorted(maps.Keys(last))
	v.recCols = make([]int, 0, len(names))
	for _, n := range names {
		v.recCols = append(v.recCols, last[n])
		v.recKeys = append(v.recKeys, append(appendJSONString(nil, n), ':'))
	}
}

// appendJSONString appends s as encoding/json writes a string: as is when
// every byte is printable ASCII that needs no escape, else json.Marshal's
// own text (HTML characters, control characters, invalid UTF-8, U+2028).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func rawRecord(raw string) string {
	b, _ := json.Marshal(map[string]string{"_raw": raw})
	return string(b)
}

// accept appends v.row.cells as an accepted row: export row number, made
// of lines export rows (1 unless a grain merged several).
func (v *Validator) accept(number, lines int64) {
	if len(v.keyCols) > 0 {
		at := loc{file: v.fileIdx, row: number}
		if v.auxCol >= 0 {
			at.aux, at.keep = int32(v.row.cells[v.auxCol].i), true
		}
		v.own.add(v.rowKey, at.file, at.row, at.aux, at.keep)
	}
	v.taken = append(v.taken, taken{cells: v.row.cells, number: number, lines: lines})
}

// taken is an accepted row waiting to be stored (accepted).
type taken struct {
	cells         []cell
	number, lines int64
}

// accepted stores the rows accepted since the last call, column by
// column, and hands them over as a record in the table's stored schema
// (the caller releases it).
func (v *Validator) accepted() arrow.Record {
	t, rows, n := v.cfg.Table, v.taken, len(v.taken)
	for ci := range t.Columns {
		v.out.fill(ci, n, func(k int) cell { return rows[k].cells[ci] })
	}
	asOf, runID, file := cell{set: true, i: int64(v.cfg.AsOf)}, cell{set: true, s: v.cfg.RunID}, cell{set: true, s: v.file}
	v.out.fill(v.lineage, n, func(int) cell { return asOf })
	v.out.fill(v.lineage+1, n, func(int) cell { return runID })
	v.out.fill(v.lineage+2, n, func(int) cell { return file })
	v.out.fill(v.lineage+3, n, func(k int) cell { return cell{set: true, i: rows[k].number} })
	v.out.fill(v.lineage+4, n, func(k int) cell { return cell{set: true, i: rows[k].lines} })
	row := rowView{v: v}
	for di, c := range t.Derived {
		v.out.fill(v.lineage+5+di, n, func(k int) cell {
			row.cells = rows[k].cells
			s, ok := c.Derive(&row)
			return cell{set: ok, s: s}
		})
	}
	v.out.EndRows(n)
	clear(v.taken)
	v.taken = v.taken[:0]
	return v.out.Record()
}

// rowView gives schema checks typed access to the row being validated.
type rowView struct {
	v     *Validator
	cells []cell
}

func (r *rowView) get(col string) cell {
	i, ok := r.v.index[col]
	if !ok {
		return cell{}
	}
	return r.cells[i]
}

func (r *rowView) Str(col string) (string, bool)  { c := r.get(col); return c.s, c.set }
func (r *rowView) Int(col string) (int64, bool)   { c := r.get(col); return c.i, c.set }
func (r *rowView) Date(col string) (int32, bool)  { c := r.get(col); return int32(c.i), c.set }
func (r *rowView) Money(col string) (int64, bool) { c := r.get(col); return c.i, c.set }
func (r *rowView) Bool(col string) (bool, bool)   { c := r.get(col); return c.i == 1, c.set }
func (r *rowView) AsOf() schema.Day               { return r.v.cfg.AsOf }
