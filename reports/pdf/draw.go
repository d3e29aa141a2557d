package pdf

import (
	"math"

	"github.com/jung-kurt/gofpdf"
)

// Shape is a marker's shape; series pair a shape with a palette colour.
type Shape uint8

const (
	Circle Shape = iota
	Square
	Triangle
	Diamond
	NumShapes = iota
)

// Marker is how a point is drawn; Size is its width in millimetres.
type Marker struct {
	Shape Shape
	Color RGB
	Size  float64
	Open  bool // outline only
}

// LineStyle is how a line is drawn; Width in millimetres, Dash the
// on/off lengths (nil = solid).
type LineStyle struct {
	Color RGB
	Width float64
	Dash  []float64
}

// Fill paints the rectangle (x, y, w, h) in c.
func (d *Doc) Fill(x, y, w, h float64, c RGB) {
	d.f.SetFillColor(c.R, c.G, c.B)
	d.f.Rect(x, y, w, h, "F")
}

// Box outlines the rectangle (x, y, w, h).
func (d *Doc) Box(x, y, w, h float64, ls LineStyle) {
	d.stroke(ls)
	d.f.Rect(x, y, w, h, "D")
	d.f.SetDashPattern(nil, 0)
}

// Line draws a straight line.
func (d *Doc) Line(x1, y1, x2, y2 float64, ls LineStyle) {
	d.stroke(ls)
	d.f.Line(x1, y1, x2, y2)
	d.f.SetDashPattern(nil, 0)
}

// Polyline draws a line through the points; a NaN coordinate breaks it.
func (d *Doc) Polyline(xs, ys []float64, ls LineStyle) {
	d.stroke(ls)
	open := false
	for i := range xs {
		if math.IsNaN(xs[i]) || math.IsNaN(ys[i]) {
			if open {
				d.f.DrawPath("D")
			}
			open = false
			continue
		}
		if open {
			d.f.LineTo(xs[i], ys[i])
		} else {
			d.f.MoveTo(xs[i], ys[i])
			open = true
		}
	}
	if open {
		d.f.DrawPath("D")
	}
	d.f.SetDashPattern(nil, 0)
}

func (d *Doc) stroke(ls LineStyle) {
	d.f.SetDrawColor(ls.Color.R, ls.Color.G, ls.Color.B)
	w := ls.Width
	if w == 0 {
		w = 0.25
	}
	d.f.SetLineWidth(w)
	d.f.SetDashPattern(ls.Dash, 0)
}

// Marker draws m centred on (x, y).
func (d *Doc) Marker(x, y float64, m Marker) {
	r := m.Size / 2
	style := "F"
	if m.Open {
		style = "D"
		d.stroke(LineStyle{Color: m.Color, Width: 0.25})
	} else {
		d.f.SetFillColor(m.Color.R, m.Color.G, m.Color.B)
	}
	switch m.Shape {
	case Square:
		d.f.Rect(x-r*0.85, y-r*0.85, 1.7*r, 1.7*r, style)
	case Triangle:
		d.f.Polygon([]gofpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y + r*0.8}, {X: x - r, Y: y + r*0.8}}, style)
	case Diamond:
		d.f.Polygon([]gofpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y}, {X: x, Y: y + r}, {X: x - r, Y: y}}, style)
	default:
		d.f.Circle(x, y, r, style)
	}
}

// Clip limits drawing to the rectangle until the returned func is called.
func (d *Doc) Clip(x, y, w, h float64) (end func()) {
	d.f.ClipRect(x, y, w, h, false)
	return func() {
		d.f.ClipEnd()
		d.font = "" // a font set inside the clip ends with it
	}
}
