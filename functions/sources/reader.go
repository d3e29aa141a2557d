package sources

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/partnerq/pqi/transforms/validate"
)

// DefaultBatchRows is the number of rows per record when Options.BatchRows is 0.
const DefaultBatchRows = 8192

// defaultMaxLine bounds one CSV record or JSON line, so that a file with an
// unclosed quote or no line breaks cannot make memory grow with file size.
const defaultMaxLine = 64 << 20

// Options configure Open.
type Options struct {
	Alloc     memory.Allocator // required
	BatchRows int              // rows per record, default 8192
	Comma     rune             // CSV delimiter, default ','
	// Columns names the export columns the caller reads (matched
	// case-insensitively): a JSON Lines object may leave any of them out,
	// so they are columns of the file even when its first object lacks
	// them; a nested Parquet value (struct, list, map) in one of them makes
	// its row a problem row.
	Columns []string
	// SpoolMax bounds the bytes a Parquet export without random access (an
	// S3 object) may be copied to the temp folder to be read; 0 = no
	// bound. The copy is removed when the reader closes.
	SpoolMax int64

	// BigQuery runs the jobs of BigQuery sources (a mapping's bigquery:);
	// nil = a BigQuery source is a file error saying so.
	BigQuery Querier

	maxLine int // bytes in one CSV record or JSON line, default defaultMaxLine (tests lower it)
}

// MaxColumns bounds the columns of one export: a wider header is a file
// error, not minutes of work on columns no contract has.
const MaxColumns = 4096

