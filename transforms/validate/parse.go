package validate

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// cell is one parsed value of a row.
type cell struct {
	set bool // false = null
	s   string
	i   int64 // Int, Money (in cents), Date (days), Bool (0/1)
}

// problem is one broken rule of a row.
type problem struct {
	column string
	value  string
	code   schema.ReasonCode
	what   string // plain words
	fix    string
}

func (p problem) text() string {
	if p.fix == "" {
		return p.what
	}
	return p.what + " (fix: " + p.fix + ")"
}

// parser turns a cell's text into a typed value following one column's
// rules and the mapping's formats.
type parser struct {
	col      schema.Column
	aliases  map[string]string // lower-cased trimmed export value -> contract value
	layout   string
	money    moneyFormat
	enum     []string // the column's values (lower case), when an enum
	mappedAs string   // export column name, for messages
}

type moneyFormat struct {
	thousands, decimal string
	symbols            []string
}

func newParser(col schema.Column, m Mapping) parser {
	p := parser{col: col, layout: m.DateLayout}
	if a := m.Values[col.Name]; len(a) > 0 {
		p.aliases = make(map[string]string, len(a))
		for k, v := range a {
			p.aliases[strings.ToLower(strings.TrimSpace(k))] = v
		}
	}
	p.money = moneyFormat{thousands: m.ThousandsSeparator, decimal: m.DecimalSeparator, symbols: m.CurrencySymbols}
	if col.Kind == schema.Enum {
		p.enum = col.Enum
	}
	return p
}

// parse reads raw (already known non-null) into c, or reports the problem.
func (p *parser) parse(raw string) (cell, *problem) {
	v := trimSpace(raw)
	if p.aliases != nil {
		if a, ok := p.aliases[strings.ToLower(v)]; ok {
			v = a
		}
	}
	if v == "" {
		return cell{}, nil
	}
	name := p.col.Name
	bad := func(code schema.ReasonCode, what, fix string) (cell, *problem) {
		return cell{}, &problem{column: name, value: raw, code: code, what: what, fix: fix}
	}
	switch p.col.Kind {
	case schema.String:
		return cell{set: true, s: v}, nil
	case schema.Enum:
		lv := strings.ToLower(v)
		if !slices.Contains(p.enum, lv) { // a handful of values: faster than a map
			return bad(schema.ReasonUnknownEnum, fmt.Sprintf("%s %q is not one of %s", name, raw, strings.Join(p.col.Enum, ", ")),
				fmt.Sprintf("use one of those values, or add an alias under values: %s: in the mapping file", name))
		}
		return cell{set: true, s: lv}, nil
	case schema.Date:
		d, ok := p.date(v)
		if !ok {
			layouts := "YYYY-MM-DD"
			if p.layout != "" {
				layouts += " or " + p.layout
			}
			return bad(schema.ReasonNotADate, fmt.Sprintf("%s %q is not a date (%s)", name, raw, layouts),
				"write dates as YYYY-MM-DD, or set date_layout in the mapping file to the export's layout")
		}
		return cell{set: true, i: int64(d)}, nil
	case schema.Money:
		cents, ok := p.cents(v)
		if !ok {
			return bad(schema.ReasonNotANumber, fmt.Sprintf("%s %q is not a decimal amount", name, raw),
				"write amounts like 1250.50; set thousands_separator, decimal_separator or currency_symbols in the mapping file if the export formats them")
		}
		if msg := p.bounds(float64(cents) / 100); msg != "" {
			return bad(schema.ReasonOutOfRange, fmt.Sprintf("%s %s %s", name, raw, msg), p.boundsFix())
		}
		return cell{set: true, i: cents}, nil
	case schema.Int:
		n, ok := p.integer(v)
		if !ok {
			return bad(schema.ReasonNotANumber, fmt.Sprintf("%s %q is not a whole number", name, raw),
				"write a whole number such as 12; set thousands_separator in the mapping file if the export groups digits")
		}
		if msg := p.bounds(float64(n)); msg != "" {
			return bad(schema.ReasonOutOfRange, fmt.Sprintf("%s %s %s", name, raw, msg), p.boundsFix())
		}
		return cell{set: true, i: n}, nil
	case schema.Bool:
		switch strings.ToLower(v) {
		case "true", "1", "yes":
			return cell{set: true, i: 1}, nil
		case "false", "0", "no":
			return cell{set: true, i: 0}, nil
		}
		return bad(schema.ReasonNotABoolean, fmt.Sprintf("%s %q is not a boolean", name, raw),
			"use true/false, 1/0 or yes/no, or add an alias under values: in the mapping file")
	}
	return bad(schema.ReasonNotANumber, fmt.Sprintf("%s has an unsupported kind %v", name, p.col.Kind), "this is a bug in pqi: report it")
}

// boundsFix says what the column allows, for a value out of its range.
func (p *parser) boundsFix() string {
	c := p.col
	switch {
	case c.Min != nil && c.Max != nil:
		return fmt.Sprintf("%s takes values from %g to %g; correct the export", c.Name, *c.Min, *c.Max)
	case c.Min != nil && *c.Min == 0:
		return fmt.Sprintf("%s cannot be negative; correct the export (a refund or credit is not a negative deal)", c.Name)
	case c.Min != nil:
		return fmt.Sprintf("%s is at least %g; correct the export", c.Name, *c.Min)
	case c.Max != nil:
		return fmt.Sprintf("%s is at most %g; correct the export", c.Name, *c.Max)
	}
	return "correct the export"
}

