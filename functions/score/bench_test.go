package score

import (
	"context"
	"log/slog"
	"os"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/transforms/quality"
)

// BenchmarkScoreWarehouse scores an already ingested warehouse named by
// PQI_BENCH_WAREHOUSE (as of 2026-09-30), e.g. the 40,000-partner,
// 10-million-deal ecosystem of docs/methodology.md. It reports, never asserts.
func BenchmarkScoreWarehouse(b *testing.B) {
	root := os.Getenv("PQI_BENCH_WAREHOUSE")
	if root == "" {
		b.Skip("set PQI_BENCH_WAREHOUSE to an ingested warehouse")
	}
	wh, err := local.Open(root, memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := quality.DefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		in, err := read(ctx, Config{AsOf: asOf, Finance: settings.DefaultFinance()}, Deps{Warehouse: wh, Alloc: memory.DefaultAllocator, Log: slog.New(slog.DiscardHandler)})
		in.release()
		if err != nil {
			b.Fatal(err)
		}
		res, err := quality.Compute(memory.DefaultAllocator, in.snap, quality.Params{AsOf: asOf, RunID: "sco-bench", Config: cfg})
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
	}
}
