package board

import (
	"fmt"
	"math"
	"strings"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

func (r *report) finance() {
	doc, f := r.doc, r.d.Finance
	doc.Section(Sections[secFinance])
	doc.Paragraph(fmt.Sprintf("Cost to serve against pipeline, partner by partner and by long-tail segment, over %s. %s "+
		"Pipeline per dollar is an average, not a return; what one more dollar buys is a difference-in-differences estimate from partners "+
		"whose spend stepped up, against comparable partners whose spend did not.", f.Window, f.SegmentRule), pdf.Style{})
	if !f.Measured {
		doc.Paragraph("Cost to serve was not measured: no cost-to-serve export was scored. Cost, investment and any return on it are unknown; "+
			"pipeline and revenue by segment are below.", pdf.Style{Bold: true})
	} else {
		r.financeCharts(f)
	}
	doc.Heading("By segment, over the window", 30)
	var rows [][]string
	for _, s := range f.Segments {
		commission := words.USD(s.Commission)
		if f.Commission == schema.CommissionEstimated && !math.IsNaN(s.Commission) {
			commission = "~" + commission
		}
		rows = append(rows, []string{schema.Words(s.Segment.String()), words.Count(s.PartnerQuarters), words.USD(s.Cost), commission, words.USD(s.Investment),
			words.USD(s.Pipeline), words.USD(s.Won), dollars(perCost(s)), marginal(s)})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "segment", W: 15}, {Title: "partner quarters", W: 15, Align: pdf.Right},
		{Title: "cost to serve", Align: pdf.Right}, {Title: "commission", Align: pdf.Right}, {Title: "investment", Align: pdf.Right},
		{Title: "pipeline created", Align: pdf.Right}, {Title: "won revenue", Align: pdf.Right},
		{Title: "pipeline per $ of cost to serve", W: 17, Align: pdf.Right},
		{Title: "one more $ of investment buys (" + words.Pct(f.Level, 0) + " interval)", W: 35, Align: pdf.Right}}, Rows: rows, Size: 7})
	doc.Paragraph(commissionNote(f)+" Investment is the part of cost to serve the program chooses to spend to grow partners (by default enablement, marketing funds, program and partner management); it excludes commission and support.",
		pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
	doc.Heading("What one more dollar buys", 15)
	for _, s := range f.Segments {
		doc.Paragraph(verdict(s, words.Pct(f.Level, 0)), pdf.Style{})
	}
	doc.Heading("What the figures support", 15)
	doc.Paragraph(conclusion(f), pdf.Style{})
}

// perCost is a segment's pipeline per dollar of cost to serve.
func perCost(s SegmentLine) float64 {
	if math.IsNaN(s.Cost) || s.Cost == 0 {
		return math.NaN()
	}
	return s.Pipeline / s.Cost
}

// conclusion is what the finance figures support, for finance: where a
// dollar of cost to serve goes furthest on average, and whether any
// return on investment is measurable yet, with the evidence that would
// make it so.
func conclusion(f Finance) string {
	if !f.Measured || len(f.Segments) == 0 {
		return "Nothing yet: without a cost-to-serve export, neither the average nor the return on investment can be measured. Export cost to serve by partner and month."
	}
	best, worst := -1, -1
	for i, s := range f.Segments {
		v := perCost(s)
		if math.IsNaN(v) {
			continue
		}
		if best < 0 || v > perCost(f.Segments[best]) {
			best = i
		}
		if worst < 0 || v < perCost(f.Segments[worst]) {
			worst = i
		}
	}
	var out []string
	if best >= 0 && best != worst {
		out = append(out, fmt.Sprintf("On average a dollar of cost to serve goes with the most pipeline in the %s (%s) and the least in the %s (%s); "+
			"an average says where money sits, not where one more dollar would earn most.",
			schema.Words(f.Segments[best].Segment.String()), dollars(perCost(f.Segments[best])),
			schema.Words(f.Segments[worst].Segment.String()), dollars(perCost(f.Segments[worst]))))
	}
	var measurable, unclear []string
	for _, s := range f.Segments {
		seg := schema.Words(s.Segment.String())
		switch {
		case s.State == schema.ROIEstimated && (s.ROILow > 0 || s.ROIHigh < 0):
			measurable = append(measurable, fmt.Sprintf("%s %s per dollar", seg, dollars(s.ROI)))
		case s.State == schema.ROIEstimated:
			half := (s.ROIHigh - s.ROILow) / 2
			size := math.Max(math.Abs(s.ROI), 1)
			need := int(math.Ceil(float64(s.Invested) * (half / size) * (half / size)))
			unclear = append(unclear, fmt.Sprintf("the %s needs about %s invested partner-quarters (it has %s) to tell a return of %s per dollar from none",
				seg, words.Count(need), words.Count(s.Invested), dollars(size)))
		case s.State != schema.ROINotMeasured:
			unclear = append(unclear, fmt.Sprintf("the %s has %s after a step-up in spend", seg, words.Plural(s.Invested, "invested partner-quarter", "invested partner-quarters")))
		}
	}
	if len(measurable) > 0 {
		out = append(out, fmt.Sprintf("A return on investment is measurable in: %s.", schema.JoinAnd(measurable)))
	}
	if len(unclear) > 0 {
		lead := "Not yet measurable"
		if len(measurable) > 0 {
			lead = "Elsewhere not yet measurable"
		}
		out = append(out, fmt.Sprintf("%s: no return can be told from none, so the figures support neither raising nor cutting investment on return grounds. "+
			"To measure it, %s.", lead, schema.JoinAnd(unclear)))
	}
	return strings.Join(out, " ")
}

