package board

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

func (r *report) quality() {
	doc, q := r.doc, r.d.Quality
	doc.Section(Sections[secQuality])
	doc.Paragraph(trust(q), pdf.Style{})
	if len(q.PQI) > 0 {
		doc.Heading("PQI of the scored partners", 55)
		r.histogram(q.PQI)
	}
	r.funnel(q.Funnel)
	cols := []pdf.Col{
		{Title: "rank", W: 11, Align: pdf.Right}, {Title: "partner", Wrap: true}, {Title: "peer group", W: 18},
		{Title: "PQI", W: 12, Align: pdf.Right}, {Title: fmt.Sprintf("%.0f%% interval", 100*q.Level), W: 22, Align: pdf.Right},
		{Title: "peer rank", W: 18, Align: pdf.Right}, {Title: "tier advice", W: 22},
	}
	for _, t := range []struct {
		title string
		rows  []Ranked
	}{{"Top ten by PQI", q.Top}, {"Bottom ten by PQI", q.Bottom}} {
		if len(t.rows) == 0 {
			continue
		}
		doc.Heading(t.title, 25)
		rows := make([][]string, len(t.rows))
		for i, p := range t.rows {
			rows[i] = []string{words.Count(p.Rank), p.Partner.String(), schema.Words(p.PeerGroup), words.Num(p.PQI, 1), words.Interval(p.Low, p.High, 1),
				fmt.Sprintf("%s of %s", words.Count(p.PeerRank), words.Count(p.PeerSize)), schema.Words(p.Advice.String())}
		}
		doc.Table(pdf.Table{Cols: cols, Rows: rows})
	}
	doc.Paragraph("Ranks count only scored partners. A rank is a position, not a verdict: partners whose intervals overlap may be in either order.",
		pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
	r.targets(q.Targets)
}

// targets is the ecosystem against the healthy program targets, labelled
// as what they are: raw values, not the PQI.
func (r *report) targets(ts []Target) {
	if len(ts) == 0 {
		return
	}
	doc := r.doc
	doc.Heading("Healthy program targets (unadjusted, not the PQI)", 40)
	doc.Paragraph("The targets partner teams already use, checked against each partner's raw value with no case-mix adjustment and no shrinkage. "+
		"A partner that takes the hardest deals can miss a target and still deliver better than expected; the last column counts those. "+
		"The healthy target for positioning accuracy (over 85% of reviewed demos) has no input yet and is not checked.", pdf.Style{})
	cols := []pdf.Col{{Title: "component"}, {Title: "healthy when", W: 30}, {Title: "partners checked", W: 28, Align: pdf.Right},
		{Title: "met", W: 24, Align: pdf.Right}, {Title: "median", W: 22, Align: pdf.Right}, {Title: "missed, better than expected", W: 46, Align: pdf.Right}}
	var rows [][]string
	for _, t := range ts {
		when, share := "off", "-"
		if !math.IsNaN(t.Value) {
			side := "over "
			if t.Below {
				side = "under "
			}
			when = side + words.TargetValue(t.Comp, t.Value)
		}
		if t.Checked > 0 {
			share = fmt.Sprintf("%s (%s)", words.Count(t.Met), words.Pct(float64(t.Met)/float64(t.Checked), 0))
		}
		med := "-"
		if t.Checked > 0 {
			med = words.TargetValue(t.Comp, t.Median)
		}
		rows = append(rows, []string{words.Component(t.Comp), when, words.Count(t.Checked), share, med, words.Count(t.MissedAbove)})
	}
	doc.Table(pdf.Table{Cols: cols, Rows: rows})
}

// histogram draws the PQI distribution in bins of five points, with the
// median marked.
func (r *report) histogram(v []float64) {
	doc := r.doc
	bins := make([]float64, 20)
	for _, x := range v {
		bins[min(int(x/5), 19)]++
	}
	top := 0.0
	for _, b := range bins {
		top = max(top, b)
	}
	h := 55.0
	p := doc.Plot(doc.Left(), doc.Y, doc.Width(), h,
		pdf.Axis{Min: 0, Max: 100, Label: "PQI (50 = as expected for the partner's case mix)", Ticks: []float64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}},
		pdf.Axis{Min: 0, Max: niceMax(top), Label: "partners", Format: func(x float64) string { return words.Count(int(x)) }})
	for i, b := range bins {
		p.Bar(float64(i)*5+0.4, float64(i+1)*5-0.4, 0, b, pdf.Blue)
	}
	med := median(v)
	dash := pdf.LineStyle{Color: pdf.Vermillion, Width: 0.4, Dash: []float64{1.2, 0.8}}
	doc.Line(p.PX(med), p.Y, p.PX(med), p.Y+p.H, dash)
	p.LabelAt(p.PX(med), p.Y+2.5, "median "+words.Num(med, 1), pdf.Style{Size: pdf.SmallSize, Color: pdf.Vermillion})
	doc.Y += h + 2
}