func (p *parser) bounds(x float64) string {
	c := p.col
	switch {
	case c.Min != nil && c.Max != nil && (x < *c.Min || x > *c.Max):
		return fmt.Sprintf("is outside %g..%g", *c.Min, *c.Max)
	case c.Min != nil && x < *c.Min:
		if *c.Min == 0 {
			return "is negative"
		}
		return fmt.Sprintf("is below the minimum %g", *c.Min)
	case c.Max != nil && x > *c.Max:
		return fmt.Sprintf("is above the maximum %g", *c.Max)
	}
	return ""
}

func (p *parser) date(v string) (int32, bool) {
	if len(v) == 10 {
		if d, err := schema.ParseDay(v); err == nil {
			return int32(d), true
		}
	}
	// An RFC 3339 timestamp (a TIMESTAMP column of Parquet or BigQuery,
	// rendered in UTC) is the date it is written with.
	if len(v) > 10 && v[10] == 'T' {
		if _, err := time.Parse(time.RFC3339Nano, v); err == nil {
			if d, err := schema.ParseDay(v[:10]); err == nil {
				return int32(d), true
			}
		}
	}
	if p.layout != "" {
		if t, err := time.Parse(p.layout, v); err == nil {
			return int32(schema.DayOf(t)), true
		}
	}
	return 0, false
}

func (p *parser) integer(v string) (int64, bool) {
	if p.money.thousands != "" {
		v = strings.ReplaceAll(v, p.money.thousands, "")
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	// JSON exports sometimes write counts as 3.0.
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f), true
	}
	return 0, false
}

// cents parses a decimal amount exactly into hundredths, rounding any
// further digits half away from zero (amounts are stored as DECIMAL(18,2)).
func (p *parser) cents(v string) (int64, bool) {
	for _, s := range p.money.symbols {
		v = strings.ReplaceAll(v, s, "")
	}
	if p.money.thousands != "" {
		v = strings.ReplaceAll(v, p.money.thousands, "")
	}
	if p.money.decimal != "" && p.money.decimal != "." {
		v = strings.ReplaceAll(v, p.money.decimal, ".")
	}
	return ParseCents(trimSpace(v))
}

// trimSpace is strings.TrimSpace, without its work for the usual cell that
// starts and ends with a printable ASCII character.
func trimSpace(s string) string {
	if n := len(s); n > 0 && s[0] > ' ' && s[0] < 0x7f && s[n-1] > ' ' && s[n-1] < 0x7f {
		return s
	}
	return strings.TrimSpace(s)
}

// ParseCents reads a plain decimal number ("-12", "1250.5", "0.125", "1e3")
// as an integer number of hundredths, rounding half away from zero. The
// usual amount (digits, a point, digits) is read in one pass; anything
// else by parseCentsAny, which gives the same result for those too.
func ParseCents(v string) (int64, bool) {
	i := 0
	if len(v) > 0 && (v[0] == '-' || v[0] == '+') {
		i = 1
	}
	start := i
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	intPart, frac := v[start:i], ""
	if i < len(v) {
		if v[i] != '.' || i+1 == len(v) || !digits(v[i+1:]) {
			return parseCentsAny(v)
		}
		frac = v[i+1:]
	}
	if len(intPart) == 0 || len(intPart) > 16 {
		return parseCentsAny(v)
	}
	return hundredths(intPart, frac, v[0] == '-'), true
}

// parseCentsAny is ParseCents for every form it reads.
func parseCentsAny(v string) (int64, bool) {
	if v == "" {
		return 0, false
	}
	neg := false
	switch v[0] {
	case '-':
		neg, v = true, v[1:]
	case '+':
		v = v[1:]
	}
	intPart, frac, hasDot := strings.Cut(v, ".")
	if strings.ContainsAny(v, "eE") {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 9e15 {
			return 0, false
		}
		c := int64(math.Round(f * 100))
		if neg {
			c = -c
		}
		return c, true
	}
	if (intPart == "" && (!hasDot || frac == "")) || !digits(intPart) || !digits(frac) || len(intPart) > 16 {
		return 0, false
	}
	return hundredths(intPart, frac, neg), true
}

// hundredths is the amount whose whole part and fraction are the digits
// intPart and frac, in hundredths, the third decimal rounding half away
// from zero.
func hundredths(intPart, frac string, neg bool) int64 {
	var whole int64
	for i := 0; i < len(intPart); i++ {
		whole = whole*10 + int64(intPart[i]-'0')
	}
	var c int64
	for i := 0; i < 2; i++ {
		c *= 10
		if i < len(frac) {
			c += int64(frac[i] - '0')
		}
	}
	if len(frac) > 2 && frac[2] >= '5' {
		c++
	}
	c += whole * 100
	if neg {
		c = -c
	}
	return c
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
