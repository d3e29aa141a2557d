package sources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/partnerq/pqi/transforms/validate"
)

// result is everything read from one file.
type result struct {
	header  []string
	cells   [][]*string // nil = null
	rows    []validate.Line
	batches []int // rows per record
	ignored []string
	sha     string
	read    int64
	size    int64
	count   int64
}

// readAll opens f in fsys and reads it to the end with a checked allocator,
// failing the test if any Arrow memory is left after Close. The error is the
// one from Open or, failing that, from Err.
func readAll(t *testing.T, fsys fs.FS, f File, opts Options) (result, error) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer func() {
		if n := alloc.CurrentAlloc(); n != 0 {
			t.Errorf("%d bytes of Arrow memory not released", n)
		}
	}()
	opts.Alloc = alloc
	r, err := Open(context.Background(), fsys, f, opts)
	if err != nil {
		return result{}, err
	}
	defer func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := r.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	}()
	res := result{header: r.Header()}
	for r.Next() {
		rec := r.Record()
		rows := r.Rows()
		if int(rec.NumRows()) != len(rows) {
			t.Fatalf("record has %d rows, Rows() %d", rec.NumRows(), len(rows))
		}
		if int(rec.NumCols()) != len(res.header) {
			t.Fatalf("record has %d columns, header %d", rec.NumCols(), len(res.header))
		}
		for i, fld := range rec.Schema().Fields() {
			if fld.Name != res.header[i] {
				t.Fatalf("column %d is %q, header says %q", i, fld.Name, res.header[i])
			}
		}
		res.batches = append(res.batches, len(rows))
		for i := range rows {
			row := make([]*string, rec.NumCols())
			for c := range row {
				col := rec.Column(c).(*array.String)
				if col.IsValid(i) {
					v := col.Value(i)
					row[c] = &v
				}
			}
			res.cells = append(res.cells, row)
		}
		res.rows = append(res.rows, rows...)
	}
	if err := r.Err(); err != nil {
		return res, err
	}
	res.sha = r.SHA256()
	res.read, res.size = r.Progress()
	res.count = r.RowsRead()
	res.ignored = r.Ignored()
	return res, nil
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

// readString reads one file given as text.
func readString(t *testing.T, name string, format Format, body string, opts Options) (result, error) {
	t.Helper()
	return readAll(t, mapFS(map[string]string{name: body}), File{Source: "deals", Path: name, Format: format, Size: int64(len(body))}, opts)
}

func mustRead(t *testing.T, name string, format Format, body string, opts Options) result {
	t.Helper()
	res, err := readString(t, name, format, body, opts)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return res
}

// fileError asserts err is a *FileError.
func fileError(t *testing.T, err error) *FileError {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *FileError, got %T: %v", err, err)
	}
	return fe
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func p(s string) *string { return &s }

// assertCells compares cells with want, where nil is null.
func assertCells(t *testing.T, got, want [][]*string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d: got %d cells, want %d", i, len(got[i]), len(want[i]))
		}
		for c := range want[i] {
			g, w := got[i][c], want[i][c]
			switch {
			case g == nil && w == nil:
			case g == nil:
				t.Errorf("row %d cell %d: got null, want %q", i, c, *w)
			case w == nil:
				t.Errorf("row %d cell %d: got %q, want null", i, c, *g)
			case *g != *w:
				t.Errorf("row %d cell %d: got %q, want %q", i, c, *g, *w)
			}
		}
	}
}

// ctxFS records the context its files were opened under.
type ctxFS struct {
	fstest.MapFS
	got context.Context
}

func (c *ctxFS) OpenContext(ctx context.Context, name string) (fs.File, error) {
	c.got = ctx
	return c.MapFS.Open(name)
}

func TestOpenUsesTheContext(t *testing.T) {
	type key struct{}
	fsys := &ctxFS{MapFS: fstest.MapFS{"deals.csv": {Data: []byte("deal_id\nD1\n")}}}
	ctx := context.WithValue(context.Background(), key{}, "run")
	r, err := Open(ctx, fsys, File{Source: "deals", Path: "deals.csv", Format: CSV}, Options{Alloc: memory.NewGoAllocator()})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if fsys.got == nil || fsys.got.Value(key{}) != "run" {
		t.Error("a ContextFS was not opened under the run's context")
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(cancelled, fsys, File{Source: "deals", Path: "deals.csv", Format: CSV}, Options{Alloc: memory.NewGoAllocator()}); !errors.Is(err, context.Canceled) {
		t.Errorf("opening under a cancelled context: %v", err)
	}
}
