package board

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
)

// trend answers "is the ecosystem getting better?" with the quarters up to
// the as-of date: the median PQI of the scored partners with its
// quartiles, the share scored, revenue through partners and cost to serve.
func (r *report) trend() {
	doc, t := r.doc, r.d.Trend
	doc.Heading("Is the ecosystem getting better?", 62)
	scored := 0
	for _, p := range t {
		if !math.IsNaN(p.Median) {
			scored++
		}
	}
	if scored < 2 {
		doc.Paragraph("No trend yet: only this quarter has scores. Rebuilding the earlier quarters from the same exports "+
			"(pqi run --quarters 8) gives the trend from the first run.", pdf.Style{})
		return
	}
	doc.Paragraph(trendSentence(t), pdf.Style{})
	gap := 5.0
	w := (doc.Width() - 3*gap) / 4
	h := 48.0
	doc.Need(h + 8)
	y := doc.Y
	xa := quarterAxis(t)
	series := []struct {
		title string
		value func(TrendPoint) float64
		band  func(TrendPoint) (float64, float64)
		tick  func(float64) string
		c     pdf.RGB
	}{
		{"Median PQI", func(p TrendPoint) float64 { return p.Median },
			func(p TrendPoint) (float64, float64) { return p.Lower, p.Upper }, func(v float64) string { return words.Num(v, 0) }, pdf.Blue},
		{"Partners scored", func(p TrendPoint) float64 { return p.Scored }, nil, func(v float64) string { return words.Pct(v, 0) }, pdf.Green},
		{"Revenue through partners", func(p TrendPoint) float64 { return p.Revenue }, nil, words.USDTick, pdf.Orange},
		{"Cost to serve", func(p TrendPoint) float64 { return p.Cost }, nil, words.USDTick, pdf.Vermillion},
	}
	for si, s := range series {
		x := doc.Left() + float64(si)*(w+gap)
		lo, hi := math.Inf(1), math.Inf(-1)
		var xs, ys []float64
		for i, p := range t {
			v := s.value(p)
			if math.IsNaN(v) {
				continue
			}
			xs, ys = append(xs, float64(i)), append(ys, v)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			if s.band != nil {
				a, b := s.band(p)
				lo, hi = math.Min(lo, a), math.Max(hi, b)
			}
		}
		doc.Text(x, y+3, doc.Fit(s.title, w, pdf.SmallSize, true), pdf.Style{Size: pdf.SmallSize, Bold: true})
		if len(xs) == 0 {
			doc.Text(x, y+10, words.NotMeasured, pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
			continue
		}
		pad := math.Max((hi-lo)*0.15, math.Abs(hi)*0.02+1e-9)
		ya := pdf.Axis{Min: math.Max(0, lo-pad), Max: hi + pad, Format: s.tick}
		ya.Ticks = pdf.NiceTicks(ya.Min, ya.Max, 4)
		p := doc.Plot(x, y+5, w, h-5, xa, ya)
		if s.band != nil {
			for i, pt := range t {
				if a, b := s.band(pt); !math.IsNaN(a) && !math.IsNaN(b) {
					p.Bar(float64(i)-0.28, float64(i)+0.28, a, b, pdf.Shade)
				}
			}
		}
		p.Curve(xs, ys, pdf.LineStyle{Color: s.c, Width: 0.5})
		p.Points(xs, ys, pdf.Marker{Shape: pdf.Circle, Color: s.c, Size: 1.1})
	}
	doc.Y = y + h + 2
	doc.Paragraph(fmt.Sprintf("Shaded: the middle half of the scored partners' PQI. Each quarter's PQI figures are as its own scores published them; money is restated from this quarter's tables. "+
		"%s to %s.", t[0].Quarter, t[len(t)-1].Quarter), pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
}

// quarterAxis is the trend charts' x axis: a quarter per point, labelled
// every other quarter ending with this one.
func quarterAxis(t []TrendPoint) pdf.Axis {
	n := float64(len(t))
	names := make([]string, len(t))
	for i, p := range t {
		names[i] = p.Quarter[2:] // 25-Q3: four quarters fit under a small chart
	}
	xa := pdf.Axis{Min: -0.5, Max: n - 0.5, Format: func(v float64) string {
		if i := int(math.Round(v)); i >= 0 && i < len(names) {
			return names[i]
		}
		return ""
	}}
	for i := range t {
		if i%2 == (len(t)-1)%2 { // every other quarter, ending with this one
			xa.Ticks = append(xa.Ticks, float64(i))
		}
	}
	return xa
}

// trendSentence says in words how the median PQI and the share scored
// moved over the quarters shown, from the first quarter with scores.
func trendSentence(t []TrendPoint) string {
	first := -1
	for i, p := range t {
		if !math.IsNaN(p.Median) {
			first = i
			break
		}
	}
	a, b := t[first], t[len(t)-1]
	dir := "unchanged"
	switch d := words.PrintedDiff(b.Median, a.Median, 1); {
	case d > 0:
		dir = "up " + words.Num(d, 1) + " points"
	case d < 0:
		dir = "down " + words.Num(-d, 1) + " points"
	}
	return fmt.Sprintf("Since %s the median PQI of the scored partners is %s, from %s to %s, and the share of partners with enough evidence "+
		"to be scored went from %s to %s. The PQI compares each partner with what its own deals predict: a median below 50 means the typical "+
		"scored partner delivers less than its deals predict.", a.Quarter, dir, words.Num(a.Median, 1), words.Num(b.Median, 1), words.Pct(a.Scored, 0), words.Pct(b.Scored, 0))
}