// commissionNote says where the commission column comes from and
// whether cost to serve includes it.
func commissionNote(f Finance) string {
	switch f.Commission {
	case schema.CommissionExported:
		return "Commission is the commission exported with cost to serve and is part of it. It follows revenue and is not counted as investment."
	case schema.CommissionEstimated:
		return fmt.Sprintf("No commission was exported. ~ marks an estimate: each partner's attributed won revenue times the commission rate configured for its current tier (%s). "+
			"The estimate is not part of cost to serve; partners whose tier has no rate are left out of it.", f.CommissionRates)
	}
	return "No commission was exported and no commission rates are configured, so cost to serve leaves commission out, often the largest part of what a partner costs. " +
		"Commission rates per tier in the finance configuration give an estimate."
}

// dollars writes a per-dollar figure: $1.84.
func dollars(v float64) string {
	if math.IsNaN(v) {
		return words.NotMeasured
	}
	if v < 0 {
		return "−$" + words.Num(-v, 2)
	}
	return "$" + words.Num(v, 2)
}

// marginal is a segment's marginal return with its interval, or why there
// is none.
func marginal(s SegmentLine) string {
	switch s.State {
	case schema.ROIEstimated:
		return fmt.Sprintf("%s (%s to %s)", dollars(s.ROI), dollars(s.ROILow), dollars(s.ROIHigh))
	case schema.ROINotMeasured:
		return words.NotMeasured
	case schema.ROINotInvested:
		return "no step-up"
	}
	return "insufficient evidence"
}

// verdict says in plain words what one more dollar bought in a segment,
// and whether that is distinguishable from nothing.
func verdict(s SegmentLine, level string) string {
	seg := schema.Words(s.Segment.String())
	switch s.State {
	case schema.ROINotMeasured:
		return fmt.Sprintf("%s: not measured, because cost to serve was not exported.", seg)
	case schema.ROINotInvested:
		return fmt.Sprintf("%s: no partner's spend stepped up in the window, so there is nothing to estimate a return from.", seg)
	case schema.ROIEstimated:
	default:
		return fmt.Sprintf("%s: too little evidence (%s after a step-up) for an interval worth printing.",
			seg, words.Plural(s.Invested, "invested partner-quarter", "invested partner-quarters"))
	}
	est := fmt.Sprintf("%s: one more dollar of investment went with %s of pipeline (%s interval %s to %s, from %s)",
		seg, dollars(s.ROI), level, dollars(s.ROILow), dollars(s.ROIHigh), words.Plural(s.Invested, "invested partner-quarter", "invested partner-quarters"))
	switch {
	case s.ROILow <= 0 && s.ROIHigh >= 0:
		return est + ": not distinguishable from no effect."
	case s.ROILow > 0:
		return est + ": the interval excludes zero; more pipeline than the comparison partners' trend predicts."
	}
	return est + ": the interval is below zero; less pipeline than the comparison partners' trend predicts."
}

