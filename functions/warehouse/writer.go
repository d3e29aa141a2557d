package warehouse

import (
	"bufio"
	"errors"
	"fmt"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/partnerq/pqi/transforms/schema"
)

// TableWriter streams records into one table of a Tx.
type TableWriter interface {
	// Write appends rec; its schema must match the table's stored schema.
	// The caller keeps ownership of rec.
	Write(rec arrow.Record) error
	// Close finishes the file. Commit closes writers left open.
	Close() error
}

// rowGroupRows is the row-group length: Write buffers at most this many rows
// (encoded and compressed) before flushing them to disk, so memory does not
// grow with the number of records written.
const rowGroupRows = 128 * 1024

// parquetProps are fixed so the same records always give the same bytes:
// no timestamps, no random values, a constant created_by.
//
// Dictionary encoding is used only where a column's distinct values are
// bounded: enums, and the lineage columns that are constant per file
// (dictionaryColumns). Anywhere else a dictionary can outgrow its page limit
// and fall back to plain encoding mid-column, and arrow-go (v17, and still
// v18.9) then writes the column's page-encoding statistics in Go map order,
// so the footer bytes change from run to run (seen on the 10M-deal
// attribution table). Plain
// encoding of ids and numbers also skips dictionary work that rarely pays.
func parquetProps(alloc memory.Allocator, t schema.Table, extra ...parquet.WriterProperty) (*parquet.WriterProperties, pqarrow.ArrowWriterProperties) {
	opts := []parquet.WriterProperty{
		parquet.WithAllocator(alloc),
		parquet.WithCreatedBy("pqi"),
		parquet.WithVersion(parquet.V2_6),
		parquet.WithDataPageVersion(parquet.DataPageV1),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithDictionaryDefault(false),
		parquet.WithStats(true),
		parquet.WithStoreDecimalAsInteger(true), // DECIMAL(18,2) as INT64
		parquet.WithMaxRowGroupLength(rowGroupRows),
	}
	for _, name := range dictionaryColumns(t) {
		opts = append(opts, parquet.WithDictionaryFor(name, true))
	}
	props := parquet.NewWriterProperties(append(opts, extra...)...)
	arrowProps := pqarrow.NewArrowWriterProperties(
		pqarrow.WithAllocator(alloc),
		pqarrow.WithStoreSchema(), // timestamps keep their zone, decimals their type
	)
	return props, arrowProps
}

// ParquetFile writes one Parquet file from Arrow records of a fixed schema.
type ParquetFile struct {
	path   string
	schema *arrow.Schema
	f      *os.File
	buf    *bufio.Writer
	fw     *pqarrow.FileWriter
	closed bool
	err    error // first failure; the file is unusable after it
}

// dictionaryColumns are the columns of t with few distinct values by
// construction: enums and the per-file lineage and run columns.
func dictionaryColumns(t schema.Table) []string {
	var out []string
	for _, c := range t.Stored() {
		switch {
		case c.Kind == schema.Enum, c.Name == schema.RunID, c.Name == schema.SourceFile,
			t.Name == schema.Quarantine && (c.Name == schema.Source || c.Name == schema.File || c.Name == schema.ColumnName):
			out = append(out, c.Name)
		}
	}
	return out
}

// Schema is the stored schema the file's records must have.
func (p *ParquetFile) Schema() *arrow.Schema { return p.schema }

// CreateParquet starts a Parquet file for rows of table t as stored.
func CreateParquet(path string, t schema.Table, alloc memory.Allocator, extra ...parquet.WriterProperty) (*ParquetFile, error) {
	sc := t.StoredArrow()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<20) // not an io.Closer: the parquet writer leaves f to us
	props, arrowProps := parquetProps(alloc, t, extra...)
	fw, err := pqarrow.NewFileWriter(sc, buf, props, arrowProps)
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &ParquetFile{path: path, schema: sc, f: f, buf: buf, fw: fw}, nil
}

// Write checks rec against the stored schema and appends it.
func (p *ParquetFile) Write(rec arrow.Record) error {
	if p.closed {
		return errors.New("write after close")
	}
	if p.err != nil {
		return p.err
	}
	if err := Conform(rec, p.schema); err != nil {
		return err
	}
	// Re-label the columns with the canonical schema (field metadata
	// included) so the file does not depend on how the caller built rec.
	r := array.NewRecord(p.schema, rec.Columns(), rec.NumRows())
	defer r.Release()
	if err := p.fw.WriteBuffered(r); err != nil {
		p.err = err
		return err
	}
	return nil
}

// Close writes the footer and fsyncs the file.
func (p *ParquetFile) Close() error {
	if p.closed {
		return p.err
	}
	p.closed = true
	err := p.fw.Close()
	if err == nil {
		err = p.buf.Flush()
	}
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err != nil && p.err == nil {
		p.err = err
	}
	return p.err
}

// Conform reports how rec differs from the stored schema, naming the column.
func Conform(rec arrow.Record, want *arrow.Schema) error {
	got := rec.Schema()
	if got.NumFields() != want.NumFields() {
		return fmt.Errorf("record has %d columns, table has %d (%v)", got.NumFields(), want.NumFields(), FieldNames(want))
	}
	for i, wf := range want.Fields() {
		gf := got.Field(i)
		switch {
		case gf.Name != wf.Name:
			return fmt.Errorf("column %d is %q, want %q", i, gf.Name, wf.Name)
		case !arrow.TypeEqual(gf.Type, wf.Type):
			return fmt.Errorf("column %q has type %s, want %s", wf.Name, gf.Type, wf.Type)
		case gf.Nullable != wf.Nullable:
			return fmt.Errorf("column %q has nullable=%t, want %t", wf.Name, gf.Nullable, wf.Nullable)
		case !wf.Nullable && rec.Column(i).NullN() > 0:
			return fmt.Errorf("column %q is required but has %d nulls", wf.Name, rec.Column(i).NullN())
		}
	}
	return nil
}

// FieldNames are the names of a schema's fields, in order.
func FieldNames(sc *arrow.Schema) []string {
	out := make([]string, sc.NumFields())
	for i, f := range sc.Fields() {
		out[i] = f.Name
	}
	return out
}
