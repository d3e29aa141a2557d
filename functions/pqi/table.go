package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// cell is one value of a result, as pqi sql prints it.
type cell struct {
	text string  // full precision; "" for NULL
	kind byte    // cellNull, cellText, cellNumber (exact text, JSON number), cellFloat, cellBool
	f    float64 // for cellFloat
}

const (
	cellNull byte = iota
	cellText
	cellNumber
	cellFloat
	cellBool
)

func textCell(s string) cell { return cell{text: s, kind: cellText} }

func floatCell(f float64) cell {
	return cell{text: strconv.FormatFloat(f, 'g', -1, 64), kind: cellFloat, f: f}
}

// sink prints a result: the column names, then each row, then close.
type sink interface {
	row(cells []cell) error
	close() error
}

// newSink prints a result in format: text (an aligned table for people,
// at most maxRows rows), csv or json (every row, full precision).
func newSink(w io.Writer, format string, names []string, maxRows int) (sink, error) {
	switch format {
	case "text":
		return &textSink{w: w, names: names, max: maxRows}, nil
	case "csv":
		cw := csv.NewWriter(w)
		return &csvSink{cw: cw}, cw.Write(names)
	case "json":
		js := &jsonSink{w: bufio.NewWriter(w), names: names}
		js.enc = json.NewEncoder(&js.buf)
		js.enc.SetEscapeHTML(false)
		return js, nil
	}
	return nil, checkFormat(format)
}

// checkFormat refuses a --format pqi sql cannot print.
func checkFormat(format string) error {
	switch format {
	case "text", "csv", "json":
		return nil
	}
	return usagef("--format %q: use text, csv or json", format)
}

// textSink is an aligned table: columns padded to their widest cell as a
// terminal shows it (East Asian wide characters count two, combining marks
// none), numbers on the right, floats to six significant digits, NULL for
// nulls, line breaks shown as spaces, then the row count.
type textSink struct {
	w          io.Writer
	names      []string
	rows       [][]cell
	total, max int
}

func (s *textSink) row(cells []cell) error {
	s.total++
	if len(s.rows) < s.max {
		s.rows = append(s.rows, append([]cell(nil), cells...))
	}
	return nil
}

func (s *textSink) close() error {
	shown := make([][]string, len(s.rows))
	widths := make([]int, len(s.names))
	for i, n := range s.names {
		widths[i] = displayWidth(n)
	}
	for r, cells := range s.rows {
		shown[r] = make([]string, len(cells))
		for i, c := range cells {
			shown[r][i] = humanText(c)
			widths[i] = max(widths[i], displayWidth(shown[r][i]))
		}
	}
	bw := bufio.NewWriter(s.w)
	numeric := make([]bool, len(s.names)) // a column of numbers (and NULLs) is right-aligned
	for i := range numeric {
		numbers, other := false, false
		for _, cells := range s.rows {
			switch cells[i].kind {
			case cellNumber, cellFloat:
				numbers = true
			case cellText, cellBool:
				other = true
			}
		}
		numeric[i] = numbers && !other
	}
	line := func(texts []string) {
		var b strings.Builder
		for i, t := range texts {
			pad := strings.Repeat(" ", widths[i]-displayWidth(t))
			switch {
			case numeric[i]:
				b.WriteString(pad + t)
			case i == len(texts)-1:
				b.WriteString(t) // no trailing spaces
			default:
				b.WriteString(t + pad)
			}
			if i < len(texts)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(bw, b.String())
	}
	line(s.names)
	for _, texts := range shown {
		line(texts)
	}
	if len(s.rows) < s.total {
		fmt.Fprintf(bw, "(%d rows, %d shown; --max-rows shows more, --format csv or json every row)\n", s.total, len(s.rows))
	} else {
		fmt.Fprintf(bw, "(%d rows)\n", s.total)
	}
	return bw.Flush()
}

var oneLine = strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")

// humanText is a cell as the text table shows it.
func humanText(c cell) string {
	switch c.kind {
	case cellNull:
		return "NULL"
	case cellFloat:
		return humanFloat(c.f)
	}
	return oneLine.Replace(c.text)
}

// humanFloat shows a float to six significant digits, without an
// exponent between 1e-4 and 1e15 and without trailing zeros:
// 85.37535964529526 is 85.3754, 1234567.891 is 1234567.89 (never fewer
// than two decimals on a fraction), 3 is 3.
func humanFloat(f float64) string {
	a := math.Abs(f)
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return strconv.FormatFloat(f, 'g', -1, 64)
	case f == math.Trunc(f) && a < 1e15:
		return strconv.FormatFloat(f, 'f', 0, 64)
	case a < 1e-4 || a >= 1e15:
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	intDigits := 1
	if a >= 1 {
		intDigits = int(math.Floor(math.Log10(a))) + 1
	}
	decimals := min(max(6-intDigits, 2), 6)
	if a < 1 {
		decimals = max(6, -int(math.Floor(math.Log10(a)))+5)
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// displayWidth is the columns a terminal gives s.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), r == '\u200d', unicode.Is(unicode.Variation_Selector, r):
		case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// csvSink writes RFC 4180 CSV: a header, every row, NULL as an empty cell.
type csvSink struct {
	cw  *csv.Writer
	rec []string
}

func (s *csvSink) row(cells []cell) error {
	s.rec = s.rec[:0]
	for _, c := range cells {
		s.rec = append(s.rec, c.text)
	}
	return s.cw.Write(s.rec)
}

func (s *csvSink) close() error {
	s.cw.Flush()
	return s.cw.Error()
}

// jsonSink writes a JSON array of one object per row, column name to
// value: numbers as JSON numbers at full precision (NaN and infinities as
// strings), NULL as null.
type jsonSink struct {
	w     *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder // into buf, HTML characters as they are
	names []string
	n     int
}

func (s *jsonSink) row(cells []cell) error {
	if s.n == 0 {
		s.w.WriteString("[\n")
	} else {
		s.w.WriteString(",\n")
	}
	s.n++
	s.w.WriteByte('{')
	for i, c := range cells {
		if i > 0 {
			s.w.WriteByte(',')
		}
		s.str(s.names[i])
		s.w.WriteByte(':')
		switch {
		case c.kind == cellNull:
			s.w.WriteString("null")
		case c.kind == cellNumber || c.kind == cellBool || (c.kind == cellFloat && !math.IsNaN(c.f) && !math.IsInf(c.f, 0)):
			s.w.WriteString(c.text)
		default:
			s.str(c.text)
		}
	}
	s.w.WriteByte('}')
	return nil
}

// str writes a JSON string, HTML characters as they are.
func (s *jsonSink) str(v string) {
	s.buf.Reset()
	s.enc.Encode(v) // cannot fail: a string
	s.w.Write(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")))
}

func (s *jsonSink) close() error {
	if s.n == 0 {
		s.w.WriteString("[")
	}
	s.w.WriteString("\n]\n")
	return s.w.Flush()
}