// FileError is a file that cannot be read at all.
type FileError struct {
	File    string // path as given in File.Path
	Line    int64  // 0 if not about a line
	Problem string // in plain words
	Fix     string // what to do about it
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	if e.Fix != "" {
		b.WriteString("; fix: ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

const fixUTF8 = "re-export as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv"

// format is what each file format implements.
type format interface {
	// fill appends up to r.batch rows to r (appendCell/appendProblem). It
	// reports eof once the file is exhausted (possibly with rows appended).
	fill(r *Reader) (eof bool, err error)
	// finish is called once after eof and returns the file's sha256.
	finish() ([]byte, error)
	// progress returns the bytes consumed so far.
	progress() int64
	close() error
}

// Reader streams one export as Arrow records of string columns.
type Reader struct {
	file   File
	fsFile fs.File
	alloc  memory.Allocator
	batch  int
	size   int64
	format format

	header []string
	schema *arrow.Schema
	cells  *validate.Buffers // the batch being read
	rows   []validate.Line
	rec    arrow.Record

	eof      bool
	done     bool
	closed   bool
	err      error
	rowsRead int64
	blank    int64 // rows skipped because every cell was empty
	sum      string
	etag     string
	ignored  map[string]struct{}
}

// ContextFS is an fs.FS whose files open under a context: for exports
// fetched over the network (an S3 prefix), cancelling the run stops the
// transfer.
type ContextFS interface {
	fs.FS
	OpenContext(ctx context.Context, name string) (fs.File, error)
}

// OpenFile opens name in fsys, under ctx when fsys is a ContextFS.
func OpenFile(ctx context.Context, fsys fs.FS, name string) (fs.File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cf, ok := fsys.(ContextFS); ok {
		return cf.OpenContext(ctx, name)
	}
	return fsys.Open(name)
}

// Open opens one export for streaming. Errors that make the whole file
// unreadable are *FileError.
func Open(ctx context.Context, fsys fs.FS, f File, opts Options) (*Reader, error) {
	if opts.Alloc == nil {
		return nil, errors.New("opening " + f.Path + ": sources.Options.Alloc is required")
	}
	if opts.BatchRows <= 0 {
		opts.BatchRows = DefaultBatchRows
	}
	if opts.Comma == 0 {
		opts.Comma = ','
	}
	if opts.maxLine <= 0 {
		opts.maxLine = defaultMaxLine
	}
	if f.Format == BigQuery {
		r := &Reader{file: f, alloc: opts.Alloc, batch: opts.BatchRows}
		bf, err := openBigQuery(ctx, r, opts)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.format, r.size = bf, bf.(*bigQueryFormat).total
		return r, nil
	}
	fh, err := OpenFile(ctx, fsys, f.Path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", f.Path, err)
	}
	r := &Reader{file: f, fsFile: fh, alloc: opts.Alloc, batch: opts.BatchRows, size: f.Size}
	if info, err := fh.Stat(); err == nil {
		r.size = info.Size()
		if o, ok := info.Sys().(interface{ ETag() string }); ok {
			r.etag = o.ETag()
		}
	}
	switch f.Format {
	case CSV:
		r.format, err = openCSV(r, opts)
	case JSONLines:
		r.format, err = openJSONL(r, opts)
	case Parquet:
		r.format, err = openParquet(r, opts)
	default:
		err = fmt.Errorf("opening %s: unknown format %v", f.Path, f.Format)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// setHeader fixes the column names and the batch's columns.
func (r *Reader) setHeader(names []string) {
	r.header = names
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true}
	}
	r.schema = arrow.NewSchema(fields, nil)
	r.cells = validate.NewTextBuffers(r.schema)
	r.rows = make([]validate.Line, 0, r.batch)
}

// checkHeader rejects too many columns, empty names, names that hide a
// byte-order mark or a NUL byte, and names that are the same but for case
// (contract columns are matched case-insensitively, so one would be lost).
func (r *Reader) checkHeader(names []string, line int64) error {
	if len(names) > MaxColumns {
		return r.fileError(line, fmt.Sprintf("header has %d columns, more than the %d an export may have", len(names), MaxColumns),
			"export only the columns the contract reads (docs/contract.md); a header this wide is usually a file whose rows are not split by line breaks")
	}
	seen := make(map[string]string, len(names))
	for i, n := range names {
		switch {
		case n == "":
			return r.fileError(line, fmt.Sprintf("header has an empty column name (column %d)", i+1),
				"give every column a name in the export")
		case strings.ContainsRune(n, '\uFEFF') && i == 0:
			return r.fileError(line, fmt.Sprintf("header column 1, %q, starts with an invisible byte-order mark (U+FEFF): the file starts with more than one", n),
				`re-save the file as UTF-8 with at most one byte-order mark, e.g. sed -i '1s/^\(\xEF\xBB\xBF\)*//' FILE`)
		case strings.ContainsRune(n, '\uFEFF'):
			return r.fileError(line, fmt.Sprintf("header column %d, %q, holds an invisible byte-order mark (U+FEFF)", i+1, n),
				"remove the invisible character from that column name and re-export")
		case strings.IndexByte(n, 0) >= 0:
			return r.fileError(line, fmt.Sprintf("header column %d holds NUL bytes: the file looks binary, or UTF-16 without a byte-order mark", i+1),
				"check this is the right file; export it as UTF-8 text")
		}
		key := strings.ToLower(n)
		if prev, dup := seen[key]; dup {
			if prev == n {
				return r.fileError(line, fmt.Sprintf("header has duplicate column %q", n),
					"rename or remove one of the columns so every name is unique")
			}
			return r.fileError(line, fmt.Sprintf("header has columns %q and %q, which differ only in case: columns are matched case-insensitively, so one would be lost", prev, n),
				"rename or remove one of them; to read one as a contract column under another name, map it in a mapping file (docs/mapping.md)")
		}
		seen[key] = n
	}
	return nil
}

func (r *Reader) fileError(line int64, problem, fix string) *FileError {
	return &FileError{File: r.file.Path, Line: line, Problem: problem, Fix: fix}
}

// appendCell adds one cell of the current row: empty or whitespace-only
// text is null.
func (r *Reader) appendCell(col int, s string) {
	if n := len(s); n > 0 && s[0] > ' ' && s[0] < utf8.RuneSelf { // not blank: most cells, at a glance
		r.cells.Text(col, s)
		return
	}
	if strings.TrimSpace(s) == "" {
		r.cells.Null(col)
		return
	}
	r.cells.Text(col, s)
}

func (r *Reader) appendNull(col int) { r.cells.Null(col) }

// endRow records the row whose cells were just appended.
func (r *Reader) endRow(number int64) {
	r.cells.EndRow()
	r.rows = append(r.rows, validate.Line{Number: number})
}

// appendProblem adds a row that could not be split into cells.
func (r *Reader) appendProblem(number int64, problem, fix, raw string) {
	for c := range r.header {
		r.cells.Null(c)
	}
	r.cells.EndRow()
	r.rows = append(r.rows, validate.Line{Number: number, Problem: problem, Fix: fix, Raw: raw})
}

// nulProblem describes a cell holding a NUL byte, which no export text
// has: binary data pasted into a cell, or a damaged file.
func nulProblem(column string) (problem, fix string) {
	return fmt.Sprintf("column %q holds a NUL byte (binary data, not text)", column),
		"remove the binary data from that cell and export the file as UTF-8 text"
}

func (r *Reader) ignore(key string) {
	if r.ignored == nil {
		r.ignored = make(map[string]struct{})
	}
	r.ignored[key] = struct{}{}
}

func (r *Reader) releaseRecord() {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	r.rows = r.rows[:0]
}

// discard drops the rows of the batch being read.
func (r *Reader) discard() {
	if r.cells != nil {
		r.cells.Reset()
	}
	r.rows = r.rows[:0]
}

// Header returns the export's column names in file order.
func (r *Reader) Header() []string { return r.header }

// Next advances to the next batch; false at end or on error.
func (r *Reader) Next() bool {
	r.releaseRecord()
	if r.done || r.closed {
		return false
	}
	if !r.eof {
		eof, err := r.format.fill(r)
		if err != nil {
			r.discard()
			r.err = err
			r.done = true
			return false
		}
		r.eof = eof
	}
	if len(r.rows) == 0 {
		r.done = true
		sum, err := r.format.finish()
		if err != nil {
			r.err = err
			return false
		}
		r.sum = hex.EncodeToString(sum)
		return false
	}
	r.rec = r.cells.Record()
	r.rowsRead += int64(len(r.rows))
	return true
}

// Record returns the current batch: one utf8 column per Header name, in the
// same order. It is valid until the next call to Next or Close.
func (r *Reader) Record() arrow.Record { return r.rec }

// Rows describes each row of Record, in the same order. Valid until the
// next call to Next or Close.
func (r *Reader) Rows() []validate.Line { return r.rows }

// Err is nil at a clean end and a *FileError on a file-level failure.
func (r *Reader) Err() error { return r.err }

// Progress returns the bytes consumed so far and the file size. It may be
// called from another goroutine (for a progress display); the other methods
// may not. For Parquet the bytes are estimated from the rows read.
func (r *Reader) Progress() (read, size int64) {
	if r.format == nil {
		return 0, r.size
	}
	return r.format.progress(), r.size
}

// SHA256 is the hex sha256 of the file's bytes, set once Next has returned
// false with Err() == nil.
func (r *Reader) SHA256() string { return r.sum }

// ETag is the object's entity tag when the file is an S3 object, else "".
func (r *Reader) ETag() string { return r.etag }

// RowsRead counts the data rows delivered so far, problem rows included.
func (r *Reader) RowsRead() int64 { return r.rowsRead }

// Blank counts the rows skipped so far because every cell was empty (a CSV
// line of only delimiters or spaces, an empty JSON Lines line or object):
// they hold nothing to load or quarantine. Every row read is delivered or
// blank.
func (r *Reader) Blank() int64 { return r.blank }

// Ignored lists, sorted, the keys seen in JSON Lines objects that are not
// in Header.
func (r *Reader) Ignored() []string {
	out := make([]string, 0, len(r.ignored))
	for k := range r.ignored {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Close releases everything; it is safe to call twice.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.releaseRecord()
	r.discard()
	var errs []error
	if r.format != nil {
		errs = append(errs, r.format.close())
	}
	if r.fsFile != nil {
		errs = append(errs, r.fsFile.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("closing %s: %w", r.file.Path, err)
	}
	return nil
}

// hashCounter hashes and counts the bytes read through it, in one pass.
type hashCounter struct {
	r     io.Reader
	h     hash.Hash
	n     atomic.Int64
	guard func(n int64) error // called before each read with the bytes read so far
}

func newHashCounter(r io.Reader) *hashCounter {
	return &hashCounter{r: r, h: sha256.New()}
}

func (c *hashCounter) Read(p []byte) (int, error) {
	if c.guard != nil {
		if err := c.guard(c.n.Load()); err != nil {
			return 0, err
		}
	}
	n, err := c.r.Read(p)
	if n > 0 {
		c.h.Write(p[:n])
		c.n.Add(int64(n))
	}
	return n, err
}

// drain reads what is left and returns the sum of everything.
func (c *hashCounter) drain() ([]byte, error) {
	c.guard = nil
	if _, err := io.Copy(io.Discard, c); err != nil {
		return nil, err
	}
	return c.h.Sum(nil), nil
}

// sniff recognises files that are not text: compressed, spreadsheet,
// Parquet or UTF-16 with its byte-order mark. Other binary content is
// found where it is: a NUL byte in the header fails the file, one in a
// row makes that row a problem row. kind is "CSV" or "JSON Lines".
func sniff(head []byte, kind string) (problem, fix string) {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "is gzip-compressed, not " + kind, "decompress it first, e.g. gunzip -c file.gz > file"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "is a ZIP or Excel (.xlsx) file, not " + kind, "open it and save it as " + kind + " (UTF-8), or unzip it first"
	case bytes.HasPrefix(head, []byte("PAR1")):
		return "is a Parquet file, not " + kind, "rename it to end in .parquet"
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return "is UTF-16 text, not UTF-8", "re-export as UTF-8, e.g. iconv -f utf-16 -t utf-8 in.csv > out.csv"
	}
	return "", ""
}
