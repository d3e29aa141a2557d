package pdf

import (
	"math"
	"strconv"
)

// Axis is one axis of a plot.
type Axis struct {
	Min, Max float64
	Log      bool // base-10 logarithmic; Min must be > 0
	Label    string
	Format   func(float64) string // tick labels; nil = a plain number
	Ticks    []float64            // nil = chosen: 1-2-5 steps, or powers of ten on a log axis
	Names    []string             // category names: tick i at value i, no gridlines
}

// Plot is a chart's plotting area (X, Y, W, H in page millimetres) with
// its axes drawn. Labels placed on it never overlap one another.
type Plot struct {
	d          *Doc
	X, Y, W, H float64
	XA, YA     Axis
	taken      []rect
	drawn      map[dot]bool // markers drawn, by style and position on a grid finer than the eye
}

// dot is a marker at a position quantised to a third of its size: a
// second marker there would cover the first exactly, to the eye.
type dot struct {
	m    Marker
	x, y int32
}

type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) overlaps(o rect) bool {
	return r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1
}

// Plot draws gridlines, axes, ticks and axis titles in the box (x, y, w,
// h), which includes the room they take, and returns the plotting area.
func (d *Doc) Plot(x, y, w, h float64, xa, ya Axis) *Plot {
	th := LineHeight(SmallSize)
	yt := ya.ticks()
	yw := 0.0
	for _, t := range yt {
		yw = max(yw, d.TextWidth(ya.format(t), SmallSize, false))
	}
	left := yw + 2
	if ya.Label != "" {
		left += th + 1
	}
	bottom := th + 1.5
	if xa.Label != "" {
		bottom += th + 0.5
	}
	p := &Plot{d: d, X: x + left, Y: y + 1, W: w - left - 2, H: h - bottom - 1, XA: xa, YA: ya}
	grid := LineStyle{Color: Grid, Width: 0.2}
	st := Style{Size: SmallSize, Color: Grey}
	for _, t := range yt {
		py := p.PY(t)
		if ya.Names == nil {
			d.Line(p.X, py, p.X+p.W, py, grid)
		}
		st.Align = Right
		d.Text(p.X-1.5, py+th*0.28, ya.format(t), st)
	}
	xt := xa.ticks()
	lastEnd := math.Inf(-1)
	if len(yt) > 0 && math.Abs(p.PY(yt[0])-(p.Y+p.H)) < 0.5 {
		lastEnd = p.X - 3 // the lowest y label sits at the corner: an x label there must clear it
	}
	for _, t := range xt {
		px := p.PX(t)
		if xa.Names == nil {
			d.Line(px, p.Y, px, p.Y+p.H, grid)
		}
		s := xa.format(t)
		tw := d.TextWidth(s, SmallSize, false)
		if px-tw/2 < lastEnd+1.5 { // thin tick labels that would touch
			continue
		}
		lastEnd = px + tw/2
		st.Align = Center
		d.Text(px, p.Y+p.H+th*0.85, s, st)
	}
	axis := LineStyle{Color: Rule, Width: 0.3}
	d.Line(p.X, p.Y+p.H, p.X+p.W, p.Y+p.H, axis)
	d.Line(p.X, p.Y, p.X, p.Y+p.H, axis)
	if xa.Label != "" {
		d.Text(p.X+p.W/2, y+h-0.8, xa.Label, Style{Size: SmallSize, Color: Ink, Align: Center})
	}
	if ya.Label != "" {
		d.VText(x+th*0.75, p.Y+p.H/2, ya.Label, Style{Size: SmallSize, Color: Ink})
	}
	return p
}

