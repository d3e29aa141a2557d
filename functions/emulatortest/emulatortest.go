// Package emulatortest runs the BigQuery warehouse against the in-process
// emulator (github.com/goccy/bigquery-emulator) for tests: HTTP on a
// loopback httptest server, the Storage Read API over an in-memory gRPC
// listener; everything it starts stops in t.Cleanup. It also generates a
// small ecosystem and runs the ingest and score jobs on any warehouse.
//
// The emulator's GoogleSQL engine is one WASM runtime per process, whose
// memory grows with every emulator a test binary starts; a package whose
// tests start many of them can exhaust it (a "slice bounds out of range"
// panic inside a job). Tests that need a long-lived emulator go in a
// package of their own (functions/warehouse/local's).
package emulatortest

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/goccy/bigquery-emulator/server"
	"google.golang.org/api/option"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

// Project and Dataset are the emulator's.
const (
	Project = "pqi-test"
	Dataset = "pqi"
)

// Start starts an emulator holding project Project and returns a client
// of it, with the Storage Read API enabled.
func Start(t *testing.T) *bq.Client {
	t.Helper()
	return StartWith(t, nil)
}

// startEmulatorWith is startEmulator with the client's HTTP requests sent
// through transport (nil = the default), for tests that count or break them.
func StartWith(t *testing.T, transport http.RoundTripper) *bq.Client {
	t.Helper()
	ctx := context.Background()
	srv, err := server.New(server.TempStorage)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetProject(Project); err != nil {
		t.Fatal(err)
	}
	ts := srv.TestServer()
	stop := collectGarbage(time.Second)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		stop()
	})
	opts := []option.ClientOption{option.WithEndpoint(ts.URL), option.WithoutAuthentication()}
	if transport != nil {
		opts = append(opts, option.WithHTTPClient(&http.Client{Transport: transport}))
	}
	client, err := bq.NewClient(ctx, Project, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	gopts, err := ts.GRPCClientOptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.EnableStorageReadClient(ctx, gopts...); err != nil {
		t.Fatal(err)
	}
	return client
}

// collectGarbage runs the Go garbage collector every period until stop is
// called. The emulator's GoogleSQL analyser (go-googlesql, C++ compiled to
// Go over a 32-bit wasm heap) frees each query's catalog only from a Go
// finalizer; with a small Go heap the collector seldom runs, the wasm heap
// passes 2 GiB over a long test and its int32 pointers go negative
// ("slice bounds out of range [-2146884320:]"). Collecting on a timer runs
// the finalizers in time. A test-harness workaround for the emulator, not
// for BigQuery.
func collectGarbage(period time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.GC()
			}
		}
	}()
	return func() { close(done) }
}

// Open opens the warehouse in the emulator's dataset Dataset and creates
// its tables.
func Open(t *testing.T, client *bq.Client, alloc memory.Allocator) *bigquery.Warehouse {
	t.Helper()
	w, err := bigquery.New(client, bigquery.Config{
		Project: Project, Dataset: Dataset, TempDir: t.TempDir(),
	}, alloc)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.EnsureSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w
}

// AsOf is the as-of date Generate plants its ecosystem at.
var AsOf, _ = schema.ParseDay("2026-09-30")

