package board

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
)

func (r *report) cohorts() {
	doc, c := r.doc, r.d.Cohorts
	doc.Section(Sections[secCohorts])
	if len(c.Rows) == 0 || c.Periods == 0 {
		doc.Paragraph("No partner has a join date in the scored data, so there is no activation triangle.", pdf.Style{})
		return
	}
	doc.Paragraph("Activation by join quarter: of the partners who joined in a quarter, the share with a registered deal by the end of each "+
		"quarter since joining (0 = the join quarter). Read down a column to see whether newer cohorts activate faster than older ones; "+
		"blank cells are quarters not yet reached. A cohort that joined before the deals data begin is marked before data: whether its partners "+
		"registered a deal before then is unknown, so its activation is not shown rather than shown as zero.", pdf.Style{})
	if s := cohortSentence(c); s != "" {
		doc.Paragraph(s, pdf.Style{Bold: true})
	}
	nameW, nW := 22.0, 16.0
	cellW := math.Min(14, (doc.Width()-nameW-nW)/float64(c.Periods))
	cellH := 7.0
	st := pdf.Style{Size: pdf.SmallSize, Bold: true}
	lh := pdf.LineHeight(pdf.SmallSize)
	doc.Need(cellH*float64(len(c.Rows)) + 3*lh + 15)
	x0 := doc.Left() + nameW + nW
	doc.Text(x0+cellW*float64(c.Periods)/2, doc.Y+lh*0.8, "quarters since joining", pdf.Style{Size: pdf.SmallSize, Align: pdf.Center, Color: pdf.Grey})
	doc.Y += lh
	doc.Text(doc.Left(), doc.Y+lh*0.8, "join quarter", st)
	st.Align = pdf.Right
	doc.Text(doc.Left()+nameW+nW-2, doc.Y+lh*0.8, "partners", st)
	st.Align = pdf.Center
	for p := 0; p < c.Periods; p++ {
		doc.Text(x0+cellW*(float64(p)+0.5), doc.Y+lh*0.8, fmt.Sprint(p), st)
	}
	doc.Y += lh + 0.5
	for _, row := range c.Rows {
		y := doc.Y
		doc.Text(doc.Left(), y+cellH*0.65, row.Cohort, pdf.Style{Size: pdf.SmallSize})
		doc.Text(doc.Left()+nameW+nW-2, y+cellH*0.65, words.Count(row.Partners), pdf.Style{Size: pdf.SmallSize, Align: pdf.Right})
		for p := 0; p < c.Periods && p < len(row.Rate); p++ {
			v := row.Rate[p]
			if math.IsNaN(v) {
				if p < row.Reached && row.BeforeData {
					x := x0 + cellW*float64(p)
					doc.Fill(x+0.25, y+0.25, cellW-0.5, cellH-0.5, pdf.Shade)
					doc.Text(x+cellW/2, y+cellH*0.65, doc.Fit("before data", cellW-1, 5, false), pdf.Style{Size: 5, Color: pdf.Grey, Align: pdf.Center})
				}
				continue
			}
			bg := pdf.Sequential(v)
			x := x0 + cellW*float64(p)
			doc.Fill(x+0.25, y+0.25, cellW-0.5, cellH-0.5, bg)
			doc.Text(x+cellW/2, y+cellH*0.65, fmt.Sprintf("%.0f%%", 100*v), pdf.Style{Size: 6.5, Color: pdf.On(bg), Align: pdf.Center})
		}
		doc.Y += cellH
	}
	// the colour scale
	doc.Y += 3
	doc.Text(doc.Left(), doc.Y+3, "activation", pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
	for i := 0; i <= 10; i++ {
		x := x0 + float64(i)*10
		bg := pdf.Sequential(float64(i) / 10)
		doc.Fill(x, doc.Y, 10, 4.5, bg)
		doc.Text(x+5, doc.Y+3.2, fmt.Sprintf("%d%%", i*10), pdf.Style{Size: 6, Color: pdf.On(bg), Align: pdf.Center})
	}
	doc.Y += 8
}

// cohortSentence compares the newest cohort that has reached a year with
// the oldest shown, at the same age; only cohorts whose whole year lies
// inside the data take part.
func cohortSentence(c Cohorts) string {
	const age = 3 // the fourth quarter since joining: a year in
	newest, oldest := -1, -1
	for i, row := range c.Rows {
		if !row.BeforeData && len(row.Rate) > age && !math.IsNaN(row.Rate[age]) && row.Partners > 0 {
			if oldest < 0 {
				oldest = i
			}
			newest = i
		}
	}
	if newest < 0 {
		return ""
	}
	n := c.Rows[newest]
	s := fmt.Sprintf("Of the partners who joined in %s, %s had registered a deal within a year", n.Cohort, words.Pct(n.Rate[age], 0))
	if oldest != newest {
		o := c.Rows[oldest]
		s += fmt.Sprintf(", against %s of those who joined in %s", words.Pct(o.Rate[age], 0), o.Cohort)
	}
	return s + "."
}
