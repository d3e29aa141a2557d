package sources

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/validate"
)

// Querier runs the query of a BigQuery source and streams its result as
// Arrow records decoded with alloc, with its row count (0 when unknown).
// The BigQuery driver implements it (functions/warehouse/bigquery); this
// package never names the client.
type Querier interface {
	QuerySource(ctx context.Context, q SourceQuery, alloc memory.Allocator) (array.RecordReader, uint64, error)
}

// SourceQuery is the read of one BigQuery source: its SQL (BigQuerySQL),
// the project its job runs in, the location ("" = where the data is) and
// the job's labels.
type SourceQuery struct {
	SQL, Project, Location string
	Labels                 map[string]string
}

// bigQueryFile is the File of a mapping that reads its source from
// BigQuery: Path names the table, or the mapping holding the query.
func bigQueryFile(m *MappingFile) File {
	p := "bigquery:" + m.Mapping.BigQuery.Table
	if m.Mapping.BigQuery.Table == "" {
		p = "bigquery:" + m.Path
	}
	return File{Source: m.Mapping.Source, Path: p, Format: BigQuery, Mapping: m}
}

// BigQuerySQL is the query a BigQuery source is read with: every column of
// the table or of the mapping's query, ordered by the whole row (its JSON
// text), so that row numbers, quarantine and checksum are the same on
// every read of the same data.
func BigQuerySQL(b *validate.BigQuerySource) string {
	from := "`" + b.Table + "`"
	if b.Table == "" {
		q := strings.TrimRight(strings.TrimSpace(b.Query), ";")
		from = "(\n" + q + "\n)"
	}
	return "SELECT * FROM " + from + " AS src ORDER BY TO_JSON_STRING(src)"
}

// bigQueryFormat reads a BigQuery source: one query job, its result
// streamed as Arrow (Querier) and cut into batches. The checksum is
// the sha256 of the cells in row order (a source has no bytes of its own),
// so a re-read of unchanged data gives the same one.
type bigQueryFormat struct {
	rr    array.RecordReader
	rec   arrow.Record // the record being cut into batches
	off   int64        // rows of rec already appended
	total int64        // rows in the result, when the job says (the emulator does not)
	sum   hash.Hash
	arrowRows
}

func openBigQuery(ctx context.Context, r *Reader, opts Options) (format, error) {
	m := r.file.Mapping
	if m == nil || m.Mapping.BigQuery == nil {
		return nil, fmt.Errorf("opening %s: no BigQuery mapping (a bug in pqi)", r.file.Path)
	}
	if opts.BigQuery == nil {
		return nil, r.fileError(0, "is a BigQuery source, but this run has no BigQuery client",
			"run with Application Default Credentials for project "+m.Mapping.BigQuery.JobProject()+" (gcloud auth application-default login, or the service account the function runs as; docs/bigquery.md)")
	}
	b := m.Mapping.BigQuery
	rr, total, err := opts.BigQuery.QuerySource(ctx, SourceQuery{
		SQL: BigQuerySQL(b), Project: b.JobProject(), Location: b.Location,
		Labels: map[string]string{"pqi_step": "source", "pqi_source": m.Mapping.Source},
	}, opts.Alloc)
	if err != nil {
		return nil, r.fileError(0, "cannot be read from BigQuery: "+err.Error(),
			"check the table or query in "+m.Path+", that the credentials may run jobs in "+b.JobProject()+" and read the data, and that the BigQuery Storage Read API is enabled there")
	}
	f := &bigQueryFormat{rr: rr, total: int64(total), sum: sha256.New()}
	fields := rr.Schema().Fields()
	names := make([]string, len(fields))
	for i, fl := range fields {
		names[i] = fl.Name
	}
	if err := r.checkHeader(names, 0); err != nil {
		rr.Release()
		return nil, err
	}
	r.setHeader(names)
	f.setNested(fields, opts.Columns)
	for _, n := range names {
		f.hashCell(n, true)
	}
	return f, nil
}

func (f *bigQueryFormat) fill(r *Reader) (eof bool, err error) {
	for f.rec == nil || f.off == f.rec.NumRows() {
		f.releaseRecord()
		if !f.rr.Next() {
			if err := f.rr.Err(); err != nil && !errors.Is(err, io.EOF) {
				return false, r.fileError(0, fmt.Sprintf("stopped after row %d: %v", f.row, err), "run again; if it persists, check the job in the BigQuery console")
			}
			return true, nil
		}
		f.rec = f.rr.Record()
		f.rec.Retain()
	}
	n := min(int64(r.batch), f.rec.NumRows()-f.off)
	part := f.rec.NewSlice(f.off, f.off+n)
	defer part.Release()
	f.off += n
	for i := 0; i < int(n); i++ {
		for _, col := range part.Columns() {
			f.hashCell(cell(col, i))
		}
	}
	return false, f.add(r, part)
}

// hashCell adds one cell to the checksum: its length and text, or a null.
func (f *bigQueryFormat) hashCell(s string, ok bool) {
	var n [9]byte
	if ok {
		n[0] = 1
		binary.LittleEndian.PutUint64(n[1:], uint64(len(s)))
	}
	f.sum.Write(n[:])
	io.WriteString(f.sum, s)
}

func (f *bigQueryFormat) releaseRecord() {
	if f.rec != nil {
		f.rec.Release()
		f.rec = nil
	}
	f.off = 0
}

func (f *bigQueryFormat) finish() ([]byte, error) { return f.sum.Sum(nil), nil }

// progress counts rows, not bytes: the size of a BigQuery source is its
// row count (0 when the job does not give it).
func (f *bigQueryFormat) progress() int64 { return f.seen.Load() }

func (f *bigQueryFormat) close() error {
	f.releaseRecord()
	if f.rr != nil {
		f.rr.Release()
		f.rr = nil
	}
	return nil
}