// Generate writes a small generated ecosystem (40 partners, 4 quarters,
// 2% bad rows) as CSV exports and returns their directory.
func Generate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "exports")
	_, err := gen.Run(context.Background(), gen.Config{
		Partners: 40, Seed: 11, Quarters: 4, AsOf: AsOf.Time(), DealsPerPartner: 10,
		BadRows: 0.02, Format: "csv", Out: out, TruthDir: filepath.Join(dir, "truth"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Ingest runs the ingest job of exports into w for asOf; clock advances a
// second per reading.
func Ingest(t *testing.T, w warehouse.Warehouse, alloc memory.Allocator, exports string, asOf schema.Day, clock *time.Time) ingest.Summary {
	t.Helper()
	sum, err := ingest.Run(context.Background(),
		ingest.Config{AsOf: asOf, Exports: os.DirFS(exports), ExportsName: exports, CodeVersion: "test", BatchRows: 500},
		ingest.Deps{Deps: warehouse.Deps{Warehouse: w, Alloc: alloc, Now: func() time.Time { *clock = clock.Add(time.Second); return *clock }}})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// Score runs the score job on w for asOf with the default configuration.
func Score(t *testing.T, w warehouse.Warehouse, alloc memory.Allocator, asOf schema.Day, clock *time.Time) score.Summary {
	t.Helper()
	qcfg, err := quality.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := score.Run(context.Background(),
		score.Config{AsOf: asOf, Quality: qcfg, Finance: settings.DefaultFinance(), CodeVersion: "test"},
		score.Deps{Warehouse: w, Alloc: alloc, Now: func() time.Time { *clock = clock.Add(time.Second); return *clock }})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// Rows reads a partition as one line per row (every column's ValueStr but
// the skipped ones), sorted, plus the schema it came in.
func Rows(t *testing.T, w warehouse.Warehouse, table string, asOf schema.Day, skip ...string) (*arrow.Schema, []string) {
	t.Helper()
	return rows(t, w, table, asOf, nil, skip)
}

// ColumnRows is Rows of a read of only the columns named.
func ColumnRows(t *testing.T, w warehouse.Warehouse, table string, asOf schema.Day, columns ...string) (*arrow.Schema, []string) {
	t.Helper()
	return rows(t, w, table, asOf, columns, nil)
}

func rows(t *testing.T, w warehouse.Warehouse, table string, asOf schema.Day, columns, skip []string) (*arrow.Schema, []string) {
	t.Helper()
	rr, err := w.Read(context.Background(), table, asOf, columns...)
	if err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	defer rr.Release()
	var out []string
	for rr.Next() {
		rec := rr.Record()
		if !rec.Schema().Equal(rr.Schema()) {
			t.Fatalf("%s: a record's schema differs from the reader's", table)
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			var b strings.Builder
			for c := 0; c < int(rec.NumCols()); c++ {
				if slices.Contains(skip, rec.ColumnName(c)) {
					continue
				}
				col := rec.Column(c)
				if col.IsNull(r) {
					b.WriteString("NULL")
				} else {
					b.WriteString(col.ValueStr(r))
				}
				b.WriteByte('|')
			}
			out = append(out, b.String())
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return rr.Schema(), out
}

// QueryRows runs SQL and returns its rows as strings.
func QueryRows(t *testing.T, w *bigquery.Warehouse, sql string) ([]string, error) {
	t.Helper()
	rr, err := w.Query(context.Background(), sql, 0)
	if err != nil {
		return nil, err
	}
	defer rr.Release()
	var out []string
	for rr.Next() {
		rec := rr.Record()
		for r := 0; r < int(rec.NumRows()); r++ {
			var cells []string
			for c := 0; c < int(rec.NumCols()); c++ {
				if rec.Column(c).IsNull(r) {
					cells = append(cells, rec.ColumnName(c)+"=NULL")
				} else {
					cells = append(cells, rec.ColumnName(c)+"="+rec.Column(c).ValueStr(r))
				}
			}
			out = append(out, strings.Join(cells, " "))
		}
	}
	return out, rr.Err()
}

// Count is SELECT COUNT(*) of a table.
func Count(t *testing.T, w *bigquery.Warehouse, table string) int64 {
	t.Helper()
	rr, err := w.Query(context.Background(), fmt.Sprintf("SELECT COUNT(*) AS n FROM `{{dataset}}.%s`", table), 0)
	if err != nil {
		t.Fatalf("counting %s: %v", table, err)
	}
	defer rr.Release()
	for rr.Next() {
		if rr.Record().NumRows() > 0 {
			return rr.Record().Column(0).(*array.Int64).Value(0)
		}
	}
	t.Fatalf("counting %s: no row (%v)", table, rr.Err())
	return 0
}

// RunSQLDir runs every file of sql/<dir> and hands its rows to check.
func RunSQLDir(t *testing.T, bq *bigquery.Warehouse, dir string, check func(name string, rows []string)) {
	t.Helper()
	files, err := fs.Glob(pqisql.Files, dir+"/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no SQL in sql/%s: %v", dir, err)
	}
	for _, f := range files {
		text, err := fs.ReadFile(pqisql.Files, f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := QueryRows(t, bq, string(text))
		if err != nil {
			t.Errorf("sql/%s: %v", f, err)
			continue
		}
		check(f, rows)
	}
}
