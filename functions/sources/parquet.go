package sources

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/partnerq/pqi/transforms/schema"
)

// readerAtSeeker is what the Parquet reader needs. Wrapping the file in it
// hides Close, so that the Parquet reader never closes our file.
type readerAtSeeker interface {
	io.ReaderAt
	io.Seeker
}

type parquetFormat struct {
	path  string
	src   readerAtSeeker
	size  int64
	tmp   *os.File // a copy of a file that cannot seek; removed on close
	sum   []byte   // set when the copy was hashed
	pf    *file.Reader
	rr    pqarrow.RecordReader
	total int64 // rows in the file
	arrowRows
}

// arrowRows turns the Arrow records of a columnar export (a Parquet file,
// a BigQuery result) into the Reader's text cells and rows.
type arrowRows struct {
	nested []bool       // per column: a nested type in a column the caller reads
	row    int64        // rows read so far
	seen   atomic.Int64 // row, for Progress from another goroutine
}

// setNested marks the columns the caller reads (opts.Columns) whose type is
// nested: their non-null values make problem rows.
func (a *arrowRows) setNested(fields []arrow.Field, columns []string) {
	read := make(map[string]bool, len(columns))
	for _, c := range columns {
		read[strings.ToLower(c)] = true
	}
	a.nested = make([]bool, len(fields))
	for i, f := range fields {
		a.nested[i] = read[strings.ToLower(f.Name)] && isNested(f.Type)
	}
}

// add appends every row of rec to r.
func (a *arrowRows) add(r *Reader, rec arrow.Record) error {
	if a.hasNested(rec) {
		return a.addRows(r, rec)
	}
	n := int(rec.NumRows())
	for c, arr := range rec.Columns() {
		for i := 0; i < n; i++ {
			s, ok := cell(arr, i)
			switch {
			case !ok:
				r.appendNull(c)
			case !utf8.ValidString(s):
				return notUTF8(r, c, a.row+int64(i)+1, s)
			default:
				r.appendCell(c, s)
			}
		}
	}
	for i := 0; i < n; i++ {
		r.endRow(a.row + int64(i) + 1)
	}
	a.row += int64(n)
	a.seen.Store(a.row)
	return nil
}

// damaged turns a panic of the Parquet library, which some damaged files
// cause (a page header that decodes to nothing), into a file error: a bad
// export fails its run, it never crashes the process.
func damaged(r *Reader, where string, err *error) {
	if v := recover(); v != nil {
		*err = r.fileError(0, fmt.Sprintf("is a damaged Parquet file (the reader failed %s: %v)", where, v),
			"re-export it, or copy it again if it was cut or changed in transit")
	}
}

func openParquet(r *Reader, opts Options) (f format, err error) {
	p := &parquetFormat{path: r.file.Path, size: r.size}
	defer func() {
		if err != nil {
			p.close()
		}
	}()
	defer damaged(r, "opening it", &err)
	if ra, ok := r.fsFile.(readerAtSeeker); ok {
		p.src = ra
	} else if err := p.spool(r, opts.SpoolMax); err != nil {
		return nil, err
	}
	notParquet := func(problem string) error {
		p.close()
		return r.fileError(0, problem,
			"re-export it as Parquet, or if it is CSV or JSON Lines give it a .csv or .jsonl name")
	}
	if p.size < 12 {
		return nil, notParquet("is not a Parquet file (too small to be one)")
	}
	head, tail := make([]byte, 4), make([]byte, 4)
	if _, err := p.src.ReadAt(head, 0); err != nil {
		p.close()
		return nil, fmt.Errorf("reading %s: %w", p.path, err)
	}
	if _, err := p.src.ReadAt(tail, p.size-4); err != nil {
		p.close()
		return nil, fmt.Errorf("reading %s: %w", p.path, err)
	}
	if !bytes.Equal(head, []byte("PAR1")) {
		return nil, notParquet("is not a Parquet file (no PAR1 magic)")
	}
	if !bytes.Equal(tail, []byte("PAR1")) {
		return nil, notParquet("is not a complete Parquet file (no PAR1 magic at the end: truncated?)")
	}

	props := parquet.NewReaderProperties(opts.Alloc)
	props.BufferedStreamEnabled = true // read pages as needed, not whole column chunks
	pf, err := file.NewParquetReader(struct{ readerAtSeeker }{p.src}, file.WithReadProps(props))
	if err != nil {
		return nil, notParquet("is not a readable Parquet file: " + err.Error())
	}
	p.pf = pf
	if err := checkNested(pf); err != nil {
		return nil, notParquet("is a damaged Parquet file (" + err.Error() + ")")
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: int64(r.batch)}, opts.Alloc)
	if err != nil {
		return nil, notParquet("has a schema that cannot be read: " + err.Error())
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		return nil, notParquet("cannot be read: " + err.Error())
	}
	p.rr = rr
	p.total = pf.NumRows()
	fields := rr.Schema().Fields()
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	if len(names) == 0 {
		p.close()
		return nil, r.fileError(0, "has no columns", "re-export it with its columns")
	}
	if err := r.checkHeader(names, 0); err != nil {
		p.close()
		return nil, err
	}
	r.setHeader(names)
	p.setNested(fields, opts.Columns)
	return p, nil
}

