package local

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	pqschema "github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/schema"
)

func open(t *testing.T, root string, alloc memory.Allocator, opts Options) *Warehouse {
	t.Helper()
	w, err := OpenWith(root, alloc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRoundTripUnicodeNullsDatesDecimals(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	day := asOf(t, "2026-03-31")
	if err := commitTables(t, w, alloc, int32(day), "run-1", 10, 1, schema.Partners, schema.CostToServe); err != nil {
		t.Fatal(err)
	}
	assertTable(t, w, alloc, schema.Partners, int32(day), 10, 1)
	assertTable(t, w, alloc, schema.CostToServe, int32(day), 10, 1)

	got := readTable(t, w, alloc, schema.Partners, int32(day))
	defer got.Release()
	tb := schema.Get(schema.Partners)
	if !got.Schema().Equal(tb.StoredArrow()) {
		t.Errorf("read schema %s, want %s", got.Schema(), tb.StoredArrow())
	}
	names := got.Column(got.Schema().FieldIndices(schema.PartnerName)[0]).(*array.String)
	if names.Value(0) != "Zürich Daten AG 1000000" || names.Value(1) != "東京システム 1000001" {
		t.Errorf("unicode names: %q, %q", names.Value(0), names.Value(1))
	}
	region := got.Column(got.Schema().FieldIndices(schema.Region)[0])
	if !region.IsNull(2) || region.IsNull(1) {
		t.Errorf("nulls of region not kept: %v", region)
	}
}

func TestParquetLogicalTypesAreStandard(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	day := asOf(t, "2026-03-31")
	if err := commitTables(t, w, alloc, int32(day), "run-1", 5, 1, schema.Partners, schema.CostToServe); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	if err := w.AppendRun(context.Background(), warehouse.Run{RunID: "run-1", AsOf: day, Job: "ingest", StartedAt: start, FinishedAt: start.Add(time.Second), Outcome: "succeeded"}); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(w.Root(), schema.Runs, "as_of=2026-03-31", "run-*-run-1.parquet"))
	if len(matches) != 1 {
		t.Fatalf("run files: %v", matches)
	}

	type want struct {
		file, col string
		phys      parquet.Type
		check     func(pqschema.LogicalType) bool
	}
	for _, c := range []want{
		{partFile(w, schema.Partners, int32(day)), schema.JoinedDate, parquet.Types.Int32, func(l pqschema.LogicalType) bool { _, ok := l.(pqschema.DateLogicalType); return ok }},
		{partFile(w, schema.Partners, int32(day)), schema.PartnerName, parquet.Types.ByteArray, func(l pqschema.LogicalType) bool { _, ok := l.(pqschema.StringLogicalType); return ok }},
		{partFile(w, schema.CostToServe, int32(day)), schema.AmountUSD, parquet.Types.Int64, func(l pqschema.LogicalType) bool {
			d, ok := l.(pqschema.DecimalLogicalType)
			return ok && d.Precision() == 18 && d.Scale() == 2
		}},
		{matches[0], schema.StartedAt, parquet.Types.Int64, func(l pqschema.LogicalType) bool {
			ts, ok := l.(pqschema.TimestampLogicalType)
			return ok && ts.IsAdjustedToUTC() && ts.TimeUnit() == pqschema.TimeUnitMicros
		}},
	} {
		pf, err := file.OpenParquetFile(c.file, false)
		if err != nil {
			t.Fatal(err)
		}
		md := pf.MetaData()
		i := md.Schema.ColumnIndexByName(c.col)
		col := md.Schema.Column(i)
		if col.PhysicalType() != c.phys || !c.check(col.LogicalType()) {
			t.Errorf("%s: physical %s logical %s", c.col, col.PhysicalType(), col.LogicalType())
		}
		if md.GetCreatedBy() != "pqi" {
			t.Errorf("created_by = %q", md.GetCreatedBy())
		}
		if len(md.RowGroups) > 0 {
			cc, err := md.RowGroup(0).ColumnChunk(i)
			if err != nil {
				t.Fatal(err)
			}
			if cc.Compression() != compress.Codecs.Snappy {
				t.Errorf("%s compression %s", c.col, cc.Compression())
			}
		}
		pf.Close()
	}
}

func TestRecommitSameRowsIsByteIdentical(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	day := asOf(t, "2026-03-31")
	if err := commitTables(t, w, alloc, int32(day), "run-1", 50, 1, schema.Partners); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(partFile(w, schema.Partners, int32(day)))
	if err != nil {
		t.Fatal(err)
	}
	if err := commitTables(t, w, alloc, int32(day), "run-2", 50, 1, schema.Partners); err != nil {
		t.Fatal(err)
	}
	second, err := os.ReadFile(partFile(w, schema.Partners, int32(day)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("re-commit changed the file: %d vs %d bytes", len(first), len(second))
	}
	files, _ := filepath.Glob(filepath.Join(w.Root(), schema.Partners, "*", "*"))
	if len(files) != 1 {
		t.Errorf("files after two commits: %v", files)
	}
	assertTable(t, w, alloc, schema.Partners, int32(day), 50, 1) // one copy: 50 rows, not 100
	if s := stagingEntries(t, w); len(s) != 0 {
		t.Errorf("staging not cleaned: %v", s)
	}
}

func TestRecommitReplacesAndLeavesOtherPartitions(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	q1, q2 := asOf(t, "2025-12-31"), asOf(t, "2026-03-31")
	for _, c := range []struct {
		day        int32
		n, variant int
	}{{int32(q1), 7, 1}, {int32(q2), 8, 2}, {int32(q2), 5, 3}} {
		if err := commitTables(t, w, alloc, c.day, "r", c.n, c.variant, schema.Deals); err != nil {
			t.Fatal(err)
		}
	}
	assertTable(t, w, alloc, schema.Deals, int32(q1), 7, 1)
	assertTable(t, w, alloc, schema.Deals, int32(q2), 5, 3)
	parts, err := w.Partitions(context.Background(), schema.Deals)
	if err != nil || len(parts) != 2 || parts[0] != q1 || parts[1] != q2 {
		t.Errorf("partitions = %v, %v", parts, err)
	}
	// A table not written in a Tx is untouched by its Commit.
	if err := commitTables(t, w, alloc, int32(q2), "r", 3, 4, schema.CSAT); err != nil {
		t.Fatal(err)
	}
	assertTable(t, w, alloc, schema.Deals, int32(q2), 5, 3)
}

func TestEmptyWriterPublishesEmptyPartition(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	day := asOf(t, "2026-03-31")
	if err := commitTables(t, w, alloc, int32(day), "r", 4, 1, schema.Churn); err != nil {
		t.Fatal(err)
	}
	if err := commitTables(t, w, alloc, int32(day), "r", 0, 1, schema.Churn); err != nil {
		t.Fatal(err)
	}
	assertTable(t, w, alloc, schema.Churn, int32(day), 0, 1)
	rr, err := w.Read(context.Background(), schema.Churn, day)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	tb := schema.Get(schema.Churn)
	if !rr.Schema().Equal(tb.StoredArrow()) {
		t.Errorf("empty partition schema %s", rr.Schema())
	}
}

// threeTables are written in this order, so the 2nd is DealPartners.
var threeTables = []string{schema.Partners, schema.DealPartners, schema.CostToServe}

func TestFailedPublishLeavesEveryTableOld(t *testing.T) {
	for _, noExchange := range []bool{false, true} {
		t.Run(map[bool]string{false: "exchange", true: "rename-aside"}[noExchange], func(t *testing.T) {
			alloc := arrowtest.Alloc(t)
			root := t.TempDir()
			boom := errors.New("disk on fire")
			var seen []string
			w := open(t, root, alloc, Options{noExchange: noExchange, BeforePublish: func(table string) error {
				seen = append(seen, table)
				if table == threeTables[1] {
					return boom
				}
				return nil
			}})
			day := asOf(t, "2026-03-31")
			// The previous data goes in through a warehouse without the hook.
			old := open(t, root, alloc, Options{noExchange: noExchange})
			if err := commitTables(t, old, alloc, int32(day), "old", 6, 1, threeTables...); err != nil {
				t.Fatal(err)
			}
			err := commitTables(t, w, alloc, int32(day), "new", 9, 2, threeTables...)
			if !errors.Is(err, boom) {
				t.Fatalf("commit error = %v, want %v", err, boom)
			}
			if strings.Join(seen, ",") != "partners,deal_partners" {
				t.Errorf("hook saw %v", seen)
			}
			for _, tb := range threeTables {
				assertTable(t, w, alloc, tb, int32(day), 6, 1) // all old, at once
			}
			again := open(t, root, alloc, Options{})
			for _, tb := range threeTables {
				assertTable(t, again, alloc, tb, int32(day), 6, 1) // and after recovery
			}
			if s := stagingEntries(t, again); len(s) != 0 {
				t.Errorf("staging left: %v", s)
			}
		})
	}
}

func TestFailedFirstPublishOfNewTableRollsBack(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	root := t.TempDir()
	w := open(t, root, alloc, Options{BeforePublish: func(table string) error {
		if table == schema.DealPartners {
			return errors.New("stop")
		}
		return nil
	}})
	day := asOf(t, "2026-03-31")
	if err := commitTables(t, w, alloc, int32(day), "new", 3, 1, threeTables...); err == nil {
		t.Fatal("commit succeeded")
	}
	for _, tb := range threeTables {
		if _, err := w.Read(context.Background(), tb, day); !errors.Is(err, warehouse.ErrNotFound) {
			t.Errorf("%s: a rolled-back first publish must leave no partition, got %v", tb, err)
		}
	}
}

func TestStagingWithoutJournalIsDiscarded(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	root := t.TempDir()
	w := open(t, root, alloc, Options{})
	day := asOf(t, "2026-03-31")
	if err := commitTables(t, w, alloc, int32(day), "old", 4, 1, schema.Partners); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tx, err := w.Begin(ctx, day, "dies")
	if err != nil {
		t.Fatal(err)
	}
	tw, err := tx.Writer(schema.Partners)
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(t, alloc, schema.Partners, 9, 2)
	if err := tw.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}

	// While the Tx lives, recovery leaves its staging alone.
	open(t, root, alloc, Options{})
	if s := stagingEntries(t, w); len(s) != 1 {
		t.Fatalf("live staging removed: %v", s)
	}
	// The process dies before Commit: the kernel drops its lock.
	tx.(*localTx).lock.unlock()
	again := open(t, root, alloc, Options{})
	if s := stagingEntries(t, again); len(s) != 0 {
		t.Errorf("dead staging kept: %v", s)
	}
	assertTable(t, again, alloc, schema.Partners, int32(day), 4, 1)
}

// crashAt runs a Commit that dies (panics, so nothing runs after it) just
// before publishing table, then drops the Tx's lock as the dying process would.
func crashAt(t *testing.T, w *Warehouse, alloc memory.Allocator, day int32, table string, n, variant int, tables ...string) {
	t.Helper()
	ctx := context.Background()
	tx, err := w.Begin(ctx, schema.Day(day), "crash")
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		tw, err := tx.Writer(tb)
		if err != nil {
			t.Fatal(err)
		}
		rec := makeRecord(t, alloc, tb, n, variant)
		err = tw.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("commit did not crash")
			}
		}()
		tx.Commit(ctx)
	}()
	tx.(*localTx).lock.unlock()
}

