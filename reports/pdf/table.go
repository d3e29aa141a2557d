package pdf

// Col is one column of a table.
type Col struct {
	Title string
	W     float64 // millimetres; 0 = an equal share of what the others leave
	Align Align
	Wrap  bool // wrap long text onto more lines; otherwise it is cut with an ellipsis
}

// Table is a table to place in the flow.
type Table struct {
	Cols []Col
	Rows [][]string
	Bold map[int]bool // rows set in bold (e.g. a total)
	Size float64      // points; 0 = SmallSize
}

const cellPad = 1.2 // millimetres of padding left and right of a cell

// Table places t in the flow: it breaks across pages, repeating the
// header on each.
func (d *Doc) Table(t Table) {
	ws := d.colWidths(t.Cols)
	pt := t.Size
	if pt == 0 {
		pt = SmallSize
	}
	lh := LineHeight(pt)
	header := make([][]string, len(t.Cols))
	hLines := 1
	for i, c := range t.Cols {
		header[i] = d.Lines(c.Title, ws[i]-2*cellPad, pt, true)
		hLines = max(hLines, len(header[i]))
	}
	drawHeader := func() {
		x := d.Left()
		for i, c := range t.Cols {
			for j, l := range header[i] {
				d.cell(x, ws[i], d.Y+lh*(float64(j+hLines-len(header[i]))+0.75), l, c.Align, Style{Size: pt, Bold: true})
			}
			x += ws[i]
		}
		d.Y += lh * float64(hLines)
		d.Rule(d.Y + 0.3)
		d.Y += 0.8
	}
	d.Need(lh*float64(hLines+1) + 1)
	drawHeader()
	for r, row := range t.Rows {
		cells := make([][]string, len(t.Cols))
		n := 1
		for i, c := range t.Cols {
			s := ""
			if i < len(row) {
				s = row[i]
			}
			if c.Wrap {
				cells[i] = d.Lines(s, ws[i]-2*cellPad, pt, t.Bold[r])
			} else {
				cells[i] = []string{d.Fit(s, ws[i]-2*cellPad, pt, t.Bold[r])}
			}
			n = max(n, len(cells[i]))
		}
		h := lh * float64(n)
		if d.Need(h) {
			drawHeader()
		}
		if r%2 == 1 {
			d.Fill(d.Left(), d.Y, d.Width(), h, Shade)
		}
		x := d.Left()
		for i, c := range t.Cols {
			for j, l := range cells[i] {
				d.cell(x, ws[i], d.Y+lh*(float64(j)+0.75), l, c.Align, Style{Size: pt, Bold: t.Bold[r]})
			}
			x += ws[i]
		}
		d.Y += h
	}
	d.Rule(d.Y + 0.3)
	d.Y += lh * 0.8
}

// cell sets s in the column starting at x of width w, baseline y.
func (d *Doc) cell(x, w, y float64, s string, a Align, st Style) {
	st.Align = a
	switch a {
	case Center:
		x += w / 2
	case Right:
		x += w - cellPad
	default:
		x += cellPad
	}
	d.Text(x, y, s, st)
}

// colWidths gives columns without a width an equal share of the rest.
func (d *Doc) colWidths(cols []Col) []float64 {
	ws := make([]float64, len(cols))
	rest, free := d.Width(), 0
	for i, c := range cols {
		ws[i] = c.W
		rest -= c.W
		if c.W == 0 {
			free++
		}
	}
	for i := range ws {
		if ws[i] == 0 {
			ws[i] = max(rest/float64(free), 8)
		}
	}
	return ws
}