// checkNested decodes every column inside a nested field (a struct, list
// or map) once, here, where a panic of the Parquet library on damaged data
// is recovered (damaged). The record reader decodes such columns on
// goroutines of its own, where the same panic would end the process; flat
// columns it decodes on the caller's goroutine. Nested columns are rare in
// exports, so the second decode costs little.
func checkNested(pf *file.Reader) error {
	sc := pf.MetaData().Schema
	const batch = 1024
	defs, reps := make([]int16, batch), make([]int16, batch)
	for rg := 0; rg < pf.NumRowGroups(); rg++ {
		g := pf.RowGroup(rg)
		for c := 0; c < sc.NumColumns(); c++ {
			if len(sc.Column(c).ColumnPath()) < 2 {
				continue
			}
			cr, err := g.Column(c)
			if err == nil { // the reader's page buffers are the allocator's until Close
				err = errors.Join(drainColumn(cr, batch, defs, reps), cr.Close())
			}
			if err != nil {
				return fmt.Errorf("column %s of row group %d: %w", sc.Column(c).Path(), rg+1, err)
			}
		}
	}
	return nil
}

// drainColumn reads a column chunk to its end, discarding the values.
func drainColumn(cr file.ColumnChunkReader, batch int64, defs, reps []int16) error {
	switch r := cr.(type) {
	case *file.BooleanColumnChunkReader:
		return drain[bool](r, batch, defs, reps)
	case *file.Int32ColumnChunkReader:
		return drain[int32](r, batch, defs, reps)
	case *file.Int64ColumnChunkReader:
		return drain[int64](r, batch, defs, reps)
	case *file.Int96ColumnChunkReader:
		return drain[parquet.Int96](r, batch, defs, reps)
	case *file.Float32ColumnChunkReader:
		return drain[float32](r, batch, defs, reps)
	case *file.Float64ColumnChunkReader:
		return drain[float64](r, batch, defs, reps)
	case *file.ByteArrayColumnChunkReader:
		return drain[parquet.ByteArray](r, batch, defs, reps)
	case *file.FixedLenByteArrayColumnChunkReader:
		return drain[parquet.FixedLenByteArray](r, batch, defs, reps)
	}
	return fmt.Errorf("unknown column reader %T", cr)
}

// batchReader is the typed column chunk reader of one physical type.
type batchReader[T any] interface {
	HasNext() bool
	Err() error
	ReadBatch(batchSize int64, values []T, defLvls, repLvls []int16) (int64, int, error)
}

func drain[T any](r batchReader[T], batch int64, defs, reps []int16) error {
	v := make([]T, batch)
	for r.HasNext() {
		if _, _, err := r.ReadBatch(batch, v, defs, reps); err != nil {
			return err
		}
	}
	return r.Err()
}

// spool copies a file without random access (e.g. a streamed object) to
// a temp file, hashing on the way; max bounds it (0 = no bound).
func (p *parquetFormat) spool(r *Reader, max int64) error {
	tmp, err := os.CreateTemp("", "pqi-source-*.parquet")
	if err != nil {
		return fmt.Errorf("copying %s to a temp file: %w", p.path, err)
	}
	p.tmp = tmp
	h := sha256.New()
	var src io.Reader = r.fsFile
	if max > 0 {
		src = io.LimitReader(src, max+1)
	}
	n, err := io.Copy(io.MultiWriter(tmp, h), src)
	if err != nil {
		return fmt.Errorf("copying %s to a temp file: %w", p.path, err)
	}
	if max > 0 && n > max {
		return r.fileError(0, fmt.Sprintf("is larger than the %d bytes the temp folder may hold to read a Parquet file", max),
			"raise the spool limit (PQI_SPOOL_MAX) with the function's ephemeral storage, or export the source as CSV or JSON Lines, which stream")
	}
	p.sum, p.size, p.src = h.Sum(nil), n, tmp
	r.size = n
	return nil
}

// isNested reports types that hold more than one value in a cell.
func isNested(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRUCT, arrow.LIST, arrow.LARGE_LIST, arrow.FIXED_SIZE_LIST, arrow.LIST_VIEW, arrow.LARGE_LIST_VIEW,
		arrow.MAP, arrow.SPARSE_UNION, arrow.DENSE_UNION:
		return true
	}
	return false
}

func (p *parquetFormat) fill(r *Reader) (eof bool, err error) {
	defer damaged(r, fmt.Sprintf("after row %d", p.row), &err)
	for {
		if !p.rr.Next() {
			// A page that does not decode is damaged data: the footer's
			// count says how much is missing. An error reading the file
			// itself says what it is.
			var pathErr *fs.PathError
			if err := p.rr.Err(); err != nil && !errors.Is(err, io.EOF) && (errors.As(err, &pathErr) || p.row >= p.total) {
				return false, r.fileError(0, "cannot be read at row "+strconv.FormatInt(p.row+1, 10)+": "+err.Error(),
					"re-export it; the file may be damaged")
			}
			if p.row != p.total {
				return false, r.fileError(0, fmt.Sprintf("has %d rows by its footer, but only %d could be read: its data pages are damaged", p.total, p.row),
					"re-export it, or copy it again if it was cut or changed in transit")
			}
			return true, nil
		}
		rec := p.rr.Record()
		n := int(rec.NumRows())
		if n == 0 {
			continue
		}
		return false, p.add(r, rec)
	}
}