// financeCharts draws cost against pipeline for every partner and
// incremental spend against lift for the invested ones.
func (r *report) financeCharts(f Finance) {
	doc := r.doc
	gap := 6.0
	w := (doc.Width() - gap) / 2
	h := 72.0
	doc.Need(h + 20)
	y := doc.Y
	doc.Text(doc.Left(), y+4, doc.Fit("Cost to serve and pipeline created, per partner", w, pdf.SmallSize+0.5, true), pdf.Style{Size: pdf.SmallSize + 0.5, Bold: true})
	doc.Text(doc.Left()+w+gap, y+4, doc.Fit("Incremental spend and pipeline lift, invested partners", w, pdf.SmallSize+0.5, true), pdf.Style{Size: pdf.SmallSize + 0.5, Bold: true})
	y += 6
	markers := segmentMarkers()
	// left: log-log, every partner with both
	var lo, hi [2]float64
	lo = [2]float64{math.Inf(1), math.Inf(1)}
	left := 0
	for _, p := range f.Partners {
		if p.Cost > 0 && p.Pipeline > 0 {
			lo[0], hi[0] = math.Min(lo[0], p.Cost), math.Max(hi[0], p.Cost)
			lo[1], hi[1] = math.Min(lo[1], p.Pipeline), math.Max(hi[1], p.Pipeline)
		} else {
			left++
		}
	}
	if hi[0] > 0 {
		ax := func(i int, title string) pdf.Axis {
			return pdf.Axis{Log: true, Min: decadeBelow(lo[i]), Max: decadeAbove(hi[i]), Label: title, Format: words.USDTick}
		}
		p := doc.Plot(doc.Left(), y, w, h, ax(0, "cost to serve (log scale)"), ax(1, "pipeline created (log scale)"))
		for _, s := range drawOrder {
			var xs, ys []float64
			for _, pt := range f.Partners {
				if pt.Segment == s && pt.Cost > 0 && pt.Pipeline > 0 {
					xs, ys = append(xs, pt.Cost), append(ys, pt.Pipeline)
				}
			}
			p.Points(xs, ys, markers[s])
		}
	} else {
		doc.Text(doc.Left(), y+10, "No partner has both cost and pipeline in the window.", pdf.Style{Color: pdf.Grey})
	}
	r.liftChart(f, doc.Left()+w+gap, y, w, h, markers)
	doc.Y = y + h + 1
	var items []pdf.LegendItem
	for s := range schema.Tail(schema.NumTails) {
		items = append(items, pdf.LegendItem{Text: schema.Words(s.String()), Marker: markers[s]})
	}
	doc.Y += doc.Legend(doc.Left(), doc.Y, doc.Width(), items)
	if left > 0 {
		doc.Paragraph(fmt.Sprintf("%s with no cost or no pipeline in the window cannot sit on log scales and are not drawn.",
			words.Plural(left, "partner", "partners")), pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
	}
}

// liftChart draws, at (rx, y) in a w by h box, the invested partners'
// pipeline lift against their incremental spend, with the break-even line.
func (r *report) liftChart(f Finance, rx, y, w, h float64, markers [schema.NumTails]pdf.Marker) {
	doc := r.doc
	var xs, ys []float64
	var segs []schema.Tail
	mx, my0, my1 := 0.0, 0.0, 0.0
	for _, pt := range f.Partners {
		if !math.IsNaN(pt.Spend) && !math.IsNaN(pt.Lift) {
			xs, ys, segs = append(xs, pt.Spend), append(ys, pt.Lift), append(segs, pt.Segment)
			mx = math.Max(mx, math.Abs(pt.Spend))
			my0, my1 = math.Min(my0, pt.Lift), math.Max(my1, pt.Lift)
		}
	}
	if len(xs) > 0 {
		xa := pdf.Axis{Min: math.Min(0, minOf(xs)), Max: niceMax(mx), Label: "incremental spend since the step-up", Format: words.USDTick}
		xa.Ticks = pdf.NiceTicks(xa.Min, xa.Max, 4)
		ya := pdf.Axis{Min: -niceMax(-my0), Max: niceMax(my1), Label: "pipeline lift over the counterfactual", Format: words.USDTick}
		if my0 >= 0 {
			ya.Min = 0
		}
		ya.Ticks = pdf.NiceTicks(ya.Min, ya.Max, 5)
		p := doc.Plot(rx, y, w, h, xa, ya)
		p.HLine(0, pdf.LineStyle{Color: pdf.Ink, Width: 0.3})
		even := pdf.LineStyle{Color: pdf.Grey, Width: 0.3, Dash: []float64{1.5, 1}}
		p.Curve([]float64{xa.Min, xa.Max}, []float64{xa.Min, xa.Max}, even)
		for _, s := range drawOrder {
			var sx, sy []float64
			for i := range xs {
				if segs[i] == s {
					sx, sy = append(sx, xs[i]), append(sy, ys[i])
				}
			}
			p.Points(sx, sy, markers[s])
		}
		if ya.Max >= xa.Max*0.8 { // name the break-even line just above it
			p.LabelAt(p.PX(xa.Max*0.8), p.PY(xa.Max*0.8)-2.5, "lift = spend", pdf.Style{Size: 6.5, Color: pdf.Grey})
		}
	} else {
		doc.Text(rx, y+10, "No partner's spend stepped up in the window.", pdf.Style{Color: pdf.Grey})
	}
}

// drawOrder draws the many long-tail partners first and the few head
// partners last, so the smaller segments are not buried.
var drawOrder = []schema.Tail{schema.TailLong, schema.TailTorso, schema.TailHead}

// segmentMarkers pairs each long-tail segment with a colour and a shape.
func segmentMarkers() [schema.NumTails]pdf.Marker {
	return [schema.NumTails]pdf.Marker{
		{Shape: pdf.Square, Color: pdf.Blue, Size: 1.6},
		{Shape: pdf.Diamond, Color: pdf.Orange, Size: 1.8},
		{Shape: pdf.Circle, Color: pdf.SkyBlue, Size: 1.3},
	}
}

func decadeBelow(v float64) float64 { return math.Pow(10, math.Floor(math.Log10(v))) }
func decadeAbove(v float64) float64 { return math.Pow(10, math.Ceil(math.Log10(v*1.0000001))) }

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
}
