package report

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/transforms/schema"
)

// partnerMoney is one partner's finance over the window.
type partnerMoney struct {
	cost, pipeline, spend, lift float64
	costSet, liftSet            bool
}

// readFinance reads partner_roi: each partner's segment and trailing
// revenue this quarter, and its cost, pipeline, spend and lift summed
// over the window.
func (l *loader) readFinance(ctx context.Context, d *board.Data) error {
	l.segment, l.revenue = map[string]schema.Tail{}, map[string]float64{}
	this := int32(l.cfg.AsOf.QuarterStart())
	first := this
	money := map[string]*partnerMoney{}
	var order []string
	rows := 0
	measured := false
	err := scan(ctx, l.w, schema.PartnerROI, l.cfg.AsOf, func(v *schema.View) error {
		id, qs, seg := v.Str(schema.PartnerID), v.Date(schema.QuarterStart), v.Str(schema.TailSegment)
		trail, cost, pipe := v.Money(schema.TrailingWonUSD), v.Money(schema.CostTotalUSD), v.Money(schema.PipelineCreatedUSD)
		lift, spend := v.Money(schema.PipelineLiftUSD), v.Money(schema.IncrementalSpend)
		if v.Err() != nil {
			return nil
		}
		rows += v.Rows()
		for i := 0; i < v.Rows(); i++ {
			p := id.Value(i)
			m := money[p]
			if m == nil {
				m = &partnerMoney{}
				money[p] = m
				order = append(order, p)
			}
			q := schema.DateAt(qs, i)
			first = min(first, q)
			if q == this {
				l.segment[p] = schema.TailSegments.At(seg, i)
				c, _ := schema.CentsAt(trail, i)
				l.revenue[p] = dollars(c, true)
			}
			if c, ok := schema.CentsAt(cost, i); ok {
				m.cost += dollars(c, true)
				m.costSet, measured = true, true
			}
			c, _ := schema.CentsAt(pipe, i)
			m.pipeline += dollars(c, true)
			lc, lok := schema.CentsAt(lift, i)
			sc, sok := schema.CentsAt(spend, i)
			if lok && sok {
				m.lift += dollars(lc, true)
				m.spend += dollars(sc, true)
				m.liftSet = true
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.read(schema.PartnerROI, rows)
	l.window = schema.Window{Start: first, End: int32(l.cfg.AsOf)}
	f := &d.Finance
	f.Measured = measured
	f.Window = windowLabel(l.window)
	rc := l.settings.Finance.ROI
	f.Level = rc.Level
	f.CommissionRates = commissionRates(rc.CommissionRates)
	f.SegmentRule = fmt.Sprintf("Partners are ranked by attributed won revenue over the trailing %d quarters: those making the first %.0f%% of it are the head, "+
		"the next %.0f%% the torso, the rest (and every partner without revenue) the long tail.", rc.SegmentQuarters, 100*rc.HeadShare, 100*rc.TorsoShare)
	for _, p := range order {
		m := money[p]
		seg, ok := l.segment[p]
		if !ok {
			continue // no row this quarter: not a partner now
		}
		fp := board.FinancePartner{Segment: seg, Cost: math.NaN(), Pipeline: m.pipeline, Spend: math.NaN(), Lift: math.NaN()}
		if m.costSet {
			fp.Cost = m.cost
		}
		if m.liftSet {
			fp.Spend, fp.Lift = m.spend, m.lift
		}
		f.Partners = append(f.Partners, fp)
	}
	return nil
}

// commissionRates names the configured commission rates in tier order:
// "registered 12.5%, platinum 27.5%".
func commissionRates(rates map[string]float64) string {
	var parts []string
	for _, t := range schema.ProgramTiers {
		if v, ok := rates[t]; ok {
			parts = append(parts, fmt.Sprintf("%s %s%%", t, strconv.FormatFloat(100*v, 'f', -1, 64)))
		}
	}
	return strings.Join(parts, ", ")
}

// windowLabel is a window as its quarters: 2024-Q4 to 2026-Q3.
func windowLabel(w schema.Window) string {
	a, b := schema.QuarterLabel(schema.Day(w.Start).Quarter()), schema.QuarterLabel(schema.Day(w.End).Quarter())
	if a == b {
		return a
	}
	return a + " to " + b
}

// readSegments reads segment_roi: the window roll-up per segment, and the
// money headlines, this quarter against the one before.
func (l *loader) readSegments(ctx context.Context, d *board.Data) error {
	this := schema.QuarterLabel(l.cfg.AsOf.Quarter())
	prev := schema.QuarterLabel(l.cfg.AsOf.Quarter() - 1)
	type sums struct{ won, cost, pipe float64 }
	var now, before sums
	costNow, costPrev := false, false
	segs := map[schema.Tail]board.SegmentLine{}
	rows := 0
	err := scan(ctx, l.w, schema.SegmentROI, l.cfg.AsOf, func(v *schema.View) error {
		quarter, seg, pq := v.Str(schema.Quarter), v.Str(schema.TailSegment), v.Int(schema.PartnerQuarters)
		cost, pipe, won, inv := v.Money(schema.CostTotalUSD), v.Money(schema.PipelineCreatedUSD), v.Money(schema.WonRevenueUSD), v.Money(schema.InvestmentUSD)
		ipq := v.Int(schema.InvestedPartnerQuarters)
		commission, basis := v.Money(schema.CostCommissionUSD), v.Str(schema.CommissionBasis)
		roi, lo, hi, state := v.Float(schema.MarginalROI), v.Float(schema.MarginalROILow), v.Float(schema.MarginalROIHigh), v.Str(schema.ROIState)
		if v.Err() != nil {
			return nil
		}
		rows += v.Rows()
		for i := 0; i < v.Rows(); i++ {
			cc, cok := schema.CentsAt(cost, i)
			pc, _ := schema.CentsAt(pipe, i)
			wc, _ := schema.CentsAt(won, i)
			ic, iok := schema.CentsAt(inv, i)
			switch quarter.Value(i) {
			case schema.WindowQuarter:
				s := schema.TailSegments.At(seg, i)
				mc, mok := schema.CentsAt(commission, i)
				d.Finance.Commission = schema.CommissionBases.At(basis, i)
				segs[s] = board.SegmentLine{Segment: s, PartnerQuarters: int(pq.Value(i)),
					Cost: dollars(cc, cok), Pipeline: dollars(pc, true), Won: dollars(wc, true), Commission: dollars(mc, mok), Investment: dollars(ic, iok),
					Invested: int(ipq.Value(i)),
					ROI:      nullable(roi, i, roi.Value(i)), ROILow: nullable(lo, i, lo.Value(i)), ROIHigh: nullable(hi, i, hi.Value(i)),
					State: schema.ROIStates.At(state, i)}
			case this, prev:
				s, set := &now, &costNow
				if quarter.Value(i) == prev {
					s, set = &before, &costPrev
				}
				s.won += dollars(wc, true)
				s.pipe += dollars(pc, true)
				if cok {
					s.cost += dollars(cc, true)
					*set = true
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.read(schema.SegmentROI, rows)
	for s := range schema.Tail(schema.NumTails) {
		if line, ok := segs[s]; ok {
			d.Finance.Segments = append(d.Finance.Segments, line)
		}
	}
	orNaN := func(v float64, ok bool) float64 {
		if !ok {
			return math.NaN()
		}
		return v
	}
	perDollar := func(s sums, ok bool) float64 {
		if !ok || s.cost == 0 {
			return math.NaN()
		}
		return s.pipe / s.cost
	}
	d.Headlines = append(d.Headlines,
		board.Headline{Name: "Revenue through partners", Unit: board.Money, Now: now.won, Prev: before.won, HigherIs: 1,
			Basis: fmt.Sprintf("won in %s, %s credit", this, strings.ReplaceAll(l.settings.Finance.Attribution.Model, "_", " "))},
		board.Headline{Name: "Cost to serve", Unit: board.Money, Now: orNaN(now.cost, costNow), Prev: orNaN(before.cost, costPrev),
			Basis: fmt.Sprintf("all partners and categories, %s", this)},
		board.Headline{Name: "Pipeline per dollar", Unit: board.Ratio, Now: perDollar(now, costNow), Prev: perDollar(before, costPrev), HigherIs: 1,
			Basis: fmt.Sprintf("pipeline created over cost to serve, %s: an average, not a return", this)},
	)
	return nil
}

// readFlags reads the interventions: counts by trigger and outlook, and
// the most severe (then most revenue) for the page.
func (l *loader) readFlags(ctx context.Context, d *board.Data) error {
	f, err := l.frame(ctx, schema.Interventions, []string{schema.PartnerID, schema.Trigger, schema.Severity, schema.Outlook, schema.Evidence})
	if err != nil {
		return err
	}
	fl := &d.Flags
	fl.Total = f.Rows()
	fl.Counts = make([][]int, len(schema.InterventionTriggers))
	for t := range fl.Counts {
		fl.Counts[t] = make([]int, len(schema.Outlooks))
	}
	if fl.Total == 0 {
		return nil
	}
	df := f.DataFrame()
	ids := df.Col(schema.PartnerID).Records()
	flagged := map[string]bool{}
	for _, id := range ids {
		flagged[id] = true
	}
	fl.Partners = len(flagged)
	sev := make([]int, len(ids))
	rev := make([]float64, len(ids))
	for i, s := range df.Col(schema.Severity).Records() {
		v, _ := schema.ParseSeverity(s)
		sev[i] = int(v)
		rev[i] = l.revenue[ids[i]]
	}
	df = df.Mutate(series.New(sev, series.Int, "severity_rank")).Mutate(series.New(rev, series.Float, "revenue"))
	df = df.Arrange(dataframe.Sort("severity_rank"), dataframe.RevSort("revenue"), dataframe.Sort(schema.PartnerID))
	if df.Err != nil {
		return fmt.Errorf("sorting the interventions: %w", df.Err)
	}
	trig, outl, ev := df.Col(schema.Trigger).Records(), df.Col(schema.Outlook).Records(), df.Col(schema.Evidence).Records()
	sevs, id, revs := df.Col(schema.Severity).Records(), df.Col(schema.PartnerID).Records(), df.Col("revenue").Float()
	for i := range trig {
		t, tok := schema.ParseInterventionTrigger(trig[i])
		o, ook := schema.ParseOutlook(outl[i])
		if !tok || !ook {
			return fmt.Errorf("interventions: partner %s has trigger %q and outlook %q, not the contract's", id[i], trig[i], outl[i])
		}
		fl.Counts[t][o]++
		if len(fl.Lines) < maxFlags {
			s, _ := schema.ParseSeverity(sevs[i])
			fl.Lines = append(fl.Lines, board.Flag{Partner: l.partner(id[i]), Trigger: t, Severity: s, Outlook: o, Evidence: ev[i], Revenue: revs[i]})
		}
	}
	return nil
}

// readCohorts pivots the join-quarter activation triangle: the newest
// join quarters, by quarters since joining.
func (l *loader) readCohorts(ctx context.Context, d *board.Data) error {
	f, err := l.frame(ctx, schema.CohortMetrics, []string{schema.CohortType, schema.Cohort, schema.Period, schema.PartnerCount, schema.ActivationRate, schema.BeforeData})
	if err != nil {
		return err
	}
	if f.Rows() == 0 {
		return nil
	}
	df := f.DataFrame().Filter(dataframe.F{Colname: schema.CohortType, Comparator: series.Eq, Comparando: schema.CohortJoinQuarter.String()})
	if df.Err != nil || df.Nrow() == 0 {
		return df.Err
	}
	df = df.Arrange(dataframe.Sort(schema.Cohort), dataframe.Sort(schema.Period))
	cohorts := df.Col(schema.Cohort).Records()
	period, partners, rate := df.Col(schema.Period).Float(), df.Col(schema.PartnerCount).Float(), df.Col(schema.ActivationRate).Float()
	before := df.Col(schema.BeforeData).Float()
	var distinct []string
	for i, c := range cohorts {
		if i == 0 || c != cohorts[i-1] {
			distinct = append(distinct, c)
		}
	}
	if len(distinct) > maxCohorts {
		distinct = distinct[len(distinct)-maxCohorts:]
	}
	c := &d.Cohorts
	c.Periods = maxCohorts
	at := map[string]int{}
	for i, name := range distinct {
		at[name] = i
		r := make([]float64, maxCohorts)
		for p := range r {
			r[p] = math.NaN()
		}
		c.Rows = append(c.Rows, board.CohortRow{Cohort: name, Rate: r})
	}
	for i, name := range cohorts {
		row, ok := at[name]
		p := int(period[i])
		if !ok || p >= maxCohorts {
			continue
		}
		if p == 0 {
			c.Rows[row].Partners = int(partners[i])
		}
		c.Rows[row].Rate[p] = rate[i]
		c.Rows[row].Reached = max(c.Rows[row].Reached, p+1)
		c.Rows[row].BeforeData = c.Rows[row].BeforeData || before[i] == 1
	}
	return nil
}

// creditColumns are the attribution table's credited-amount columns, in
// board.Models order.
var creditColumns = [...]string{schema.SourcedOnlyUSD, schema.EqualSplitUSD, schema.RoleWeightedUSD, schema.ShapleyUSD, schema.Primary6040USD}

// wonCredit streams the attribution table: each partner's credit, per
// model, for the deals won in the window, the partners in the order met,
// and the rows read.
func (l *loader) wonCredit(ctx context.Context) (credit map[string]*[len(creditColumns)]int64, order []string, rows int, err error) {
	models := &creditColumns
	credit = map[string]*[len(creditColumns)]int64{}
	err = scan(ctx, l.w, schema.Attribution, l.cfg.AsOf, func(v *schema.View) error {
		id, status, closed := v.Str(schema.PartnerID), v.Str(schema.Status), v.Date(schema.ClosedDate)
		var cols [len(creditColumns)]*array.Decimal128
		for m, name := range models {
			cols[m] = v.Money(name)
		}
		if v.Err() != nil {
			return nil
		}
		rows += v.Rows()
		won := schema.StatusWon.String()
		for i := 0; i < v.Rows(); i++ {
			day := schema.DateAt(closed, i)
			if status.Value(i) != won || day < l.window.Start || day > l.window.End {
				continue
			}
			p := id.Value(i)
			c := credit[p]
			if c == nil {
				c = &[len(creditColumns)]int64{}
				credit[p] = c
				order = append(order, p)
			}
			for m := range models {
				cents, _ := schema.CentsAt(cols[m], i)
				c[m] += cents
			}
		}
		return nil
	})
	return credit, order, rows, err
}

// readAttribution sums each partner's credit for deals won in the window
// under every model (streamed: the table has a row per partner and deal),
// then rolls it up by segment and finds the partners whose credit
// depends most on the model.
func (l *loader) readAttribution(ctx context.Context, d *board.Data) error {
	models := &creditColumns
	credit, order, rows, err := l.wonCredit(ctx)
	if err != nil {
		return err
	}
	l.read(schema.Attribution, rows)
	a := &d.Attribution
	a.Window = windowLabel(l.window)
	var totals [schema.NumTails][len(creditColumns)]int64
	for s := range a.Credit {
		a.Credit[s] = make([]float64, len(models))
	}
	ids := make([]string, 0, len(order))
	spread := make([]float64, 0, len(order))
	for _, p := range order {
		c := credit[p]
		seg, ok := l.segment[p]
		if !ok {
			seg = schema.TailLong // credited in the window but no partner_roi row now: the smallest segment
		}
		lo, hi := c[0], c[0]
		for m := range models {
			totals[seg][m] += c[m]
			lo, hi = min(lo, c[m]), max(hi, c[m])
		}
		ids = append(ids, p)
		spread = append(spread, dollars(hi-lo, true))
	}
	for s := range totals {
		for m := range models {
			a.Credit[s][m] = dollars(totals[s][m], true)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	df := dataframe.New(series.New(ids, series.String, schema.PartnerID), series.New(spread, series.Float, "spread")).
		Arrange(dataframe.RevSort("spread"), dataframe.Sort(schema.PartnerID))
	if df.Err != nil {
		return fmt.Errorf("ranking the attribution shifts: %w", df.Err)
	}
	top, sp := df.Col(schema.PartnerID).Records(), df.Col("spread").Float()
	for i := 0; i < len(top) && len(a.Shifts) < maxShifts && sp[i] > 0; i++ {
		c := credit[top[i]]
		sh := board.Shift{Partner: l.partner(top[i])}
		for m := range models {
			sh.Credit = append(sh.Credit, dollars(c[m], true))
		}
		a.Shifts = append(a.Shifts, sh)
	}
	return nil
}
