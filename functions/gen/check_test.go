package gen

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// An independent reader and contract checker for the generated exports: it
// knows nothing of the generator, only the contract (via schema's column
// definitions) and the files.

// record is one data row of an export: column -> cell ("" = null).
type record struct {
	line int // CSV: header is row 1; JSONL: line number
	vals map[string]string
}

// readExport reads Out/<table>.<ext>.
func readExport(t *testing.T, dir, table, format string) []record {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, table+"."+format))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []record
	if format == "csv" {
		r := csv.NewReader(f)
		header, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		for line := 2; ; line++ {
			row, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s line %d: %v", table, line, err)
			}
			m := make(map[string]string, len(header))
			for i, h := range header {
				m[h] = row[i]
			}
			out = append(out, record{line, m})
		}
		return out
	}
	dec := json.NewDecoder(f)
	dec.UseNumber()
	for line := 1; ; line++ {
		var obj map[string]any
		if err := dec.Decode(&obj); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s line %d: %v", table, line, err)
		}
		m := make(map[string]string, len(obj))
		for k, v := range obj {
			switch v := v.(type) {
			case nil:
				m[k] = ""
			case string:
				m[k] = v
			case json.Number:
				m[k] = v.String()
			case bool:
				m[k] = strconv.FormatBool(v)
			default:
				t.Fatalf("%s line %d: unexpected value %v", table, line, v)
			}
		}
		out = append(out, record{line, m})
	}
	return out
}

// violation is a row that breaks the contract.
type violation struct {
	file string
	line int
	why  string
}

// checkRow implements schema.Row over one record's parsed cells.
type checkRow struct {
	vals map[string]string
	asOf schema.Day
}

func (r checkRow) Str(c string) (string, bool) { v := r.vals[c]; return v, v != "" }
func (r checkRow) Int(c string) (int64, bool) {
	v, err := strconv.ParseInt(r.vals[c], 10, 64)
	return v, err == nil
}
func (r checkRow) Date(c string) (int32, bool) {
	d, err := time.Parse("2006-01-02", r.vals[c])
	if err != nil {
		return 0, false
	}
	return int32(d.Unix() / 86400), true
}
func (r checkRow) Money(c string) (int64, bool) {
	f, err := strconv.ParseFloat(r.vals[c], 64)
	return int64(math.Round(f * 100)), err == nil
}
func (r checkRow) Bool(c string) (bool, bool) {
	b, err := strconv.ParseBool(r.vals[c])
	return b, err == nil
}
func (r checkRow) AsOf() schema.Day { return r.asOf }

// cellProblem says what is wrong with one cell, or "".
func cellProblem(c schema.Column, v string) string {
	if v == "" {
		if c.Required {
			return "missing"
		}
		return ""
	}
	var num float64
	switch c.Kind {
	case schema.Enum:
		for _, e := range c.Enum {
			if v == e {
				return ""
			}
		}
		return "unknown enum " + v
	case schema.Date:
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return "bad date " + v
		}
		return ""
	case schema.Int:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "bad int " + v
		}
		num = float64(n)
	case schema.Money:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "bad decimal " + v
		}
		if i := strings.IndexByte(v, '.'); i >= 0 && len(v)-i-1 > 2 {
			return "more than 2 decimals " + v
		}
		num = f
	case schema.Bool:
		if v != "true" && v != "false" {
			return "bad bool " + v
		}
		return ""
	default:
		return ""
	}
	if c.Min != nil && num < *c.Min {
		return fmt.Sprintf("%s below %g", v, *c.Min)
	}
	if c.Max != nil && num > *c.Max {
		return fmt.Sprintf("%s above %g", v, *c.Max)
	}
	return ""
}

// checkExports validates every input table in load order and returns the
// rows that break the contract, plus the accepted rows by table. Keys are
// unique among accepted rows (the first occurrence is kept); references point
// at accepted rows.
func checkExports(t *testing.T, dir, format string, asOf schema.Day) ([]violation, map[string][]record) {
	t.Helper()
	var bad []violation
	accepted := map[string][]record{}
	keys := map[string]map[string]bool{} // referenced table.column -> accepted values
	for _, tb := range schema.All() {
		for _, c := range tb.Columns {
			if c.Ref != nil {
				keys[c.Ref.Table+"."+c.Ref.Column] = map[string]bool{}
			}
		}
	}
	for _, name := range schema.InputOrder {
		tb := schema.Get(name)
		file := name + "." + format
		seen := map[string]bool{}
		for _, rec := range readExport(t, dir, name, format) {
			why := ""
			for _, c := range tb.Columns {
				v, ok := rec.vals[c.Name]
				if !ok {
					t.Fatalf("%s: no column %s", file, c.Name)
				}
				if p := cellProblem(c, v); p != "" {
					why = c.Name + ": " + p
					break
				}
				if c.Ref != nil && v != "" && !keys[c.Ref.Table+"."+c.Ref.Column][v] {
					why = c.Name + ": unknown " + v
					break
				}
			}
			if why == "" {
				row := checkRow{rec.vals, asOf}
				for _, ch := range tb.Checks {
					run := true
					for _, u := range ch.Uses {
						if rec.vals[u] == "" {
							run = false
						}
					}
					if run && !ch.Fn(row) {
						why = ch.Rule
						break
					}
				}
			}
			if why == "" && len(tb.Key) > 0 {
				var parts []string
				for _, k := range tb.Key {
					parts = append(parts, rec.vals[k])
				}
				k := strings.Join(parts, "\x00")
				if seen[k] {
					why = "duplicate key " + strings.Join(parts, "/")
				}
				seen[k] = true
			}
			if why != "" {
				bad = append(bad, violation{file, rec.line, why})
				continue
			}
			accepted[name] = append(accepted[name], rec)
			for _, c := range tb.Columns {
				if set := keys[name+"."+c.Name]; set != nil {
					set[rec.vals[c.Name]] = true
				}
			}
		}
	}
	return bad, accepted
}
