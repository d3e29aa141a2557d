package sources

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxIgnored bounds the Ignored list, so that objects with ever-new keys
// cannot make memory grow with file size.
const maxIgnored = 1000

type jsonlFormat struct {
	path  string
	hc    *hashCounter
	br    *bufio.Reader
	limit int
	buf   []byte
	line  int64 // lines read so far
	index map[string]int

	// the parsed line, reused
	keys  []string
	vals  []string
	nulls []bool
	seen  map[string]bool
	tmp   bytes.Buffer

	// per column, reused
	cells  []string
	filled []bool
	owner  []int // the key that filled the column in this line, -1 = none

	first    []byte // the first object's line, delivered by the first fill
	firstNum int64
}

func openJSONL(r *Reader, opts Options) (format, error) {
	hc := newHashCounter(r.fsFile)
	br := bufio.NewReaderSize(hc, 64<<10)
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("reading %s: %w", r.file.Path, err)
	}
	if problem, fix := sniff(head, "JSON Lines"); problem != "" {
		return nil, r.fileError(0, problem, fix)
	}
	if bytes.HasPrefix(head, []byte(utf8BOM)) {
		br.Discard(len(utf8BOM))
	}
	j := &jsonlFormat{path: r.file.Path, hc: hc, br: br, limit: opts.maxLine, seen: map[string]bool{}}
	for {
		line, ok, err := j.readLine(r)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, r.fileError(0, "has no JSON objects (the file is empty)",
				"export one JSON object per line, the first one with every column")
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if problem := j.parse(line); problem != "" {
			return nil, r.fileError(j.line, "is not JSON Lines: "+problem,
				"export one JSON object per line; convert a JSON array with e.g. jq -c '.[]' in.json > out.jsonl")
		}
		names := withColumns(append([]string(nil), j.keys...), opts.Columns)
		if len(names) == 0 {
			return nil, r.fileError(j.line, "has no columns: the first object is empty",
				"give the objects their columns (docs/contract.md)")
		}
		if err := r.checkHeader(names, j.line); err != nil {
			return nil, err
		}
		r.setHeader(names)
		j.index = make(map[string]int, len(names))
		for i, n := range names {
			j.index[strings.ToLower(n)] = i
		}
		j.cells = make([]string, len(names))
		j.filled = make([]bool, len(names))
		j.owner = make([]int, len(names))
		j.first = append([]byte(nil), line...)
		j.firstNum = j.line
		return j, nil
	}
}

// withColumns adds to the first object's keys the columns the caller
// reads that it lacks (case-insensitively), in the caller's order: any
// object may leave out any column.
func withColumns(keys, columns []string) []string {
	have := make(map[string]bool, len(keys)+len(columns))
	for _, k := range keys {
		have[strings.ToLower(k)] = true
	}
	for _, c := range columns {
		if l := strings.ToLower(c); !have[l] {
			have[l] = true
			keys = append(keys, c)
		}
	}
	return keys
}

const fixJSONLine = "export one JSON object per line, with every string quoted and escaped"

// readLine returns the next line without its line break; ok is false at the
// end of the file. The line is valid until the next call.
func (j *jsonlFormat) readLine(r *Reader) (line []byte, ok bool, err error) {
	j.buf = j.buf[:0]
	for {
		chunk, err := j.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			j.buf = append(j.buf, chunk...)
			if len(j.buf) > j.limit {
				return nil, false, r.fileError(j.line+1, fmt.Sprintf("has a line longer than %d MiB", j.limit>>20),
					"export one JSON object per line")
			}
			continue
		}
		if err != nil && err != io.EOF {
			return nil, false, fmt.Errorf("reading %s: %w", j.path, err)
		}
		if len(chunk) == 0 && len(j.buf) == 0 {
			return nil, false, nil
		}
		line = chunk
		if len(j.buf) > 0 {
			j.buf = append(j.buf, chunk...)
			line = j.buf
		}
		j.line++
		if len(line) > j.limit {
			return nil, false, r.fileError(j.line, fmt.Sprintf("has a line longer than %d MiB", j.limit>>20),
				"export one JSON object per line")
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if !utf8.Valid(line) {
			return nil, false, r.fileError(j.line, "is not valid UTF-8 ("+quoteSnippet(string(line))+")", fixUTF8)
		}
		return line, true, nil
	}
}

func (j *jsonlFormat) fill(r *Reader) (bool, error) {
	if j.first != nil {
		j.addLine(r, j.first, j.firstNum)
		j.first = nil
	}
	for len(r.rows) < r.batch {
		line, ok, err := j.readLine(r)
		if err != nil {
			return false, err
		}
		if !ok {
			return true, nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			r.blank++
			continue
		}
		j.addLine(r, line, j.line)
	}
	return false, nil
}