// notUTF8 is the file error of a text cell that is not UTF-8.
func notUTF8(r *Reader, col int, row int64, s string) error {
	return r.fileError(0, fmt.Sprintf("is not valid UTF-8 (column %q, row %d: %s)", r.header[col], row, quoteSnippet(s)), "re-export it with UTF-8 text")
}

// hasNested reports whether a read column holds a non-null nested value
// in rec.
func (a *arrowRows) hasNested(rec arrow.Record) bool {
	for c, arr := range rec.Columns() {
		if a.nested[c] && arr.NullN() < arr.Len() {
			return true
		}
	}
	return false
}

// addRows appends rec row by row, so that a row with a nested value in a
// column the caller reads becomes a problem row (its cells kept in Raw).
func (a *arrowRows) addRows(r *Reader, rec arrow.Record) error {
	cols := rec.Columns()
	texts := make([]string, len(cols))
	valid := make([]bool, len(cols))
	for i := 0; i < int(rec.NumRows()); i++ {
		number := a.row + int64(i) + 1
		bad := -1
		for c, arr := range cols {
			texts[c], valid[c] = cell(arr, i)
			if valid[c] && !utf8.ValidString(texts[c]) {
				return notUTF8(r, c, number, texts[c])
			}
			if bad < 0 && valid[c] && a.nested[c] {
				bad = c
			}
		}
		if bad >= 0 {
			raw := map[string]any{}
			for c := range cols {
				if valid[c] {
					raw[r.header[c]] = texts[c]
				} else {
					raw[r.header[c]] = nil
				}
			}
			b, _ := json.Marshal(raw) // strings and nulls only: cannot fail
			r.appendProblem(number, fmt.Sprintf("column %q holds a nested value (%s), not one value", r.header[bad], cols[bad].DataType().Name()),
				"export that column as a plain string, number or date; flatten the nested field to the one value the contract column means", string(b))
			continue
		}
		for c := range cols {
			if valid[c] {
				r.appendCell(c, texts[c])
			} else {
				r.appendNull(c)
			}
		}
		r.endRow(number)
	}
	a.row += rec.NumRows()
	a.seen.Store(a.row)
	return nil
}

// cell renders one value as text; ok is false for null.
func cell(arr arrow.Array, i int) (s string, ok bool) {
	if arr.IsNull(i) {
		return "", false
	}
	switch a := arr.(type) {
	case *array.String:
		return a.Value(i), true
	case *array.LargeString:
		return a.Value(i), true
	case *array.Binary:
		if v := a.Value(i); utf8.Valid(v) {
			return string(v), true
		}
	case *array.LargeBinary:
		if v := a.Value(i); utf8.Valid(v) {
			return string(v), true
		}
	case *array.Int8:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int16:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10), true
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10), true
	case *array.Uint8:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint16:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint32:
		return strconv.FormatUint(uint64(a.Value(i)), 10), true
	case *array.Uint64:
		return strconv.FormatUint(a.Value(i), 10), true
	case *array.Float32:
		return strconv.FormatFloat(float64(a.Value(i)), 'g', -1, 32), true
	case *array.Float64:
		return strconv.FormatFloat(a.Value(i), 'g', -1, 64), true
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i)), true
	case *array.Date32:
		return schema.Day(a.Value(i)).String(), true
	case *array.Date64:
		ms := int64(a.Value(i))
		days := ms / 86400000
		if ms%86400000 < 0 {
			days--
		}
		return schema.Day(days).String(), true
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UTC().Format(time.RFC3339Nano), true
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale), true
	case *array.Decimal256:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal256Type).Scale), true
	case *array.Dictionary:
		return cell(a.Dictionary(), a.GetValueIndex(i))
	}
	return arr.ValueStr(i), true
}

func (p *parquetFormat) finish() ([]byte, error) {
	if p.sum != nil {
		return p.sum, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(p.src, 0, p.size)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", p.path, err)
	}
	p.sum = h.Sum(nil)
	return p.sum, nil
}

// progress estimates bytes consumed from the share of rows read.
func (p *parquetFormat) progress() int64 {
	if p.total <= 0 {
		return 0
	}
	return p.size * p.seen.Load() / p.total
}

func (p *parquetFormat) close() (err error) {
	if p.rr != nil {
		rr := p.rr
		p.rr = nil
		func() {
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("releasing the reader of %s after it failed: %v", p.path, v)
				}
			}()
			rr.Release()
		}()
	}
	p.pf = nil // its source is ours (Close hidden), nothing else to free
	if p.tmp != nil {
		name := p.tmp.Name()
		err = errors.Join(err, p.tmp.Close(), os.Remove(name))
		p.tmp = nil
	}
	return err
}
