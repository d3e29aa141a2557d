package board

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

// modelColors are the attribution models' colours, in Models order.
var modelColors = []pdf.RGB{pdf.Blue, pdf.Orange, pdf.Green, pdf.Purple, pdf.SkyBlue}

func (r *report) attribution() {
	doc, a := r.doc, r.d.Attribution
	doc.Section(Sections[secAttribution])
	doc.Paragraph(fmt.Sprintf("Won revenue over %s credited to partners under each attribution model, by long-tail segment. "+
		"Sourced only credits the partners that sourced a deal; equal split shares it among every partner on it; role weighted by role; "+
		"Shapley by each partner's marginal contribution; primary 60/40 gives the primary (sourcing) partner the primary share (60%% by default) and the others the rest. Where the models disagree, the credit depends on the model, not on the partner.", a.Window), pdf.Style{})
	top := 0.0
	any := false
	for s := range schema.Tail(schema.NumTails) {
		for _, v := range a.Credit[s] {
			top = math.Max(top, v)
			any = any || v > 0
		}
	}
	if any {
		names := make([]string, schema.NumTails)
		for s := range schema.Tail(schema.NumTails) {
			names[s] = schema.Words(s.String())
		}
		h := 70.0
		doc.Need(h + 12)
		doc.Gap(3) // room for the top tick label
		p := doc.Plot(doc.Left(), doc.Y, doc.Width(), h, pdf.Axis{Names: names},
			pdf.Axis{Min: 0, Max: niceMax(top), Label: "won revenue credited", Format: usdTick})
		bw := 0.8 / float64(len(Models))
		for s := range schema.Tail(schema.NumTails) {
			for m, v := range a.Credit[s] {
				x0 := float64(s) - 0.4 + float64(m)*bw
				p.Bar(x0+0.01, x0+bw-0.01, 0, v, modelColors[m])
			}
		}
		doc.Y += h + 1
		var items []pdf.LegendItem
		for m, name := range Models {
			items = append(items, pdf.LegendItem{Text: name, Marker: pdf.Marker{Shape: pdf.Square, Color: modelColors[m], Size: 2.4}})
		}
		doc.Y += doc.Legend(doc.Left(), doc.Y, doc.Width(), items) + 3
	}
	cols := []pdf.Col{{Title: "segment", W: 30}}
	for _, m := range Models {
		cols = append(cols, pdf.Col{Title: m, Align: pdf.Right})
	}
	var rows [][]string
	total := make([]float64, len(Models))
	for s := range schema.Tail(schema.NumTails) {
		row := []string{schema.Words(s.String())}
		for m := range Models {
			v := 0.0
			if m < len(a.Credit[s]) {
				v = a.Credit[s][m]
			}
			row = append(row, usd(v))
			total[m] += v
		}
		rows = append(rows, row)
	}
	row := []string{"all partners"}
	for _, v := range total {
		row = append(row, usd(v))
	}
	rows = append(rows, row)
	doc.Table(pdf.Table{Cols: cols, Rows: rows, Bold: map[int]bool{len(rows) - 1: true}})
	doc.Heading("Partners whose credit depends most on the model", 25)
	if len(a.Shifts) == 0 {
		doc.Paragraph("No partner's credit differs between the models.", pdf.Style{})
		return
	}
	cols = []pdf.Col{{Title: "partner", Wrap: true}}
	for _, m := range Models {
		cols = append(cols, pdf.Col{Title: m, W: 24, Align: pdf.Right})
	}
	cols = append(cols, pdf.Col{Title: "spread", W: 22, Align: pdf.Right})
	rows = rows[:0]
	for _, s := range a.Shifts {
		row := []string{s.Partner.String()}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range s.Credit {
			row = append(row, usd(v))
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		rows = append(rows, append(row, usd(hi-lo)))
	}
	doc.Table(pdf.Table{Cols: cols, Rows: rows})
}