func TestCrashMidPublishRollsForward(t *testing.T) {
	for _, noExchange := range []bool{false, true} {
		t.Run(map[bool]string{false: "exchange", true: "rename-aside"}[noExchange], func(t *testing.T) {
			alloc := arrowtest.Alloc(t)
			root := t.TempDir()
			day := asOf(t, "2026-03-31")
			w := open(t, root, alloc, Options{noExchange: noExchange})
			if err := commitTables(t, w, alloc, int32(day), "old", 6, 1, threeTables...); err != nil {
				t.Fatal(err)
			}
			crashing := open(t, root, alloc, Options{noExchange: noExchange, BeforePublish: func(table string) error {
				if table == threeTables[1] {
					panic("power cut")
				}
				return nil
			}})
			crashAt(t, crashing, alloc, int32(day), threeTables[1], 9, 2, threeTables...)

			// On disk now: 1st table new, 2nd and 3rd old, journal present.
			assertTable(t, w, alloc, threeTables[0], int32(day), 9, 2)
			assertTable(t, w, alloc, threeTables[1], int32(day), 6, 1)
			staging := stagingEntries(t, w)
			if len(staging) != 1 {
				t.Fatalf("staging: %v", staging)
			}
			stagingPath := filepath.Join(root, stagingDir, staging[0])
			if _, err := os.Stat(filepath.Join(stagingPath, journalName)); err != nil {
				t.Fatalf("no journal: %v", err)
			}
			if noExchange {
				// Die half-way through the 2nd table's fallback swap too: the
				// old partition renamed aside, the new one not yet in.
				part := "as_of=2026-03-31"
				aside := filepath.Join(stagingPath, "_old", threeTables[1], part)
				if err := os.MkdirAll(filepath.Dir(aside), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(filepath.Join(root, threeTables[1], part), aside); err != nil {
					t.Fatal(err)
				}
			}

			again := open(t, root, alloc, Options{noExchange: noExchange})
			for _, tb := range threeTables {
				assertTable(t, again, alloc, tb, int32(day), 9, 2) // all new
			}
			if s := stagingEntries(t, again); len(s) != 0 {
				t.Errorf("staging left: %v", s)
			}
			// Recovery is idempotent: a second open changes nothing.
			third := open(t, root, alloc, Options{})
			assertTable(t, third, alloc, threeTables[2], int32(day), 9, 2)
		})
	}
}

func TestCrashAfterAllSwappedBeforeCleanup(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	root := t.TempDir()
	day := asOf(t, "2026-03-31")
	w := open(t, root, alloc, Options{})
	if err := commitTables(t, w, alloc, int32(day), "old", 2, 1, threeTables...); err != nil {
		t.Fatal(err)
	}
	// Crash before the 3rd table, publish it by hand, and leave the journal:
	// the state of a Commit that died after its last swap, before cleanup.
	crashing := open(t, root, alloc, Options{BeforePublish: func(table string) error {
		if table == threeTables[2] {
			panic("power cut")
		}
		return nil
	}})
	crashAt(t, crashing, alloc, int32(day), threeTables[2], 3, 2, threeTables...)
	staging := stagingEntries(t, w)
	dir := filepath.Join(root, stagingDir, staging[0])
	j, ok, err := readJournal(dir)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	// Publish the last table as Commit would have, then "crash" again
	// before the journal is removed.
	if _, err := w.publish(filepath.Join(dir, threeTables[2], "as_of=2026-03-31"), filepath.Join(root, threeTables[2], "as_of=2026-03-31"), filepath.Join(dir, "_old", "x")); err != nil {
		t.Fatal(err)
	}
	if err := w.rollForward(dir, j); err != nil {
		t.Fatalf("roll forward of a finished publish must be a no-op: %v", err)
	}
	again := open(t, root, alloc, Options{})
	for _, tb := range threeTables {
		assertTable(t, again, alloc, tb, int32(day), 3, 2)
	}
}

func TestAppendRunAndRuns(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	ctx := context.Background()
	q1, q2 := asOf(t, "2025-12-31"), asOf(t, "2026-03-31")
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 123456789, time.UTC)
	runs := []warehouse.Run{
		{RunID: "b", AsOf: q2, Job: "score", StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour + 2*time.Second), Outcome: "failed", Error: "boom", CodeVersion: "v1", ConfigDigest: "d", Inputs: "[]"},
		{RunID: "a", AsOf: q2, Job: "ingest", StartedAt: t0, FinishedAt: t0.Add(1500 * time.Millisecond), Outcome: "succeeded", CodeVersion: "v1", ConfigDigest: "d", Inputs: `[{"file":"Zürich.csv"}]`, TablesWritten: []string{schema.Partners, schema.Deals}},
		{RunID: "a", AsOf: q1, Job: "ingest", StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour), Outcome: "succeeded", CodeVersion: "v1", ConfigDigest: "d", Inputs: "[]",
			Notes: []string{"no csat export: csat not measured", `a "quoted" note`}},
	}
	for _, r := range runs {
		if err := w.AppendRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AppendRun(ctx, runs[0]); err == nil {
		t.Error("appending the very same run twice must fail, not overwrite")
	}
	got, err := warehouse.AllRuns(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d runs", len(got))
	}
	// started_at then run_id: a@t0, a@t0+1h (q1), b@t0+1h
	order := []string{}
	for _, r := range got {
		order = append(order, r.RunID+"/"+r.AsOf.String())
	}
	if strings.Join(order, " ") != "a/2026-03-31 a/2025-12-31 b/2026-03-31" {
		t.Errorf("order %v", order)
	}
	a := got[0]
	if !a.StartedAt.Equal(t0.Truncate(time.Microsecond)) || a.Error != "" || a.Inputs != runs[1].Inputs ||
		strings.Join(a.TablesWritten, ",") != "partners,deals" || a.Job != "ingest" {
		t.Errorf("run a = %+v", a)
	}
	if got[2].Error != "boom" || got[2].TablesWritten != nil || got[2].Notes != nil {
		t.Errorf("run b = %+v", got[2])
	}
	if n := got[1].Notes; len(n) != 2 || n[1] != runs[2].Notes[1] {
		t.Errorf("notes read back as %q", n)
	}
	// Two rows in the same as-of partition: appended, not replaced.
	rr, err := w.Read(ctx, schema.Runs, q2)
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for rr.Next() {
		rows += rr.Record().NumRows()
		dur := rr.Record().Column(rr.Schema().FieldIndices(schema.DurationMS)[0]).(*array.Int64)
		if dur.Value(0) != 1500 && dur.Value(0) != 2000 {
			t.Errorf("duration_ms %d", dur.Value(0))
		}
	}
	rr.Release()
	if rows != 2 {
		t.Errorf("runs rows in %s: %d", q2.String(), rows)
	}
}

