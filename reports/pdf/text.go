package pdf

import (
	"strings"
	"unicode"
)

// Align is how text sits on its x: starting there, centred on it, or
// ending there.
type Align uint8

const (
	Left Align = iota
	Center
	Right
)

// Style is how a piece of text is set.
type Style struct {
	Size  float64 // points; 0 = BodySize
	Bold  bool
	Color RGB // zero = Ink
	Align Align
}

func (st Style) size() float64 {
	if st.Size == 0 {
		return BodySize
	}
	return st.Size
}

// TextWidth is the width of s set at pt points, in millimetres, each
// character measured in the font that will print it.
func (d *Doc) TextWidth(s string, pt float64, bold bool) float64 {
	var em float64
	for _, r := range d.t.runs(s, &d.buf) {
		for _, c := range r.text {
			em += d.t.advance(r.face, bold, c, &d.buf)
		}
	}
	return em * pt * ptToMM
}

// Text sets s with its baseline at y, placed on x as st.Align says.
func (d *Doc) Text(x, y float64, s string, st Style) {
	pt := st.size()
	switch st.Align {
	case Center:
		x -= d.TextWidth(s, pt, st.Bold) / 2
	case Right:
		x -= d.TextWidth(s, pt, st.Bold)
	}
	c := st.Color
	if c == (RGB{}) {
		c = Ink
	}
	d.f.SetTextColor(c.R, c.G, c.B)
	for _, r := range d.t.runs(s, &d.buf) {
		d.setFont(r.face, st.Bold, pt)
		d.f.Text(x, y, r.text)
		x += d.TextWidth(r.text, pt, st.Bold)
	}
}

// VText sets s rotated a quarter turn anticlockwise, reading upwards,
// centred on y with its baseline at x.
func (d *Doc) VText(x, y float64, s string, st Style) {
	d.f.TransformBegin()
	d.f.TransformRotate(90, x, y)
	st.Align = Center
	d.Text(x, y, s, st)
	d.f.TransformEnd()
	d.font = "" // the font set inside the transform ends with it
}

// Fit is s, cut and ended with an ellipsis if it is wider than w.
func (d *Doc) Fit(s string, w, pt float64, bold bool) string {
	if d.TextWidth(s, pt, bold) <= w {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs) // the longest prefix that fits with "…"
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.TextWidth(strings.TrimRightFunc(string(rs[:mid]), unicode.IsSpace)+"…", pt, bold) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRightFunc(string(rs[:lo]), unicode.IsSpace) + "…"
}

// Lines wraps s to width w: at spaces, and inside a word only when the
// word alone is wider than w (names in scripts without spaces).
func (d *Doc) Lines(s string, w, pt float64, bold bool) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if d.TextWidth(try, pt, bold) <= w {
				line = try
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			line = word
			for d.TextWidth(line, pt, bold) > w { // a word wider than the line
				rs := []rune(line)
				n := len(rs) - 1
				for n > 1 && d.TextWidth(string(rs[:n]), pt, bold) > w {
					n--
				}
				out = append(out, string(rs[:n]))
				line = string(rs[n:])
			}
		}
		out = append(out, line)
	}
	return out
}
