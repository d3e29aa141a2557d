package board

import (
	"fmt"
	"math"
	"sort"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
)

// partsShown is how many contributions a waterfall shows by name; the
// rest are summed into one bar, so the bars still add up to the change.
const partsShown = 4

func (r *report) movers() {
	doc, d := r.doc, r.d
	doc.Section(Sections[secMovers])
	if len(d.Rises)+len(d.Falls) == 0 {
		doc.Paragraph("No partner was scored both this quarter and last, so there are no movers to show.", pdf.Style{})
		return
	}
	doc.Paragraph("The partners whose PQI moved most on last quarter. Each bar is one component's contribution to the move "+
		"(the change in its weighted score, carried through the index's curve), or what reading the components together moved; "+
		"the bars add up to the change. "+
		"A change inside the partners' intervals may be noise: read it with the interval on the quality page.", pdf.Style{})
	gap := 6.0
	w := (doc.Width() - gap) / 2
	y0 := doc.Y
	colY := [2]float64{y0, y0}
	for col, list := range [][]Mover{d.Rises, d.Falls} {
		x := doc.Left() + float64(col)*(w+gap)
		title := "Largest rises"
		if col == 1 {
			title = "Largest falls"
		}
		doc.Text(x, colY[col]+4, title, pdf.Style{Size: pdf.HeadSize, Bold: true})
		colY[col] += 7
		if len(list) == 0 {
			doc.Text(x, colY[col]+3, "none this quarter", pdf.Style{Color: pdf.Grey})
			colY[col] += 6
		}
		for _, m := range list {
			h := r.waterfall(x, colY[col], w, m)
			colY[col] += h + 3
		}
	}
	doc.Y = math.Max(colY[0], colY[1])
}

// waterfall draws one mover's change as a horizontal waterfall and
// returns the height it took.
func (r *report) waterfall(x, y, w float64, m Mover) float64 {
	doc := r.doc
	doc.Text(x, y+3, fitPartner(doc, m.Partner, w-35, pdf.BodySize, true), pdf.Style{Bold: true})
	doc.Text(x+w, y+3, fmt.Sprintf("%s → %s (%s)", words.Num(m.Prev, 1), words.Num(m.Now, 1), words.Signed(words.PrintedDiff(m.Now, m.Prev, 1), 1)), pdf.Style{Size: pdf.SmallSize, Align: pdf.Right})
	parts := roundParts(foldParts(m.Parts, partsShown), words.PrintedDiff(m.Now, m.Prev, 1), 1)
	names := []string{"this quarter"}
	for i := len(parts) - 1; i >= 0; i-- {
		names = append(names, words.Label(parts[i].Label))
	}
	names = append(names, "last quarter")
	// the running total after each bar, to size the axis
	lo, hi := math.Min(m.Prev, m.Now), math.Max(m.Prev, m.Now)
	cum := m.Prev
	for _, p := range parts {
		cum += p.Value
		lo, hi = math.Min(lo, cum), math.Max(hi, cum)
	}
	pad := math.Max(2, (hi-lo)*0.35)
	lo, hi = math.Max(0, lo-pad), math.Min(100, hi+pad)
	t := pdf.NiceTicks(lo, hi, 4)
	rowH := 3.6
	h := float64(len(names))*rowH + 9
	p := doc.Plot(x, y+4.5, w, h, pdf.Axis{Min: lo, Max: hi, Ticks: t, Format: func(v float64) string { return words.Num(v, 0) }},
		pdf.Axis{Names: names})
	n := float64(len(names))
	row := func(i int) (float64, float64) { // the data band of row i counted from the top
		v := n - 1 - float64(i)
		return v - 0.32, v + 0.32
	}
	mark := func(v, at float64, i int, s string) {
		b0, b1 := row(i)
		py := (p.PY(b0) + p.PY(b1)) / 2
		st := pdf.Style{Size: 6.5, Color: pdf.Ink}
		px := p.PX(at) + 1
		if v < 0 {
			px, st.Align = p.PX(at)-1, pdf.Right
		}
		doc.Text(px, py+0.8, s, st)
	}
	b0, b1 := row(0)
	p.Bar(lo, m.Prev, b0, b1, pdf.Grey)
	mark(1, m.Prev, 0, words.Num(m.Prev, 1))
	cum = m.Prev
	for i, pt := range parts {
		c := pdf.Good
		if pt.Value < 0 {
			c = pdf.Bad
		}
		b0, b1 = row(i + 1)
		p.Bar(cum, cum+pt.Value, b0, b1, c)
		end := math.Max(cum, cum+pt.Value)
		if pt.Value < 0 {
			end = math.Min(cum, cum+pt.Value)
		}
		mark(pt.Value, end, i+1, words.Signed(pt.Value, 1))
		cum += pt.Value
	}
	b0, b1 = row(len(parts) + 1)
	p.Bar(lo, m.Now, b0, b1, pdf.Grey)
	mark(1, m.Now, len(parts)+1, words.Num(m.Now, 1))
	return h + 4.5
}

// foldParts keeps the n largest contributions by size, in that order, and
// sums the rest into "other components"; zero contributions are dropped.
func foldParts(ps []Part, n int) []Part {
	var nz []Part
	for _, p := range ps {
		if p.Value != 0 && !math.IsNaN(p.Value) {
			nz = append(nz, p)
		}
	}
	sort.SliceStable(nz, func(i, j int) bool { return math.Abs(nz[i].Value) > math.Abs(nz[j].Value) })
	if len(nz) <= n+1 {
		return nz
	}
	rest := Part{Label: fmt.Sprintf("%d other components", len(nz)-n)}
	for _, p := range nz[n:] {
		rest.Value += p.Value
	}
	return append(nz[:n:n], rest)
}

// roundParts rounds contributions to digits decimals so that the printed
// ones add up to total (the printed change): each is rounded, and the
// remaining units go to the parts that rounding moved most (largest
// remainder), so no part moves by more than one unit.
func roundParts(ps []Part, total float64, digits int) []Part {
	if len(ps) == 0 {
		return ps
	}
	s := math.Pow10(digits)
	out := make([]Part, len(ps))
	sum := 0.0
	for i, p := range ps {
		out[i] = Part{Label: p.Label, Value: math.Round(p.Value * s)}
		sum += out[i].Value
	}
	left := math.Round(total*s) - sum
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	for ; left != 0; left -= math.Copysign(1, left) {
		// the part whose rounding went furthest against the direction needed
		sort.SliceStable(order, func(a, b int) bool {
			ra, rb := ps[order[a]].Value*s-out[order[a]].Value, ps[order[b]].Value*s-out[order[b]].Value
			return ra*math.Copysign(1, left) > rb*math.Copysign(1, left)
		})
		out[order[0]].Value += math.Copysign(1, left)
	}
	for i := range out {
		out[i].Value /= s
	}
	return out
}
