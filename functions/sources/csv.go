package sources

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

const utf8BOM = "\xef\xbb\xbf"

// sniffBytes is how much of a text file is checked for binary content.
const sniffBytes = 8 << 10

// tooLongError stops a read when one record or line exceeds Options.maxLine.
type tooLongError struct{ limit int }

func (e tooLongError) Error() string { return fmt.Sprintf("longer than %d MiB", e.limit>>20) }

type csvFormat struct {
	path   string
	hc     *hashCounter
	cr     *csvReader
	limit  int
	record int64 // records read so far; the header is record 1
	recEnd int64 // input offset after the last record read
	ncols  int
}

func openCSV(r *Reader, opts Options) (format, error) {
	hc := newHashCounter(r.fsFile)
	br := bufio.NewReaderSize(hc, 64<<10)
	skip, problem, fix, err := csvStart(br)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", r.file.Path, err)
	}
	if problem != "" {
		return nil, r.fileError(0, problem, fix)
	}
	cr := newCSVReader(br, opts.Comma)
	c := &csvFormat{path: r.file.Path, hc: hc, cr: cr, limit: opts.maxLine}
	hc.guard = func(n int64) error {
		if n-skip-c.recEnd > int64(c.limit) {
			return tooLongError{c.limit}
		}
		return nil
	}

	header, err := cr.Read()
	if err == io.EOF {
		return nil, r.fileError(0, "has no header row (the file is empty)",
			"export the file with a first row of column names")
	}
	if err != nil {
		return nil, c.readError(r, err)
	}
	c.recEnd = cr.InputOffset()
	line, _ := cr.FieldPos(0)
	names := make([]string, len(header))
	blank := true
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, r.fileError(int64(line), "is not valid UTF-8 (in the header: "+quoteSnippet(h)+")", fixUTF8)
		}
		names[i] = strings.TrimSpace(h)
		if names[i] != "" {
			blank = false
		}
	}
	if blank {
		return nil, r.fileError(int64(line), "has no header row (the first row is blank)",
			"export the file with a first row of column names")
	}
	if err := checkDelimiter(r, names, opts.Comma, int64(line)); err != nil {
		return nil, err
	}
	if err := r.checkHeader(names, int64(line)); err != nil {
		return nil, err
	}
	r.setHeader(names)
	c.record = 1
	c.ncols = len(names)
	return c, nil
}

func (c *csvFormat) fill(r *Reader) (bool, error) {
	for len(r.rows) < r.batch {
		rec, err := c.cr.View() // copied into the batch below, or by jsonArray
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, c.readError(r, err)
		}
		c.record++
		c.recEnd = c.cr.InputOffset()
		nul := -1          // the first cell holding a NUL byte
		if !c.cr.plain() { // find the cell to blame
			for i, cell := range rec {
				if nul < 0 && strings.IndexByte(cell, 0) >= 0 {
					nul = i
				}
				if !utf8.ValidString(cell) {
					line, _ := c.cr.FieldPos(i)
					col := fmt.Sprintf("column %d", i+1)
					if i < c.ncols {
						col = fmt.Sprintf("column %q", r.header[i])
					}
					return false, r.fileError(int64(line),
						fmt.Sprintf("is not valid UTF-8 (%s: %s)", col, quoteSnippet(cell)), fixUTF8)
				}
			}
		}
		if blankCells(rec) {
			r.blank++
			continue
		}
		if len(rec) != c.ncols {
			r.appendProblem(c.record, fmt.Sprintf("row has %d cells but the header has %d", len(rec), c.ncols),
				"give the row one cell per header column: quote cells that contain the delimiter, and check the row was not cut or joined with the next", jsonArray(rec))
			continue
		}
		if nul >= 0 {
			problem, fix := nulProblem(r.header[nul])
			r.appendProblem(c.record, problem, fix, jsonArray(rec))
			continue
		}
		for i, cell := range rec {
			r.appendCell(i, cell)
		}
		r.endRow(c.record)
	}
	return false, nil
}