func (a Axis) format(v float64) string {
	if a.Names != nil {
		if i := int(math.Round(v)); i >= 0 && i < len(a.Names) {
			return a.Names[i]
		}
		return ""
	}
	if a.Format != nil {
		return a.Format(v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func (a Axis) ticks() []float64 {
	switch {
	case a.Ticks != nil:
		return a.Ticks
	case a.Names != nil:
		t := make([]float64, len(a.Names))
		for i := range t {
			t[i] = float64(i)
		}
		return t
	case a.Log:
		return LogTicks(a.Min, a.Max)
	}
	return NiceTicks(a.Min, a.Max, 5)
}

// NiceTicks are about n round values (steps of 1, 2 or 5 times a power of
// ten) covering min..max.
func NiceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || n < 1 {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	e := math.Floor(math.Log10(raw))
	m := 10.0
	for _, c := range []float64{1, 2, 5} {
		if c*math.Pow(10, e) >= raw {
			m = c
			break
		}
	}
	// tick k is k·m·10^e, computed so that 3 × 0.2 prints as 0.6
	at := func(k float64) float64 {
		if e < 0 {
			return k*m/math.Pow(10, -e) + 0 // +0 turns −0 into 0
		}
		return k*m*math.Pow(10, e) + 0
	}
	step := at(1)
	var out []float64
	for k := math.Ceil(lo/step - 1e-9); at(k) <= hi+step*1e-9; k++ {
		out = append(out, at(k))
	}
	return out
}

// LogTicks are the powers of ten in lo..hi, with 2 and 5 times each when
// there are fewer than three.
func LogTicks(lo, hi float64) []float64 {
	var out []float64
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		if v := math.Pow(10, e); v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
			out = append(out, v)
		}
	}
	if len(out) >= 3 {
		return out
	}
	out = out[:0]
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			if v := m * math.Pow(10, e); v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				out = append(out, v)
			}
		}
	}
	return out
}

// PX and PY map data values to page millimetres.
func (p *Plot) PX(v float64) float64 { return p.X + p.W*p.XA.frac(v) }
func (p *Plot) PY(v float64) float64 { return p.Y + p.H*(1-p.YA.frac(v)) }

func (a Axis) frac(v float64) float64 {
	lo, hi := a.Min, a.Max
	if a.Names != nil {
		lo, hi = -0.5, float64(len(a.Names))-0.5
	}
	if a.Log {
		return (math.Log10(v) - math.Log10(lo)) / (math.Log10(hi) - math.Log10(lo))
	}
	return (v - lo) / (hi - lo)
}

func (a Axis) inside(v float64) bool {
	if math.IsNaN(v) || (a.Log && v <= 0) {
		return false
	}
	f := a.frac(v)
	return f >= -1e-9 && f <= 1+1e-9
}

// Points draws a marker at each (x, y) inside the axes' ranges. A marker
// that would land where one of the same style already is (within a third
// of its size) is not drawn again: at 40,000 partners that keeps the file
// small and changes nothing on the page.
func (p *Plot) Points(xs, ys []float64, m Marker) {
	if p.drawn == nil {
		p.drawn = map[dot]bool{}
	}
	q := math.Max(m.Size, 0.3) / 3
	for i := range xs {
		if !p.XA.inside(xs[i]) || !p.YA.inside(ys[i]) {
			continue
		}
		px, py := p.PX(xs[i]), p.PY(ys[i])
		k := dot{m, int32(math.Round(px / q)), int32(math.Round(py / q))}
		if p.drawn[k] {
			continue
		}
		p.drawn[k] = true
		p.d.Marker(px, py, m)
	}
}

// Curve draws a line through the data points, clipped to the area.
func (p *Plot) Curve(xs, ys []float64, ls LineStyle) {
	px, py := make([]float64, len(xs)), make([]float64, len(xs))
	for i := range xs {
		px[i], py[i] = math.NaN(), math.NaN()
		if !math.IsNaN(xs[i]) && !math.IsNaN(ys[i]) && (!p.XA.Log || xs[i] > 0) && (!p.YA.Log || ys[i] > 0) {
			px[i], py[i] = p.PX(xs[i]), p.PY(ys[i])
		}
	}
	end := p.d.Clip(p.X, p.Y, p.W, p.H)
	p.d.Polyline(px, py, ls)
	end()
}