func (j *jsonlFormat) addLine(r *Reader, line []byte, number int64) {
	if problem := j.parse(line); problem != "" {
		r.appendProblem(number, problem, fixJSONLine, string(line))
		return
	}
	clear(j.filled)
	for i := range j.owner {
		j.owner[i] = -1
	}
	empty := true
	for k := range j.keys {
		empty = empty && (j.nulls[k] || strings.TrimSpace(j.vals[k]) == "")
	}
	if empty {
		r.blank++
		return
	}
	for k, key := range j.keys {
		col, ok := j.index[key] // the index is lower case, as keys mostly are
		if !ok {
			col, ok = j.index[strings.ToLower(key)]
		}
		if !ok {
			if len(r.ignored) < maxIgnored {
				r.ignore(key)
			}
			continue
		}
		if j.owner[col] >= 0 {
			r.appendProblem(number, fmt.Sprintf("line has keys %q and %q, which differ only in case: keys are matched case-insensitively", j.keys[j.owner[col]], key),
				"keep one of the two keys in each object", string(line))
			return
		}
		j.owner[col] = k
		if j.nulls[k] {
			continue
		}
		if strings.IndexByte(j.vals[k], 0) >= 0 {
			problem, fix := nulProblem(key)
			r.appendProblem(number, problem, fix, string(line))
			return
		}
		j.cells[col] = j.vals[k]
		j.filled[col] = true
	}
	for col := range j.cells {
		if j.filled[col] {
			r.appendCell(col, j.cells[col])
		} else {
			r.appendNull(col)
		}
	}
	r.endRow(number)
}

// parse splits one line into keys and rendered values, or says why it
// cannot. Valid lines take a fast path that walks the object once;
// invalid ones are decoded again to describe the problem.
func (j *jsonlFormat) parse(line []byte) (problem string) {
	j.keys, j.vals, j.nulls = j.keys[:0], j.vals[:0], j.nulls[:0]
	clear(j.seen)
	if !json.Valid(line) {
		return j.describeInvalid(line)
	}
	// line is one valid JSON value: the walk below needs no error checks.
	i := skipSpace(line, 0)
	if line[i] != '{' {
		return "line is not a JSON object: it is " + kindOf(line[i])
	}
	i = skipSpace(line, i+1)
	if line[i] == '}' {
		return ""
	}
	for {
		end := stringEnd(line, i)
		key := j.unquote(line[i:end])
		i = skipSpace(line, end)
		i = skipSpace(line, i+1) // past ':'
		vend := valueEnd(line, i)
		if j.seen[key] {
			return fmt.Sprintf("line has key %q twice", key)
		}
		j.seen[key] = true
		val, null := j.render(line[i:vend])
		j.keys = append(j.keys, key)
		j.vals = append(j.vals, val)
		j.nulls = append(j.nulls, null)
		i = skipSpace(line, vend)
		if line[i] == '}' {
			return ""
		}
		i = skipSpace(line, i+1) // past ','
	}
}

// describeInvalid says why a line that is not valid JSON is not an object.
func (j *jsonlFormat) describeInvalid(line []byte) string {
	if i := skipSpace(line, 0); i < len(line) && line[i] != '{' && bytes.IndexByte([]byte("[\"tfn-0123456789"), line[i]) >= 0 {
		return "line is not a JSON object: it is " + kindOf(line[i])
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	for depth := 0; ; {
		tok, err := dec.Token()
		if err != nil {
			return "line is not a JSON object: " + jsonProblem(err)
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			break
		}
	}
	return "line holds more than one JSON value"
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) int {
	for k := i + 1; ; k++ {
		switch b[k] {
		case '\\':
			k++
		case '"':
			return k + 1
		}
	}
}

// valueEnd returns the index just past the valid JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for k := i; ; k++ {
			switch b[k] {
			case '"':
				k = stringEnd(b, k) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return k + 1
				}
			}
		}
	}
	k := i
	for k < len(b) && b[k] != ',' && b[k] != '}' && b[k] != ']' && b[k] != ' ' && b[k] != '\t' && b[k] != '\r' && b[k] != '\n' {
		k++
	}
	return k
}

func (j *jsonlFormat) unquote(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	json.Unmarshal(raw, &s) // valid: checked by json.Valid
	return s
}

func kindOf(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// render turns one JSON value into its cell text: strings as they are,
// numbers exactly as written, booleans as true/false, nested values as
// compact JSON; null reports null.
func (j *jsonlFormat) render(raw []byte) (string, bool) {
	switch raw[0] {
	case '"':
		return j.unquote(raw), false
	case 'n':
		return "", true
	case 't':
		return "true", false
	case 'f':
		return "false", false
	case '{', '[':
		j.tmp.Reset()
		if err := json.Compact(&j.tmp, raw); err != nil {
			return string(raw), false
		}
		return j.tmp.String(), false
	}
	return string(raw), false
}

func jsonProblem(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "it ends early (unexpected end of line)"
	}
	return err.Error()
}

func (j *jsonlFormat) finish() ([]byte, error) {
	sum, err := j.hc.drain()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", j.path, err)
	}
	return sum, nil
}

func (j *jsonlFormat) progress() int64 { return j.hc.n.Load() }
func (j *jsonlFormat) close() error    { return nil }