func TestReadMissingPartitionIsNotFound(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	_, err := w.Read(context.Background(), schema.Partners, asOf(t, "2026-03-31"))
	if !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("err = %v", err)
	}
	if _, err := w.Read(context.Background(), "../etc", 0); err == nil || errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("unknown table: %v", err)
	}
	if parts, err := w.Partitions(context.Background(), schema.Partners); err != nil || len(parts) != 0 {
		t.Errorf("partitions of an unwritten table: %v %v", parts, err)
	}
}

func TestRejectsBadNamesAndSchemas(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	ctx := context.Background()
	day := asOf(t, "2026-03-31")
	if _, err := w.Begin(ctx, day, "../../x"); err == nil {
		t.Error("bad run id accepted")
	}
	if err := w.AppendRun(ctx, warehouse.Run{RunID: "a/b", StartedAt: time.Now(), FinishedAt: time.Now()}); err == nil {
		t.Error("bad run id accepted by AppendRun")
	}
	tx, err := w.Begin(ctx, day, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	for _, bad := range []string{"../partners", "nope", schema.Runs} {
		if _, err := tx.Writer(bad); err == nil {
			t.Errorf("Writer(%q) accepted", bad)
		}
	}
	tw, err := tx.Writer(schema.Partners)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Writer(schema.Partners); err == nil {
		t.Error("second writer for the same table accepted")
	}
	// Wrong table's record: names the first differing column.
	rec := makeRecord(t, alloc, schema.Deals, 2, 1)
	err = tw.Write(rec)
	rec.Release()
	if err == nil || !strings.Contains(err.Error(), schema.PartnerID) {
		t.Errorf("mismatched schema: %v", err)
	}
	// Right names, wrong type.
	tb := schema.Get(schema.Partners)
	fields := tb.StoredArrow().Fields()
	i := tb.StoredArrow().FieldIndices(schema.TotalStaff)[0]
	fields[i].Type = arrow.PrimitiveTypes.Int32
	b := array.NewRecordBuilder(alloc, arrow.NewSchema(fields, nil))
	rec = b.NewRecord()
	b.Release()
	err = tw.Write(rec)
	rec.Release()
	if err == nil || !strings.Contains(err.Error(), schema.TotalStaff) {
		t.Errorf("wrong type: %v", err)
	}
	// A required column with a null.
	b = array.NewRecordBuilder(alloc, tb.StoredArrow())
	for j := range fields {
		b.Field(j).AppendNull()
	}
	rec = b.NewRecord()
	b.Release()
	err = tw.Write(rec)
	rec.Release()
	if err == nil || !strings.Contains(err.Error(), schema.PartnerID) {
		t.Errorf("null in required column: %v", err)
	}
	if err := tx.Abort(); err != nil {
		t.Fatal(err)
	}
	if s := stagingEntries(t, w); len(s) != 0 {
		t.Errorf("abort left staging: %v", s)
	}
	if err := tx.Commit(ctx); err == nil {
		t.Error("commit after abort succeeded")
	}
}

func TestWriterMemoryDoesNotGrow(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	ctx := context.Background()
	day := asOf(t, "2026-03-31")
	tx, err := w.Begin(ctx, day, "big")
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	tw, err := tx.Writer(schema.CostToServe)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 8 << 20
	peak, firstHalfPeak := 0, 0
	for i := 0; i < 200; i++ {
		if i == 100 {
			firstHalfPeak = peak
		}
		rec := makeRecord(t, alloc, schema.CostToServe, 10_000, i)
		err := tw.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
		peak = max(peak, alloc.CurrentAlloc())
		if alloc.CurrentAlloc() > limit {
			t.Fatalf("after %d writes the writer holds %d bytes", i+1, alloc.CurrentAlloc())
		}
	}
	t.Logf("peak writer memory %.1f MiB", float64(peak)/(1<<20))
	if peak > firstHalfPeak+firstHalfPeak/10 {
		t.Errorf("writer memory grew: peak %d in writes 1-100, %d overall", firstHalfPeak, peak)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	pf, err := file.OpenParquetFile(partFile(w, schema.CostToServe, int32(day)), false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if pf.NumRows() != 2_000_000 || pf.NumRowGroups() != 16 {
		t.Errorf("rows %d, row groups %d", pf.NumRows(), pf.NumRowGroups())
	}
	// a reader announces the row count it then returns
	rr, err := w.Read(ctx, schema.CostToServe, day)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	sized, ok := rr.(warehouse.Sized)
	if !ok {
		t.Fatal("the Local reader does not announce its row count")
	}
	announced := sized.NumRows()
	var read int64
	for rr.Next() {
		read += rr.Record().NumRows()
	}
	if announced != 2_000_000 || read != announced {
		t.Errorf("reader announced %d rows and returned %d, want 2000000", announced, read)
	}
}

// A column whose dictionary would outgrow its page limit (here 300k unique
// partner names in one row group) must still give byte-identical files:
// arrow-go (v17 and v18.9) writes a fallen-back column's encoding stats in map order, so
// such columns are written without a dictionary.
func TestHighCardinalityColumnsAreByteIdentical(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	tb := schema.Get(schema.Partners)
	b := array.NewRecordBuilder(alloc, tb.StoredArrow())
	defer b.Release()
	const n = 300_000
	for i := 0; i < n; i++ {
		for ci, c := range tb.Stored() {
			fb := b.Field(ci)
			switch {
			case c.Name == schema.RunID || c.Name == schema.SourceFile: // one per load and file
				fb.(*array.StringBuilder).Append("ing-0123456789abcdef0123")
			case c.Kind == schema.String:
				fb.(*array.StringBuilder).Append(fmt.Sprintf("%s-%08d-Zürich Daten AG", c.Name, i))
			case c.Kind == schema.Enum:
				fb.(*array.StringBuilder).Append(c.Enum[i%len(c.Enum)])
			case c.Kind == schema.Date:
				fb.(*array.Date32Builder).Append(arrow.Date32(19000 + i%500))
			case c.Kind == schema.Int:
				fb.(*array.Int64Builder).Append(int64(i % 7))
			}
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	var sums []string
	for i := 0; i < 4; i++ {
		path := filepath.Join(t.TempDir(), "p.parquet")
		pf, err := warehouse.CreateParquet(path, tb, alloc)
		if err != nil {
			t.Fatal(err)
		}
		if err := pf.Write(rec); err != nil {
			t.Fatal(err)
		}
		if err := pf.Close(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, fmt.Sprintf("%x", sha256.Sum256(data)))
	}
	for _, s := range sums[1:] {
		if s != sums[0] {
			t.Fatalf("the same %d rows written four times gave different files: %v", n, sums)
		}
	}
}

// A runs partition gains rows across versions: a file written before a
// nullable column existed reads with that column null, beside new files.
func TestRunsReadAcrossSchemaVersions(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	ctx := context.Background()
	q := asOf(t, "2026-03-31")
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	old := warehouse.Run{RunID: "old", AsOf: q, Job: "ingest", StartedAt: t0, FinishedAt: t0.Add(time.Second), Outcome: "succeeded", CodeVersion: "v0", ConfigDigest: "d", Inputs: "[]"}
	// the runs table as it was before notes, replaced_run_id and config
	before := schema.Get(schema.Runs)
	before.Columns = slices.Clone(before.Columns[:len(before.Columns)-3])
	if before.Columns[len(before.Columns)-1].Name != schema.TablesWritten {
		t.Fatalf("the runs table's last columns moved: %v", before.Names())
	}
	rec, err := warehouse.RunRecord(alloc, before.StoredArrow(), old)
	if err == nil {
		dir, _ := w.partitionDir(schema.Runs, q)
		if err = os.MkdirAll(dir, 0o755); err == nil {
			var pf *warehouse.ParquetFile
			if pf, err = warehouse.CreateParquet(filepath.Join(dir, "run-1-old.parquet"), before, alloc); err == nil {
				err = errors.Join(pf.Write(rec), pf.Close())
			}
		}
		rec.Release()
	}
	if err != nil {
		t.Fatal(err)
	}
	now := old
	now.RunID, now.StartedAt, now.FinishedAt, now.Notes, now.Replaced = "new", t0.Add(time.Hour), t0.Add(time.Hour+time.Second), []string{"a note"}, "old"
	if err := w.AppendRun(ctx, now); err != nil {
		t.Fatal(err)
	}
	got, err := warehouse.AllRuns(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].RunID != "old" || got[0].Notes != nil || got[0].Replaced != "" ||
		got[1].RunID != "new" || len(got[1].Notes) != 1 || got[1].Replaced != "old" {
		t.Fatalf("runs across versions: %+v", got)
	}
}

// A publish that finds another run publishing the same as-of date says
// so while it waits, and reports whose snapshot it then replaced.
func TestPublishSaysItWaitedAndWhoseSnapshotItReplaced(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w, err := OpenWith(t.TempDir(), alloc, Options{LockWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	day := asOf(t, "2026-09-30")
	first, err := w.Begin(ctx, day, "first")
	if err != nil {
		t.Fatal(err)
	}
	var logged syncBuffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	type result struct {
		pub warehouse.Published
		err error
	}
	done := make(chan result)
	go func() {
		pub, err := warehouse.Publish(ctx, w, day, "second", schema.Partners, log, func(tx warehouse.Tx) error { return nil })
		done <- result{pub, err}
	}()
	for !strings.Contains(logged.String(), "waiting for it to finish") {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(logged.String(), "holder=\"run first (process") {
		t.Errorf("the wait does not name the holder: %s", logged.String())
	}
	tw, err := first.Writer(schema.Partners)
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(t, alloc, schema.Partners, 3, 0) // run_id of every row: run_id-<n>
	if err := tw.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.pub.Replaced != "run_id-0" || !strings.HasPrefix(r.pub.WaitedFor, "run first (process") || r.pub.Waited <= 0 {
		t.Errorf("published %+v, want replaced run_id-0, waited for run first", r.pub)
	}
	// Nothing held: no wait, and the first publish of a date replaces nothing.
	pub, err := warehouse.Publish(ctx, w, asOf(t, "2026-06-30"), "third", schema.Partners, log, func(tx warehouse.Tx) error { return nil })
	if err != nil || pub != (warehouse.Published{}) {
		t.Errorf("a free, empty date: %+v, %v", pub, err)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A read of some columns returns those, in the stored order, equal to the
// same columns of a whole read; a column a file predates reads as null,
// and a column the table lacks is an error naming it.
func TestReadOfSomeColumns(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	w := open(t, t.TempDir(), alloc, Options{})
	ctx := context.Background()
	day := int32(asOf(t, "2026-03-31"))
	if err := commitTables(t, w, alloc, day, "ing-1", 70_000, 1, schema.Deals); err != nil {
		t.Fatal(err)
	}
	whole := readTable(t, w, alloc, schema.Deals, day)
	defer whole.Release()
	rr, err := w.Read(ctx, schema.Deals, schema.Day(day), schema.RunID, schema.AmountUSD, schema.DealID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range rr.Schema().Fields() {
		names = append(names, f.Name)
	}
	if want := []string{schema.DealID, schema.AmountUSD, schema.RunID}; !slices.Equal(names, want) {
		t.Fatalf("columns %v, want %v", names, want)
	}
	var recs []arrow.Record
	for rr.Next() {
		if got := rr.Record().NumCols(); got != 3 {
			t.Fatalf("a record of %d columns, want 3", got)
		}
		rr.Record().Retain()
		recs = append(recs, rr.Record())
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	got := concat(t, alloc, rr.Schema(), recs)
	rr.Release()
	for _, r := range recs {
		r.Release()
	}
	defer got.Release()
	for i, name := range names {
		if !array.Equal(got.Column(i), whole.Column(whole.Schema().FieldIndices(name)[0])) {
			t.Errorf("column %s differs from the whole read's", name)
		}
	}
	if _, err := w.Read(ctx, schema.Deals, schema.Day(day), schema.DealID, "dael_id"); err == nil || !strings.Contains(err.Error(), "dael_id") {
		t.Errorf("an unknown column: error %v, want one naming it", err)
	}

	// runs written before notes existed: notes read null, the rest as written
	q := asOf(t, "2026-06-30")
	before := schema.Get(schema.Runs)
	before.Columns = slices.Clone(before.Columns[:len(before.Columns)-3])
	t0 := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	rec, err := warehouse.RunRecord(alloc, before.StoredArrow(), warehouse.Run{RunID: "old", AsOf: q, Job: "ingest", StartedAt: t0, FinishedAt: t0, Outcome: "succeeded", CodeVersion: "v0", ConfigDigest: "d", Inputs: "[]"})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := w.partitionDir(schema.Runs, q)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pf, err := warehouse.CreateParquet(filepath.Join(dir, "run-1-old.parquet"), before, alloc)
	if err == nil {
		err = errors.Join(pf.Write(rec), pf.Close())
	}
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	for _, cols := range [][]string{{schema.Notes, schema.RunID}, {schema.Notes}} {
		rr, err := w.Read(ctx, schema.Runs, q, cols...)
		if err != nil {
			t.Fatal(err)
		}
		if !rr.Next() {
			t.Fatalf("%v: no rows: %v", cols, rr.Err())
		}
		r := rr.Record()
		notes := r.Column(r.Schema().FieldIndices(schema.Notes)[0])
		if r.NumRows() != 1 || int(r.NumCols()) != len(cols) || !notes.IsNull(0) {
			t.Errorf("%v: %d rows, %d columns, notes null %v; want 1 row, its notes null", cols, r.NumRows(), r.NumCols(), notes.IsNull(0))
		}
		if len(cols) == 2 && r.Column(r.Schema().FieldIndices(schema.RunID)[0]).(*array.String).Value(0) != "old" {
			t.Errorf("run_id %v, want old", r.Column(1))
		}
		rr.Release()
	}
}
