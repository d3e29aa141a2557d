package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// Two ingests of the same as-of date with different exports, at the same
// time: one publishes, then the other; the tables are wholly one run's,
// and the runs table records both, in the order they published.
func TestConcurrentIngestsOfOneDateTakeTurns(t *testing.T) {
	a, _ := generate(t, 1, 0)
	b, _ := generate(t, 2, 0)
	var f *fixture
	var overlap []string
	var mu sync.Mutex
	f = newFixture(t, local.Options{BeforePublish: func(table string) error {
		// While one run publishes, the other must not be staging: it
		// waits for the date's lock before it begins.
		time.Sleep(20 * time.Millisecond)
		staging, err := os.ReadDir(filepath.Join(f.root, "_staging"))
		mu.Lock()
		defer mu.Unlock()
		if err != nil || len(staging) != 1 {
			overlap = append(overlap, fmt.Sprintf("%s: %d runs staging (%v)", table, len(staging), err))
		}
		return nil
	}})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, dir := range []string{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Run(context.Background(), Config{AsOf: asOf, Exports: os.DirFS(dir), ExportsName: dir, CodeVersion: "test", BatchRows: 100},
				Deps{Deps: warehouse.Deps{Warehouse: f.wh, Alloc: f.alloc}})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if len(overlap) > 0 {
		t.Errorf("the runs published while the other staged: %s", strings.Join(overlap, "; "))
	}
	runs, err := warehouse.ReadRuns(context.Background(), f.wh, asOf)
	if err != nil || len(runs) != 2 {
		t.Fatalf("%d runs recorded (%v), want 2", len(runs), err)
	}
	last := runs[0]
	for _, r := range runs {
		if r.Outcome != "succeeded" {
			t.Errorf("run %s: %s %s", r.RunID, r.Outcome, r.Error)
		}
		if r.FinishedAt.After(last.FinishedAt) {
			last = r
		}
	}
	if runs[0].RunID == runs[1].RunID {
		t.Fatal("the two exports got one run id")
	}
	for _, table := range []string{schema.Partners, schema.Deals, schema.DealPartners, schema.CSAT} {
		for _, row := range f.rows(t, table) {
			if row[schema.RunID] != last.RunID {
				t.Fatalf("%s holds a row of run %s; the last run to publish was %s", table, row[schema.RunID], last.RunID)
			}
		}
	}
}

// A run that finds the date locked past its wait fails with the holder
// named, and its failure is recorded; one that waits long enough publishes.
func TestLockedDateFailsClearlyOrWaits(t *testing.T) {
	dir, _ := generate(t, 3, 0)
	f := newFixture(t, local.Options{LockWait: -1})
	other, err := local.Open(f.root, f.alloc)
	if err != nil {
		t.Fatal(err)
	}
	holder, err := other.Begin(context.Background(), asOf, "sco-holder")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.ingest(dir)
	if !errors.Is(err, local.ErrBusy) || !strings.Contains(err.Error(), "run sco-holder") || !strings.Contains(err.Error(), "fix:") {
		t.Fatalf("got %v, want ErrBusy naming the holder", err)
	}
	runs, _ := warehouse.ReadRuns(context.Background(), f.wh, asOf)
	if len(runs) != 1 || runs[0].Outcome != "failed" || !strings.Contains(runs[0].Error, "sco-holder") {
		t.Fatalf("runs %+v, want the failure recorded", runs)
	}

	waiting, err := local.OpenWith(f.root, f.alloc, local.Options{LockWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		holder.Abort()
	}()
	start := time.Now()
	if _, err := Run(context.Background(), Config{AsOf: asOf, Exports: os.DirFS(dir), ExportsName: dir, CodeVersion: "test"},
		Deps{Deps: warehouse.Deps{Warehouse: waiting, Alloc: f.alloc}}); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 300*time.Millisecond {
		t.Error("the run published while the date was locked")
	}
}

// A run that fails before it reads a row (here: a named pipe where an
// export should be, which would block a reader forever) is recorded too.
func TestEarlyFailureIsRecorded(t *testing.T) {
	dir, _ := generate(t, 4, 0)
	if err := os.Remove(filepath.Join(dir, "csat.csv")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "csat.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, local.Options{})
	done := make(chan error, 1)
	go func() { _, err := f.ingest(dir); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "csat.csv: is not a regular file (a named pipe)") {
			t.Fatalf("got %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("ingest hangs on a named pipe")
	}
	runs, _ := warehouse.ReadRuns(context.Background(), f.wh, asOf)
	if len(runs) != 1 || runs[0].Outcome != "failed" || !strings.Contains(runs[0].Error, "named pipe") {
		t.Fatalf("runs %+v, want the failure recorded", runs)
	}
}
