package sources

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/partnerq/pqi/transforms/schema"
)

// parquetFile writes n rows of every type pqi's exports use; row i (0-based)
// has nulls where i%4 == 3. Row groups hold rowGroup rows.
func parquetFile(t testing.TB, n, rowGroup int) []byte {
	t.Helper()
	mem := memory.NewGoAllocator()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "partner_name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "staff", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "joined", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 18, Scale: 2}, Nullable: true},
		{Name: "active", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "updated", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	names := []string{"Zürich Daten AG", "東京システム", "Acme"}
	for i := 0; i < n; i++ {
		if i%4 == 3 {
			for _, f := range b.Fields() {
				f.AppendNull()
			}
			continue
		}
		b.Field(0).(*array.StringBuilder).Append(names[i%3])
		b.Field(1).(*array.Int64Builder).Append(int64(i) * 1000000000000)
		d, _ := schema.ParseDay("2024-02-28")
		b.Field(2).(*array.Date32Builder).Append(arrow.Date32(d.AddDays(i)))
		b.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(123450 + int64(i)))
		b.Field(4).(*array.BooleanBuilder).Append(i%2 == 0)
		b.Field(5).(*array.Float64Builder).Append(0.1 * float64(i))
		ts := time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
		b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UnixMicro()))
	}
	rec := b.NewRecord()
	defer rec.Release()
	var buf bytes.Buffer
	w, err := pqarrow.NewFileWriter(sc, &buf,
		parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(int64(rowGroup))),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParquetColumnsReadAsText(t *testing.T) {
	data := parquetFile(t, 4, 100)
	fsys := fstest.MapFS{"partners.parquet": {Data: data}}
	res, err := readAll(t, fsys, File{Source: "partners", Path: "partners.parquet", Format: Parquet}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.header, ","); got != "partner_name,staff,joined,amount,active,score,updated" {
		t.Errorf("header = %s", got)
	}
	assertCells(t, res.cells, [][]*string{
		{p("Zürich Daten AG"), p("0"), p("2024-02-28"), p("1234.50"), p("true"), p("0"), p("2024-03-01T12:30:00Z")},
		{p("東京システム"), p("1000000000000"), p("2024-02-29"), p("1234.51"), p("false"), p("0.1"), p("2024-03-01T12:30:01Z")},
		{p("Acme"), p("2000000000000"), p("2024-03-01"), p("1234.52"), p("true"), p("0.2"), p("2024-03-01T12:30:02Z")},
		{nil, nil, nil, nil, nil, nil, nil},
	})
	for i, r := range res.rows {
		if r.Number != int64(i+1) {
			t.Errorf("row %d number = %d", i, r.Number)
		}
	}
	if res.sha != sha(data) {
		t.Errorf("SHA256 = %s, want %s", res.sha, sha(data))
	}
	if res.read != int64(len(data)) || res.size != int64(len(data)) {
		t.Errorf("Progress = %d/%d at the end, want %d", res.read, res.size, len(data))
	}
}

func TestParquetBatchesAcrossRowGroups(t *testing.T) {
	data := parquetFile(t, 10, 4)
	fsys := fstest.MapFS{"deals.parquet": {Data: data}}
	res, err := readAll(t, fsys, File{Source: "deals", Path: "deals.parquet", Format: Parquet}, Options{BatchRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.rows) != 10 || res.count != 10 {
		t.Fatalf("got %d rows, RowsRead %d; want 10", len(res.rows), res.count)
	}
	for _, n := range res.batches {
		if n > 3 {
			t.Errorf("batch of %d rows, want at most 3", n)
		}
	}
	for i, r := range res.rows {
		if r.Number != int64(i+1) {
			t.Errorf("row %d number = %d", i, r.Number)
		}
		wantNull := i%4 == 3
		if (res.cells[i][1] == nil) != wantNull {
			t.Errorf("row %d staff null = %v", i, res.cells[i][1] == nil)
		}
		if !wantNull && *res.cells[i][1] != fmt.Sprint(int64(i)*1000000000000) {
			t.Errorf("row %d staff = %s", i, *res.cells[i][1])
		}
	}
}

// streamFS serves files that can only be read front to back, like an
// object store stream.
type streamFS struct{ fstest.MapFS }

type streamFile struct{ f fs.File }

func (s streamFile) Stat() (fs.FileInfo, error) { return s.f.Stat() }
func (s streamFile) Read(b []byte) (int, error) { return s.f.Read(b) }
func (s streamFile) Close() error               { return s.f.Close() }

func (s streamFS) Open(name string) (fs.File, error) {
	f, err := s.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return streamFile{f}, nil
}

func TestParquetWithoutRandomAccessUsesATempFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	data := parquetFile(t, 5, 100)
	fsys := streamFS{fstest.MapFS{"churn.parquet": {Data: data}}}
	if _, ok := any(streamFile{}).(io.ReaderAt); ok {
		t.Fatal("streamFile must not be an io.ReaderAt")
	}
	res, err := readAll(t, fsys, File{Source: "churn", Path: "churn.parquet", Format: Parquet}, Options{BatchRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.rows) != 5 || *res.cells[4][0] != "東京システム" || res.sha != sha(data) {
		t.Errorf("rows %d, sha ok %v", len(res.rows), res.sha == sha(data))
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("temp files left after Close: %v", left)
	}
}

// The temp copy is bounded: a file larger than SpoolMax is a FileError
// that says what to do, and nothing is left in the temp folder.
func TestParquetSpoolIsBounded(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	data := parquetFile(t, 50, 100)
	fsys := streamFS{fstest.MapFS{"churn.parquet": {Data: data}}}
	f := File{Source: "churn", Path: "churn.parquet", Format: Parquet}
	_, err := readAll(t, fsys, f, Options{BatchRows: 10, SpoolMax: int64(len(data)) - 1})
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "larger than") || !strings.Contains(err.Error(), "PQI_SPOOL_MAX") {
		t.Fatalf("err %v, want a FileError about the spool limit", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
	if res, err := readAll(t, fsys, f, Options{BatchRows: 10, SpoolMax: int64(len(data))}); err != nil || len(res.rows) != 50 {
		t.Errorf("a file exactly at the limit: %v rows, %v", len(res.rows), err)
	}
}

func TestNotParquetIsFileError(t *testing.T) {
	good := parquetFile(t, 3, 100)
	cases := map[string]string{
		"csv named parquet": "a,b\n1,2\n3,4\n5,6\n",
		"truncated":         string(good[:len(good)-10]),
		"tiny":              "PAR1",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := readString(t, "cost_to_serve.parquet", Parquet, body, Options{})
			fe := fileError(t, err)
			if !strings.Contains(fe.Problem, "Parquet file") || fe.Fix == "" {
				t.Errorf("got %#v", fe)
			}
		})
	}
	_, err := readString(t, "x.parquet", Parquet, "a,b\n1,2\n3,4\n5,6\n", Options{})
	if fe := fileError(t, err); fe.Problem != "is not a Parquet file (no PAR1 magic)" {
		t.Errorf("problem = %q", fe.Problem)
	}
}