// funnelLimits are the funnel plot's control limits for O/E at expected
// count e: 1 ± z·sqrt(φ(1−p̄)/e) (binomial, overdispersion φ).
type funnelLimits struct {
	pbar, phi float64
}

// limits fits the funnel's p̄ (the ecosystem's expected rate) and φ, the
// 10%-winsorised mean of the squared z-scores, at least 1 (Spiegelhalter
// 2005): partners vary more than binomial noise alone, and limits that
// ignore it flag too many.
func limitsOf(pts []FunnelPoint) funnelLimits {
	var e, n float64
	for _, p := range pts {
		e += p.Expected
		n += p.N
	}
	l := funnelLimits{pbar: e / n, phi: 1}
	if len(pts) < 10 || !(l.pbar > 0 && l.pbar < 1) {
		return l
	}
	z := make([]float64, len(pts))
	for i, p := range pts {
		z[i] = l.z(p)
	}
	s := append([]float64(nil), z...)
	sort.Float64s(s)
	lo, hi := s[len(s)/10], s[len(s)-1-len(s)/10]
	var sum float64
	for _, v := range z {
		v = math.Max(lo, math.Min(hi, v))
		sum += v * v
	}
	l.phi = math.Max(1, sum/float64(len(z)))
	return l
}

// z is the partner's unadjusted z-score.
func (l funnelLimits) z(p FunnelPoint) float64 {
	return (p.Observed/p.Expected - 1) / math.Sqrt((1-l.pbar)/p.Expected)
}

// at is the limit at expected count e for normal quantile z (negative =
// lower), never below 0.
func (l funnelLimits) at(e, z float64) float64 {
	return math.Max(0, 1+z*math.Sqrt(l.phi*(1-l.pbar)/e))
}

// funnelMin is the fewest partners a funnel plot is drawn for.
const funnelMin = 10

// The funnel plot's limits: 90% and 99.8% two-sided.
const (
	z90  = 1.645
	z998 = 3.090
)

