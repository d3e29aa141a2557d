package gen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/partnerq/pqi/transforms/schema"
)

// sink streams the rows of one contract table into one export file, in CSV
// (header row, RFC 4180 quoting) or JSON Lines (one object per line, keys in
// the table's column order). It also interleaves the deliberately broken rows:
// after each good row it may append copies of that row bent to break exactly
// one contract rule, so the good rows are the same whatever BadRows is.
type sink struct {
	file  string // file name inside Out, e.g. deals.csv
	table schema.Table
	kinds []schema.Kind
	jsonl bool
	keys  [][]byte // JSON Lines: the quoted column names followed by ':'

	f *os.File
	w *bufio.Writer

	line int // lines written so far (CSV: the header is line 1)
	good int
	bad  int

	badRate float64    // broken rows inserted per good row
	breaks  []breakage // the rule violations this table gets, used in turn
	mutate  func(s *sink, cells []string, b breakage)
	tmp     []string
	log     []badRow
	badKeys map[string]bool // keys already used by broken rows (cost_to_serve)
	buf     []byte
}

// breakage is one way a row can break the contract.
type breakage struct {
	kind   string // written to bad_rows.csv: the rule broken
	column string // the contract column that breaks it
}

// badRow records one broken row for bad_rows.csv.
type badRow struct {
	row int
	b   breakage
}

func newSink(dir string, table schema.Table, jsonl bool) (*sink, error) {
	ext := ".csv"
	if jsonl {
		ext = ".jsonl"
	}
	s := &sink{file: table.Name + ext, table: table, jsonl: jsonl}
	for _, c := range table.Columns {
		s.kinds = append(s.kinds, c.Kind)
		s.keys = append(s.keys, appendJSONString(nil, c.Name))
	}
	for i := range s.keys {
		s.keys[i] = append(s.keys[i], ':')
	}
	f, err := os.Create(filepath.Join(dir, s.file))
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", s.file, err)
	}
	s.f = f
	s.w = bufio.NewWriterSize(f, 1<<20)
	if !jsonl {
		s.writeLine(table.Names())
	}
	return s, nil
}

// col returns the position of a column in the table's column order; the
// generator fills rows by these positions, resolved once from the schema.
func (s *sink) col(name string) int {
	for i, c := range s.table.Columns {
		if c.Name == name {
			return i
		}
	}
	panic(fmt.Sprintf("gen: table %s has no column %s", s.table.Name, name))
}

// row returns a cleared row of the table's width.
func (s *sink) row() []string {
	return make([]string, len(s.table.Columns))
}

// put writes one good row, then any broken rows due after it.
func (s *sink) put(cells []string) {
	s.writeLine(cells)
	s.good++
	if s.badRate <= 0 || len(s.breaks) == 0 {
		return
	}
	// The broken rows are spread evenly: bad/(good+bad) tends to the
	// configured share, and the first rows of a file carry at least one of
	// each kind (one every 20 good rows) so that small files still cover them.
	target := int(float64(s.good) * s.badRate)
	if floor := min(len(s.breaks), s.good/20); target < floor {
		target = floor
	}
	for s.bad < target {
		if s.tmp == nil {
			s.tmp = make([]string, len(cells))
		}
		copy(s.tmp, cells)
		b := s.breaks[s.bad%len(s.breaks)]
		s.mutate(s, s.tmp, b)
		s.writeLine(s.tmp)
		s.bad++
		s.log = append(s.log, badRow{row: s.line, b: b})
	}
}

func (s *sink) writeLine(cells []string) {
	b := s.buf[:0]
	if s.jsonl {
		b = append(b, '{')
		for i, v := range cells {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, s.keys[i]...)
			b = appendJSONValue(b, v, s.kinds[i])
		}
		b = append(b, '}')
	} else {
		for i, v := range cells {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCSVField(b, v)
		}
	}
	b = append(b, '\n')
	s.w.Write(b) // a write error surfaces in close through Flush
	s.buf = b
	s.line++
}

func (s *sink) close() error {
	if s.f == nil {
		return nil
	}
	err := s.w.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	if err != nil {
		return fmt.Errorf("writing %s: %w", s.file, err)
	}
	return nil
}

func appendCSVField(b []byte, v string) []byte {
	quote := len(v) > 0 && v[0] == ' '
	for i := 0; i < len(v) && !quote; i++ {
		switch v[i] {
		case ',', '"', '\n', '\r':
			quote = true
		}
	}
	if !quote {
		return append(b, v...)
	}
	b = append(b, '"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, v[i])
	}
	return append(b, '"')
}

// appendJSONValue writes an empty cell as null, numbers and booleans as JSON
// literals when they are well formed, and everything else as a string (so a
// broken value such as "31/02/2026" stays visible as written).
func appendJSONValue(b []byte, v string, k schema.Kind) []byte {
	if v == "" {
		return append(b, "null"...)
	}
	switch k {
	case schema.Int, schema.Money, schema.Float:
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return append(b, v...)
		}
	case schema.Bool:
		if v == "true" || v == "false" {
			return append(b, v...)
		}
	}
	return appendJSONString(b, v)
}

func appendJSONString(b []byte, v string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// money renders cents as a decimal with two digits after the point.
func money(cents int64) string {
	var b [24]byte
	return string(appendMoney(b[:0], cents))
}

func appendMoney(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	b = append(b, '.', byte('0'+cents%100/10), byte('0'+cents%10))
	return b
}

func boolStr(v bool) string {
	if v {
		return "true"
	}
	return "false"
}

// dates renders days since the epoch as YYYY-MM-DD from a precomputed table
// covering the generated range.
type dates struct {
	base int32
	s    []string
}

func newDates(from, to int32) *dates {
	d := &dates{base: from, s: make([]string, to-from+1)}
	for i := range d.s {
		d.s[i] = schema.Day(from + int32(i)).String()
	}
	return d
}

func (d *dates) str(day int32) string {
	if i := day - d.base; i >= 0 && int(i) < len(d.s) {
		return d.s[i]
	}
	return schema.Day(day).String()
}