// HLine draws a horizontal line across the area at data value y.
func (p *Plot) HLine(y float64, ls LineStyle) {
	if p.YA.inside(y) {
		p.d.Line(p.X, p.PY(y), p.X+p.W, p.PY(y), ls)
	}
}

// Bar fills the data rectangle x0..x1 by y0..y1, clipped to the area.
func (p *Plot) Bar(x0, x1, y0, y1 float64, c RGB) {
	ax0, ax1 := math.Min(p.PX(x0), p.PX(x1)), math.Max(p.PX(x0), p.PX(x1))
	ay0, ay1 := math.Min(p.PY(y0), p.PY(y1)), math.Max(p.PY(y0), p.PY(y1))
	ax0, ax1 = math.Max(ax0, p.X), math.Min(ax1, p.X+p.W)
	ay0, ay1 = math.Max(ay0, p.Y), math.Min(ay1, p.Y+p.H)
	if ax1 > ax0 && ay1 > ay0 {
		p.d.Fill(ax0, ay0, ax1-ax0, ay1-ay0, c)
	}
}

// Label sets s beside the data point (x, y): right of it, else left,
// above or below, wherever it stays inside the area and clear of every
// label placed before. It reports whether there was room; a label
// without room is left out rather than drawn over another.
func (p *Plot) Label(x, y float64, s string, st Style) bool {
	if !p.XA.inside(x) || !p.YA.inside(y) {
		return false
	}
	return p.LabelAt(p.PX(x), p.PY(y), s, st)
}

// LabelAt is Label at a point in page millimetres.
func (p *Plot) LabelAt(px, py float64, s string, st Style) bool {
	pt := st.size()
	w, h := p.d.TextWidth(s, pt, st.Bold), pt*ptToMM
	gap := 1.2
	for _, c := range []rect{
		{px + gap, py - h/2, px + gap + w, py + h/2},
		{px - gap - w, py - h/2, px - gap, py + h/2},
		{px - w/2, py - gap - h, px + w/2, py - gap},
		{px - w/2, py + gap, px + w/2, py + gap + h},
	} {
		if c.x0 < p.X || c.x1 > p.X+p.W || c.y0 < p.Y || c.y1 > p.Y+p.H {
			continue
		}
		if p.clear(c) {
			p.taken = append(p.taken, c)
			p.d.Fill(c.x0-0.3, c.y0-0.2, c.x1-c.x0+0.6, c.y1-c.y0+0.4, White) // a halo, so points behind do not cross it
			st.Align = Left
			p.d.Text(c.x0, c.y1-h*0.15, s, st)
			return true
		}
	}
	return false
}

// Reserve marks a page rectangle (a legend, a note) that labels must keep
// clear of.
func (p *Plot) Reserve(x, y, w, h float64) { p.taken = append(p.taken, rect{x, y, x + w, y + h}) }

func (p *Plot) clear(c rect) bool {
	for _, t := range p.taken {
		if c.overlaps(t) {
			return false
		}
	}
	return true
}

// LegendItem is one entry of a legend: a marker or, with Line set, a
// line sample.
type LegendItem struct {
	Text   string
	Marker Marker
	Line   *LineStyle
}

// Legend sets the items in a row starting at (x, y), wrapping within
// width w; it returns the height used.
func (d *Doc) Legend(x, y, w float64, items []LegendItem) float64 {
	lh := LineHeight(SmallSize)
	cx, cy := x, y
	for _, it := range items {
		iw := 6 + d.TextWidth(it.Text, SmallSize, false) + 4
		if cx > x && cx+iw > x+w {
			cx, cy = x, cy+lh
		}
		mid := cy + lh/2
		if it.Line != nil {
			d.Line(cx, mid, cx+4.5, mid, *it.Line)
		} else {
			m := it.Marker
			if m.Size == 0 {
				m.Size = 2
			}
			d.Marker(cx+2.2, mid, m)
		}
		d.Text(cx+6, mid+lh*0.28, it.Text, Style{Size: SmallSize})
		cx += iw
	}
	return cy + lh - y
}
