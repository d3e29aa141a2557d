package score

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

var asOf, _ = schema.ParseDay("2026-09-30")

// ecosystem is a generated, ingested and scored ecosystem.
type ecosystem struct {
	root  string
	wh    *local.Warehouse
	alloc *memory.CheckedAllocator
	sum   Summary
	now   func() time.Time
}

func clock() func() time.Time {
	t := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func newEcosystem(t *testing.T, partners int, seed uint64, dealsPer float64) *ecosystem {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	e := &ecosystem{root: filepath.Join(dir, "wh"), now: clock()}
	out := filepath.Join(dir, "exports")
	if _, err := gen.Run(ctx, gen.Config{Partners: partners, Seed: seed, Quarters: 8, AsOf: asOf.Time(),
		DealsPerPartner: dealsPer, Format: "csv", Out: out, TruthDir: filepath.Join(dir, "truth")}); err != nil {
		t.Fatal(err)
	}
	e.alloc = memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { e.alloc.AssertSize(t, 0) })
	wh, err := local.Open(e.root, e.alloc)
	if err != nil {
		t.Fatal(err)
	}
	e.wh = wh
	if _, err := ingest.Run(ctx, ingest.Config{AsOf: asOf, Exports: os.DirFS(out), ExportsName: out, CodeVersion: "test"},
		ingest.Deps{Deps: warehouse.Deps{Warehouse: wh, Alloc: e.alloc, Now: e.now}}); err != nil {
		t.Fatal(err)
	}
	e.sum = e.score(t)
	return e
}

func (e *ecosystem) score(t *testing.T) Summary {
	t.Helper()
	cfg, err := quality.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(context.Background(), Config{AsOf: asOf, Quality: cfg, Finance: settings.DefaultFinance(), CodeVersion: "test"},
		Deps{Warehouse: e.wh, Alloc: e.alloc, Now: e.now})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// table reads a scored table into columns by name: floats (null = NaN) and strings.
func (e *ecosystem) table(t *testing.T, name string) (map[string][]float64, map[string][]string) {
	t.Helper()
	rr, err := e.wh.Read(context.Background(), name, asOf)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	fl, st, err := arrowtest.Columns(rr)
	if err != nil {
		t.Fatal(err)
	}
	return fl, st
}

func fileHashes(t *testing.T, root string, tables ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tb := range tables {
		files, _ := filepath.Glob(filepath.Join(root, tb, "as_of=*", "*.parquet"))
		if len(files) == 0 {
			t.Fatalf("no files for %s", tb)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := sha256.Sum256(b)
			out[f] = hex.EncodeToString(s[:])
		}
	}
	return out
}

// Re-scoring the same inputs with the same configuration writes
// byte-identical tables under the same run id; and the explained change adds
// up for every partner.
func TestRescoreIsByteIdenticalAndChangeAddsUp(t *testing.T) {
	e := newEcosystem(t, 400, 3, 60)
	first := fileHashes(t, e.root, e.sum.Tables...)
	if len(e.sum.Tables) != len(scoredTables) || len(first) < len(scoredTables) {
		t.Fatalf("score published %v (%d files), want the %d scored tables", e.sum.Tables, len(first), len(scoredTables))
	}
	again := e.score(t)
	if again.RunID != e.sum.RunID || !strings.HasPrefix(again.RunID, "sco-") {
		t.Fatalf("run ids %s and %s", e.sum.RunID, again.RunID)
	}
	second := fileHashes(t, e.root, e.sum.Tables...)
	if len(first) != len(second) {
		t.Fatal("different files")
	}
	for f, h := range first {
		if second[f] != h {
			t.Errorf("%s changed on re-scoring", f)
		}
	}
	fl, _ := e.table(t, schema.PartnerQuality)
	explained := 0
	for i, change := range fl[schema.PQIChange] {
		if math.IsNaN(change) {
			continue
		}
		sum := fl[schema.GuardrailChange][i] + fl[schema.BorrowedChange][i]
		for c := range schema.Component(schema.NumComponents) {
			sum += fl[schema.ComponentColumn(c, schema.SufChange)][i]
		}
		if math.Abs(sum-change) > 1e-9 {
			t.Fatalf("row %d: contributions sum to %.12g, change %.12g", i, sum, change)
		}
		if d := fl[schema.PQI][i] - fl[schema.PreviousPQI][i]; math.Abs(d-change) > 1e-9 {
			t.Fatalf("row %d: pqi_change %g but pqi - previous_pqi = %g", i, change, d)
		}
		explained++
	}
	if explained < 100 {
		t.Fatalf("only %d partners have an explained change", explained)
	}
	if e.sum.Interventions == 0 {
		t.Error("no interventions flagged in a 400-partner ecosystem")
	}
	runs, err := warehouse.AllRuns(context.Background(), e.wh)
	if err != nil {
		t.Fatal(err)
	}
	var scoreRuns int
	for _, r := range runs {
		if r.Job == "score" && r.Outcome == "succeeded" && r.ConfigDigest == e.sum.ConfigDigest {
			scoreRuns++
		}
	}
	if scoreRuns != 2 {
		t.Errorf("%d succeeded score runs recorded, want 2", scoreRuns)
	}
}
