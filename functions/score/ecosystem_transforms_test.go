package score

// The finance transforms on generated ecosystems, loaded the way the score
// job reads them (gen -> ingest -> warehouse -> Arrow). The transforms'
// own packages test them on row literals; these check what only a whole
// ecosystem shows: nothing double-counted, planted returns recovered,
// roll-ups equal to their members, byte-identical re-runs.

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest/ingesttest"
	"github.com/partnerq/pqi/transforms/arrowtest"
	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/attribution/attributiontest"
	"github.com/partnerq/pqi/transforms/cohort"
	"github.com/partnerq/pqi/transforms/keys"
	"github.com/partnerq/pqi/transforms/roi"
	"github.com/partnerq/pqi/transforms/schema"
)

func attributionInputs(e *ingesttest.Ecosystem) attribution.Inputs {
	return attribution.Inputs{Partners: e.Tables[schema.Partners], Deals: e.Tables[schema.Deals], DealPartners: e.Tables[schema.DealPartners]}
}

// modelColumns are the share and credited-amount columns by model.
var modelColumns = [attribution.NumModels][2]string{
	{schema.SourcedOnlyShare, schema.SourcedOnlyUSD}, {schema.EqualSplitShare, schema.EqualSplitUSD},
	{schema.RoleWeightedShare, schema.RoleWeightedUSD}, {schema.ShapleyShare, schema.ShapleyUSD},
	{schema.Primary6040Share, schema.Primary6040USD},
}