// readError turns a csv read error into a FileError where it is about the
// file's content.
func (c *csvFormat) readError(r *Reader, err error) error {
	var pe *csv.ParseError
	var tl tooLongError
	switch {
	case errors.As(err, &tl):
		return r.fileError(0, fmt.Sprintf("has a row longer than %d MiB after row %d (a quote left open?)", tl.limit>>20, c.record),
			"check the quoting after that row: every quoted cell must end with a quote")
	case errors.As(err, &pe):
		var problem string
		line := int64(pe.Line)
		switch {
		case errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line:
			// Point at the row that opened the quote, not where reading gave up.
			problem = fmt.Sprintf("CSV quote error: a quoted cell in the row starting on this line is not closed properly (read to line %d)", pe.Line)
			line = int64(pe.StartLine)
		default:
			problem = fmt.Sprintf("CSV quote error at column %d: %v", pe.Column, pe.Err)
		}
		return r.fileError(line, problem,
			"quote cells that contain the delimiter, quotes or line breaks, and double every quote inside a quoted cell (\"\"); re-export with standard CSV quoting")
	}
	return fmt.Errorf("reading %s: %w", c.path, err)
}

func (c *csvFormat) finish() ([]byte, error) {
	sum, err := c.hc.drain()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", c.path, err)
	}
	return sum, nil
}

func (c *csvFormat) progress() int64 { return c.hc.n.Load() }
func (c *csvFormat) close() error    { return nil }

// checkDelimiter fails a header of one column that holds another likely
// delimiter: the export is split by something other than comma.
func checkDelimiter(r *Reader, names []string, comma rune, line int64) error {
	if len(names) != 1 {
		return nil
	}
	best, most := rune(0), 0
	for _, d := range []rune{';', '\t', '|', ','} {
		if n := strings.Count(names[0], string(d)); d != comma && n > most {
			best, most = d, n
		}
	}
	if most == 0 {
		return nil
	}
	name := map[rune]string{';': "semicolons", '\t': "tabs", '|': "vertical bars", ',': "commas"}[best]
	return r.fileError(line, fmt.Sprintf("has a single column, %s: its columns look separated by %s", quoteSnippet(names[0]), name),
		fmt.Sprintf("set delimiter: %q in the source's mapping file (docs/mapping.md), or re-export the file comma-separated", string(best)))
}

// blankCells reports whether every cell is empty or spaces.
func blankCells(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// jsonArray renders cells as a compact JSON array, for Row.Raw.
func jsonArray(cells []string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cells); err != nil {
		return fmt.Sprintf("%q", cells)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// quoteSnippet shows the start of a text with invalid bytes escaped.
func quoteSnippet(s string) string {
	const max = 40
	if len(s) > max {
		return fmt.Sprintf("%q...", s[:max])
	}
	return fmt.Sprintf("%q", s)
}

// csvStart looks at the head of a CSV file before it is read: a file that
// is not CSV at all (a spreadsheet, UTF-16, old Mac line endings) is a
// problem and its fix; a UTF-8 byte-order mark is skipped (skip bytes).
func csvStart(br *bufio.Reader) (skip int64, problem, fix string, err error) {
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return 0, "", "", err
	}
	if problem, fix := sniff(head, "CSV"); problem != "" {
		return 0, problem, fix, nil
	}
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		return 0, "ends its lines with a carriage return alone (old Mac line endings), so every row would run into one",
			`convert the line endings, e.g. tr '\r' '\n' < in.csv > out.csv, or re-export with Windows or Unix line endings`, nil
	}
	if bytes.HasPrefix(head, []byte(utf8BOM)) {
		br.Discard(len(utf8BOM))
		return int64(len(utf8BOM)), "", "", nil
	}
	return 0, "", "", nil
}

// CSVRecords reads, record by record, a CSV file no mapping describes
// (pqi qualify's applications, whose criteria columns are the rubric's)
// the way every export is read: the same refusal of files that are not
// CSV, the byte-order mark dropped, encoding/csv's rules with a stray
// quote inside an unquoted cell kept as a character (csvread.go).
type CSVRecords struct{ cr *csvReader }

// NewCSVRecords starts reading r; a file that is not CSV is an error
// saying what it is and how to fix it.
func NewCSVRecords(r io.Reader) (*CSVRecords, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	_, problem, fix, err := csvStart(br)
	if err != nil {
		return nil, err
	}
	if problem != "" {
		return nil, fmt.Errorf("%s; fix: %s", problem, fix)
	}
	return &CSVRecords{cr: newCSVReader(br, ',')}, nil
}

// Read returns the next record, skipping empty lines (the slice is reused
// by the next call); io.EOF at the end, a *csv.ParseError for a quote
// left open.
func (c *CSVRecords) Read() ([]string, error) { return c.cr.Read() }

// Line is the file line the last record starts on (empty lines count).
func (c *CSVRecords) Line() int {
	line, _ := c.cr.FieldPos(0)
	return line
}