func (r *report) funnel(f Funnel) {
	doc := r.doc
	if len(f.Points) < funnelMin {
		doc.Heading("Funnel plot", 10)
		doc.Paragraph(fmt.Sprintf("%s %s evidence this quarter; a funnel plot needs at least %d to show how far partners spread beyond chance, so there is none.",
			words.Plural(len(f.Points), "partner has", "partners have"), f.Outcome, funnelMin), pdf.Style{})
		return
	}
	doc.Heading(fmt.Sprintf("Funnel plot: %s against evidence", f.Outcome), 120)
	l := limitsOf(f.Points)
	xa, ya := funnelAxes(f, l)
	h := 105.0
	p := doc.Plot(doc.Left(), doc.Y, doc.Width(), h, xa, ya)
	n := drawFunnel(doc, p, f, l)
	doc.Y += h + 1
	doc.Y += doc.Legend(doc.Left(), doc.Y, doc.Width(), []pdf.LegendItem{
		{Text: "within the 90% limits", Marker: funnelMarkers[inControl]},
		{Text: fmt.Sprintf("between 90%% and 99.8%% (%s)", words.Count(n[warning])), Marker: funnelMarkers[warning]},
		{Text: fmt.Sprintf("above 99.8%% (%s)", words.Count(n[above])), Marker: funnelMarkers[above]},
		{Text: fmt.Sprintf("below 99.8%% (%s)", words.Count(n[below])), Marker: funnelMarkers[below]},
		{Text: "90% limits", Line: &limit90},
		{Text: "99.8% limits", Line: &limit998},
	}) + 1
	doc.Paragraph(fmt.Sprintf("Each point is a partner: its observed %s over what its own case mix predicts, against how much evidence it has. "+
		"Small partners scatter widely by chance, so the limits narrow as evidence grows; only points outside them differ from expectation. "+
		"The limits are 1 ± z·√(φ(1−p̄)/E) with p̄ = %s, widened for overdispersion φ = %s (partners vary more than chance alone; φ is the 10%%-winsorised mean squared z-score, at least 1). "+
		"Points off the scale are drawn open on the top edge.",
		f.Outcome, words.Pct(l.pbar, 1), words.Num(l.phi, 2)), pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
}

// A partner's place on the funnel plot.
type funnelClass int

const (
	inControl funnelClass = iota // within the 90% limits
	warning                      // between the 90% and 99.8% limits
	above                        // above the 99.8% limit
	below                        // below it
)

var (
	funnelMarkers = [...]pdf.Marker{
		inControl: {Shape: pdf.Circle, Color: pdf.SkyBlue, Size: 1.1},
		warning:   {Shape: pdf.Diamond, Color: pdf.Orange, Size: 1.8},
		above:     {Shape: pdf.Square, Color: pdf.Blue, Size: 1.9},
		below:     {Shape: pdf.Triangle, Color: pdf.Vermillion, Size: 2.1},
	}
	limit90  = pdf.LineStyle{Color: pdf.Grey, Width: 0.35, Dash: []float64{1.5, 1}}
	limit998 = pdf.LineStyle{Color: pdf.Black, Width: 0.35}
)

// class places a partner against the limits.
func (l funnelLimits) class(p FunnelPoint) (funnelClass, float64) {
	z := l.z(p) / math.Sqrt(l.phi)
	switch {
	case z > z998:
		return above, z
	case z < -z998:
		return below, z
	case math.Abs(z) > z90:
		return warning, z
	}
	return inControl, z
}

// funnelAxes are the funnel plot's axes: evidence on a log scale when it
// spans more than a factor of 20, and O/E up to where nearly every
// partner is (at least 2, at most the widest 99.8% limit).
func funnelAxes(f Funnel, l funnelLimits) (pdf.Axis, pdf.Axis) {
	minE, maxE := math.Inf(1), 0.0
	ratios := make([]float64, len(f.Points))
	for i, p := range f.Points {
		minE, maxE = math.Min(minE, p.Expected), math.Max(maxE, p.Expected)
		ratios[i] = p.Observed / p.Expected
	}
	sort.Float64s(ratios)
	maxR := math.Max(2, ratios[int(0.995*float64(len(ratios)-1))])
	maxR = math.Min(maxR, math.Max(2, l.at(minE, z998)))
	xa := pdf.Axis{Label: fmt.Sprintf("evidence: %s expected for the partner's case mix", f.Events), Format: tickNumber}
	if maxE/minE < 20 {
		xa.Min, xa.Max = 0, niceMax(maxE)
	} else {
		xa.Log, xa.Label = true, xa.Label+" (log scale)"
		xa.Min, xa.Max = logBelow(minE), logAbove(maxE)
	}
	ya := pdf.Axis{Min: 0, Max: maxR, Label: "observed / expected (1 = as expected)", Format: func(x float64) string { return words.Num(x, 1) }}
	return xa, ya
}

// drawFunnel draws the partners (in control first, the outliers over
// them), the limits and the names of the most extreme outliers, and
// counts the partners of each class.
func drawFunnel(doc *pdf.Doc, p *pdf.Plot, f Funnel, l funnelLimits) [4]int {
	var n [4]int
	type outlier struct {
		i int
		z float64
	}
	var outs []outlier
	for pass := 0; pass < 2; pass++ {
		for i, pt := range f.Points {
			c, z := l.class(pt)
			if (pass == 0) != (c == inControl) {
				continue
			}
			n[c]++
			if c == above || c == below {
				outs = append(outs, outlier{i, z})
			}
			m := funnelMarkers[c]
			y := pt.Observed / pt.Expected
			if y > p.YA.Max {
				y, m.Open = p.YA.Max, true // off the scale: drawn open on the top edge
			}
			p.Points([]float64{pt.Expected}, []float64{y}, m)
			if c != inControl { // labels keep clear of the outliers
				p.Reserve(p.PX(pt.Expected)-m.Size/2, p.PY(y)-m.Size/2, m.Size, m.Size)
			}
		}
	}
	xs := make([]float64, 121)
	for i := range xs {
		t := float64(i) / 120
		if p.XA.Log {
			xs[i] = p.XA.Min * math.Pow(p.XA.Max/p.XA.Min, t)
		} else {
			xs[i] = math.Max(p.XA.Max/240, p.XA.Max*t)
		}
	}
	for _, lim := range []struct {
		z  float64
		ls pdf.LineStyle
	}{{z90, limit90}, {-z90, limit90}, {z998, limit998}, {-z998, limit998}} {
		ys := make([]float64, len(xs))
		for i, x := range xs {
			ys[i] = l.at(x, lim.z)
		}
		p.Curve(xs, ys, lim.ls)
	}
	p.HLine(1, pdf.LineStyle{Color: pdf.Ink, Width: 0.3})
	sort.SliceStable(outs, func(a, b int) bool { return math.Abs(outs[a].z) > math.Abs(outs[b].z) })
	named := 0
	for _, o := range outs {
		if named == 8 {
			break
		}
		pt := f.Points[o.i]
		if p.Label(pt.Expected, math.Min(pt.Observed/pt.Expected, p.YA.Max), fitPartner(doc, pt.Partner, 45, 6.5, false), pdf.Style{Size: 6.5}) {
			named++
		}
	}
	return n
}

// logBelow and logAbove round v down and up to 1, 2 or 5 times a power
// of ten: the ends of a log axis.
func logBelow(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{5, 2, 1} {
		if m*p <= v {
			return m * p
		}
	}
	return p
}

func logAbove(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// tickNumber writes a tick value with the digits it needs: 0, 0.5, 0.02, 100.
func tickNumber(x float64) string {
	if x >= 1 || x == 0 {
		return words.Num(x, 0)
	}
	return strconv.FormatFloat(x, 'g', 2, 64)
}

// niceMax rounds v up to a round number for an axis end.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	t := pdf.NiceTicks(0, v, 5)
	top := t[len(t)-1]
	if top < v {
		top += t[1] - t[0]
	}
	return top
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