// TestAttributionOnGeneratedEcosystem: every model credits exactly the
// partnered deal amounts (no double counting), shares of a deal sum to 1,
// a re-run gives byte-identical Arrow IPC, and the way the score job runs
// it (the snapshot's deal index given, the table rendered in chunks) gives
// the same rows.
func TestAttributionOnGeneratedEcosystem(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	eco := ingesttest.Generate(t, alloc, gen.Config{Partners: 300, Seed: 5, Quarters: 6, DealsPerPartner: 20})
	ctx := context.Background()
	res, err := attributiontest.Compute(ctx, alloc, attributionInputs(eco), attribution.Default(), eco.AsOf, "run-1")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()

	// partnered deal amounts, independently of the ledger
	partnered := map[string]bool{}
	for _, r := range arrowtest.RowsOf(eco.Tables[schema.DealPartners]) {
		partnered[r[schema.DealID]] = true
	}
	var total int64
	for _, r := range arrowtest.RowsOf(eco.Tables[schema.Deals]) {
		if a, ok := r[schema.AmountUSD]; ok && partnered[r[schema.DealID]] {
			total += cents(t, a)
		}
	}
	if total == 0 {
		t.Fatal("no partnered deals generated")
	}
	var credited [attribution.NumModels]int64
	shareSum := map[string]*[attribution.NumModels]float64{}
	for _, r := range arrowtest.Rows(res.Record) {
		s := shareSum[r[schema.DealID]]
		if s == nil {
			s = &[attribution.NumModels]float64{}
			shareSum[r[schema.DealID]] = s
		}
		for m, c := range modelColumns {
			if v, ok := r[c[1]]; ok {
				credited[m] += cents(t, v)
			}
			s[m] += number(t, r[c[0]])
		}
	}
	for m := range attribution.NumModels {
		if credited[m] != total {
			t.Errorf("%s credits %d cents, partnered deals total %d", attribution.Model(m), credited[m], total)
		}
	}
	for d, s := range shareSum {
		for m := range attribution.NumModels {
			if math.Abs(s[m]-1) > 1e-9 {
				t.Fatalf("deal %s: %s shares sum to %v", d, attribution.Model(m), s[m])
			}
		}
	}
	if len(shareSum) != len(partnered) {
		t.Errorf("%d deals credited, %d partnered", len(shareSum), len(partnered))
	}

	again, err := attributiontest.Compute(ctx, alloc, attributionInputs(eco), attribution.Default(), eco.AsOf, "run-1")
	if err != nil {
		t.Fatal(err)
	}
	defer again.Release()
	if !bytes.Equal(arrowtest.IPCBytes(t, res.Record), arrowtest.IPCBytes(t, again.Record)) {
		t.Fatal("re-run gave different bytes")
	}

	in := attributionInputs(eco)
	in.DealIndex = keys.New(0)
	for _, r := range arrowtest.RowsOf(in.Deals) {
		in.DealIndex.Insert(r[schema.DealID])
	}
	p, err := attribution.Start(ctx, alloc, in, attribution.Default(), eco.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	var chunks []arrow.Record
	if err := p.Table("run-1", 1000, func(r arrow.Record) error { chunks = append(chunks, r); return nil }); err != nil {
		t.Fatal(err)
	}
	whole := concat(t, alloc, res.Record.Schema(), chunks)
	defer whole.Release()
	if len(chunks) < 2 || !array.RecordEqual(res.Record, whole) {
		t.Fatalf("%d chunks rendered with a given deal index differ from the whole table", len(chunks))
	}

	// an index that does not number these deals is refused
	in.DealIndex = keys.New(0)
	in.DealIndex.Insert("not-a-deal")
	if _, err := attribution.Start(ctx, alloc, in, attribution.Default(), eco.AsOf); err == nil || !strings.Contains(err.Error(), "deal index") {
		t.Fatalf("a wrong deal index: err %v", err)
	}
}

// concat joins records of one schema into one, releasing them.
func concat(t *testing.T, alloc memory.Allocator, sc *arrow.Schema, recs []arrow.Record) arrow.Record {
	t.Helper()
	cols := make([]arrow.Array, sc.NumFields())
	var n int64
	for j := range cols {
		parts := make([]arrow.Array, len(recs))
		for k, c := range recs {
			parts[k] = c.Column(j)
		}
		var err error
		if cols[j], err = array.Concatenate(parts, alloc); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range recs {
		n += r.NumRows()
		r.Release()
	}
	out := array.NewRecord(sc, cols, n)
	for _, c := range cols {
		c.Release()
	}
	return out
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func cents(t *testing.T, s string) int64 { return int64(math.Round(number(t, s) * 100)) }

// TestROIOnGeneratedEcosystem: the generator plants a return on spend; the
// lift estimate's interval covers the true return for most invested
// partners. Segment roll-ups equal the sum of their members; re-runs are
// byte-identical.
func TestROIOnGeneratedEcosystem(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 1,500 partners")
	}
	alloc := arrowtest.Alloc(t)
	eco := ingesttest.Generate(t, alloc, gen.Config{Partners: 1500, Seed: 3, Quarters: 8, DealsPerPartner: 40})
	ctx := context.Background()
	ar, err := attributiontest.Compute(ctx, alloc, attributionInputs(eco), attribution.Default(), eco.AsOf, "run")
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Release()
	costs, err := roi.CostsOf(&ar.Ledger.Partners, roi.Default(), eco.AsOf, eco.Tables[schema.CostToServe])
	if err != nil {
		t.Fatal(err)
	}
	in := roi.Inputs{Attribution: ar.Ledger, Costs: costs}
	res, err := roi.Compute(ctx, alloc, in, roi.Default(), eco.AsOf, "run")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	pr := res.PartnerRecord()
	defer pr.Release()
	rows := arrowtest.Rows(pr)
	checkPlantedReturn(t, eco, rows)
	checkSegmentRollUps(t, rows, arrowtest.Rows(res.SegmentROI))

	again, err := roi.Compute(ctx, alloc, in, roi.Default(), eco.AsOf, "run")
	if err != nil {
		t.Fatal(err)
	}
	defer again.Release()
	pr2 := again.PartnerRecord()
	defer pr2.Release()
	if !bytes.Equal(arrowtest.IPCBytes(t, pr), arrowtest.IPCBytes(t, pr2)) || !bytes.Equal(arrowtest.IPCBytes(t, res.SegmentROI), arrowtest.IPCBytes(t, again.SegmentROI)) {
		t.Fatal("re-run gave different bytes")
	}
}

// checkPlantedReturn compares the detected step-ups and their return
// intervals with the generator's truth, in the as-of quarter.
func checkPlantedReturn(t *testing.T, eco *ingesttest.Ecosystem, rows []map[string]string) {
	group := eco.TruthColumn(t, "roi_group")
	trueROI := eco.TruthColumn(t, "true_roi")
	start := eco.TruthColumn(t, "invest_start")
	var truthInvested, found, startRight, falseAlarms, eligibleOthers, estimated, covered int
	for _, r := range rows {
		if r[schema.Quarter] != "2026-Q3" {
			continue
		}
		id := r[schema.PartnerID]
		inv := r[schema.ROIGroup] == schema.GroupInvested.String()
		if group[id] == "invested" {
			truthInvested++
		} else if r[schema.ROIGroup] != schema.GroupNotEligible.String() {
			eligibleOthers++
			if inv {
				falseAlarms++
			}
		}
		if group[id] != "invested" || !inv {
			continue
		}
		found++
		if r[schema.InvestmentStart] == start[id] {
			startRight++
		}
		if r[schema.ROIState] != schema.ROIEstimated.String() {
			continue
		}
		estimated++
		if tr := number(t, trueROI[id]); number(t, r[schema.ROILow]) <= tr && tr <= number(t, r[schema.ROIHigh]) {
			covered++
		}
	}
	cov := float64(covered) / float64(estimated)
	t.Logf("step-ups: %d of %d planted found (%d with the right quarter), %d false alarms among %d other eligible partners",
		found, truthInvested, startRight, falseAlarms, eligibleOthers)
	t.Logf("estimated %d of %d found; the 90%% interval covers the planted return for %d: coverage %.1f%% (%.1f%% of all found)",
		estimated, found, covered, 100*cov, 100*float64(covered)/float64(found))
	if float64(found) < 0.8*float64(truthInvested) || float64(falseAlarms) > 0.1*float64(eligibleOthers) {
		t.Errorf("step-up detection: found %d of %d, %d false alarms", found, truthInvested, falseAlarms)
	}
	if estimated < found/2 || cov < 0.8 {
		t.Errorf("coverage %.2f over %d estimates, want >= 0.80 over at least half of %d", cov, estimated, found)
	}
}

// checkSegmentRollUps: every segment_roi row equals the sum of its
// partner_roi members (cents exactly, counts exactly).
func checkSegmentRollUps(t *testing.T, rows, segRows []map[string]string) {
	type key struct{ q, s string }
	sums := map[key]map[string]int64{}
	add := func(k key, col string, c int64) {
		if sums[k] == nil {
			sums[k] = map[string]int64{}
		}
		sums[k][col] += c
	}
	money := []string{schema.CostTotalUSD, schema.CostMDFUSD, schema.InvestmentUSD, schema.PipelineCreatedUSD, schema.PipelineAttrUSD, schema.WonRevenueUSD}
	for _, r := range rows {
		for _, q := range []string{r[schema.Quarter], schema.WindowQuarter} {
			k := key{q, r[schema.TailSegment]}
			add(k, schema.PartnerQuarters, 1)
			for _, c := range money {
				add(k, c, cents(t, r[c]))
			}
			if s, ok := r[schema.InvestmentSegment]; ok {
				if lift, ok := r[schema.PipelineLiftUSD]; ok {
					add(key{q, s}, schema.InvestedPartnerQuarters, 1)
					add(key{q, s}, schema.PipelineLiftUSD, cents(t, lift))
					add(key{q, s}, schema.IncrementalSpend, cents(t, r[schema.IncrementalSpend]))
				}
			}
		}
	}
	if len(segRows) != 3*9 {
		t.Fatalf("%d segment rows, want 27", len(segRows))
	}
	for _, r := range segRows {
		k := key{r[schema.Quarter], r[schema.TailSegment]}
		for _, c := range money {
			if got := cents(t, r[c]); got != sums[k][c] {
				t.Errorf("segment %v %s = %s, members sum to %d cents", k, c, r[c], sums[k][c])
			}
		}
		for _, c := range []string{schema.PartnerQuarters, schema.InvestedPartnerQuarters} {
			if got := int64(number(t, r[c])); got != sums[k][c] {
				t.Errorf("segment %v %s = %s, members count %d", k, c, r[c], sums[k][c])
			}
		}
		if r[schema.Quarter] == schema.WindowQuarter {
			t.Logf("%-9s avg pipeline/$ %s  marginal roi %s [%s, %s] %s", r[schema.TailSegment], r[schema.AverageReturn],
				r[schema.MarginalROI], r[schema.MarginalROILow], r[schema.MarginalROIHigh], r[schema.ROIState])
		}
	}
}

// TestCohortsOnGeneratedEcosystem: every cohort type partitions the same
// partner periods, so per period the sums of partners, activations, deals,
// pipeline, revenue and AE invitations agree across types (partner periods
// before the deals data begin count in partners only, alike in every type);
// join-quarter cohorts form a triangle; re-runs are byte-identical.
func TestCohortsOnGeneratedEcosystem(t *testing.T) {
	alloc := arrowtest.Alloc(t)
	eco := ingesttest.Generate(t, alloc, gen.Config{Partners: 400, Seed: 9, Quarters: 6, DealsPerPartner: 20})
	ctx := context.Background()
	cohorts := func() arrow.Record {
		ar, err := attributiontest.Compute(ctx, alloc, attributionInputs(eco), attribution.Default(), eco.AsOf, "r")
		if err != nil {
			t.Fatal(err)
		}
		defer ar.Release()
		rec, err := cohort.Compute(ctx, alloc, cohort.Inputs{Attribution: ar.Ledger}, cohort.Default(), eco.AsOf, "r")
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	rec := cohorts()
	defer rec.Release()
	additive := []string{schema.PartnerCount, schema.ActivationPartners, schema.ActivatedPartners, schema.ActivePartners, schema.RetainedPartners,
		schema.DealsCreated, schema.PipelineUSD, schema.WonDeals, schema.WonRevenueUSD, schema.AEInvitedDeals}
	sums := map[string]map[string]float64{} // type/period -> column -> sum
	periods := map[string]int{}
	size := map[string]string{}
	for _, r := range arrowtest.Rows(rec) {
		k := r[schema.CohortType] + "/" + r[schema.Period]
		if sums[k] == nil {
			sums[k] = map[string]float64{}
		}
		for _, c := range additive {
			if r[c] != "" { // null: a period before the data for every partner of the cell, which adds nothing
				sums[k][c] += number(t, r[c])
			}
		}
		if r[schema.CohortType] == schema.CohortJoinQuarter.String() {
			periods[r[schema.Cohort]]++
			if s, ok := size[r[schema.Cohort]]; ok && s != r[schema.PartnerCount] {
				t.Errorf("join cohort %s changes size: %s then %s", r[schema.Cohort], s, r[schema.PartnerCount])
			}
			size[r[schema.Cohort]] = r[schema.PartnerCount]
		}
	}
	if sums["join_quarter/0"][schema.PartnerCount] != 400 {
		t.Errorf("period 0 holds %v partners, want 400", sums["join_quarter/0"][schema.PartnerCount])
	}
	for k, s := range sums {
		typ, per, _ := strings.Cut(k, "/")
		ref := sums["join_quarter/"+per]
		for _, c := range additive {
			if d := s[c] - ref[c]; d > 1e-6 || d < -1e-6 {
				t.Errorf("%s %s sums to %v, join_quarter cohorts to %v", typ+"/"+per, c, s[c], ref[c])
			}
		}
	}
	last := eco.AsOf.Quarter()
	for label, n := range periods {
		var y, q int32
		fmt.Sscanf(label, "%d-Q%d", &y, &q)
		if want := int(min(41, last-(y*4+q-1)+1)); n != want {
			t.Errorf("cohort %s has %d periods, want %d (triangle)", label, n, want)
		}
	}
	again := cohorts()
	defer again.Release()
	if !bytes.Equal(arrowtest.IPCBytes(t, rec), arrowtest.IPCBytes(t, again)) {
		t.Fatal("re-run gave different bytes")
	}
}
