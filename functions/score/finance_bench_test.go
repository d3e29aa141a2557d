package score

import (
	"context"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/attribution/attributiontest"
	"github.com/partnerq/pqi/transforms/cohort"
	"github.com/partnerq/pqi/transforms/roi"
	"github.com/partnerq/pqi/transforms/schema"
)

// BenchmarkFinanceTransforms runs attribution, roi and cohort on 40k partners and 10M
// deals (about 8.75M credits). Reports seconds per stage; asserts nothing.
func BenchmarkFinanceTransforms(b *testing.B) {
	alloc := memory.NewGoAllocator()
	t0 := time.Now()
	in := arrowtest.Synthetic(alloc, 40000, 10_000_000, asOf)
	b.Logf("built inputs in %v", time.Since(t0))
	defer func() {
		for _, recs := range in {
			for _, r := range recs {
				r.Release()
			}
		}
	}()
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		t1 := time.Now()
		ar, err := attributiontest.Compute(ctx, alloc, attribution.Inputs{Partners: in[schema.Partners], Deals: in[schema.Deals], DealPartners: in[schema.DealPartners]},
			attribution.Default(), asOf, "bench")
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		costs, err := roi.CostsOf(&ar.Ledger.Partners, roi.Default(), asOf, in[schema.CostToServe])
		if err != nil {
			b.Fatal(err)
		}
		res, err := roi.Compute(ctx, alloc, roi.Inputs{Attribution: ar.Ledger, Costs: costs}, roi.Default(), asOf, "bench")
		if err != nil {
			b.Fatal(err)
		}
		pr := res.PartnerRecord()
		t3 := time.Now()
		coh, err := cohort.Compute(ctx, alloc, cohort.Inputs{Attribution: ar.Ledger}, cohort.Default(), asOf, "bench")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t3).Seconds(), "cohort-s")
		coh.Release()
		b.ReportMetric(t2.Sub(t1).Seconds(), "attribution-s")
		b.ReportMetric(t3.Sub(t2).Seconds(), "roi-s")
		b.ReportMetric(float64(ar.Record.NumRows()), "credits")
		b.ReportMetric(float64(pr.NumRows()), "roi-rows")
		pr.Release()
		res.Release()
		ar.Release()
	}
}
