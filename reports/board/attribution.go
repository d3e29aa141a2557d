package board

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

// modelAgreement says how far the models disagree at segment level: the
// largest gap between two models' credit to one segment, as a share of
// the segment's largest credit. A chart of near-identical bars would say
// less.
func modelAgreement(a Attribution) string {
	worst, seg, lo, hi := 0.0, schema.Tail(0), 0.0, 0.0
	for s := range schema.Tail(schema.NumTails) {
		cs := a.Credit[s]
		if len(cs) == 0 {
			continue
		}
		mn, mx := math.Inf(1), math.Inf(-1)
		for _, v := range cs {
			mn, mx = math.Min(mn, v), math.Max(mx, v)
		}
		if mx > 0 && (mx-mn)/mx > worst {
			worst, seg, lo, hi = (mx-mn)/mx, s, mn, mx
		}
	}
	if worst == 0 {
		return ""
	}
	return fmt.Sprintf("By segment the models differ by at most %s (%s: %s to %s): the choice of model moves credit between partners, "+
		"below, far more than between segments.", words.Pct(worst, 0), schema.Words(seg.String()), words.USD(lo), words.USD(hi))
}

func (r *report) attribution() {
	doc, a := r.doc, r.d.Attribution
	doc.Section(Sections[secAttribution])
	doc.Paragraph(fmt.Sprintf("Won revenue over %s credited to partners under each attribution model, by long-tail segment. "+
		"Sourced only credits the partners that sourced a deal; equal split shares it among every partner on it; role weighted by role; "+
		"Shapley by each partner's marginal contribution; primary 60/40 gives the primary (sourcing) partner the primary share (60%% by default) and the others the rest. Where the models disagree, the credit depends on the model, not on the partner.", a.Window), pdf.Style{})
	if s := modelAgreement(a); s != "" {
		doc.Paragraph(s, pdf.Style{Bold: true})
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
			row = append(row, words.USD(v))
			total[m] += v
		}
		rows = append(rows, row)
	}
	row := []string{"all partners"}
	for _, v := range total {
		row = append(row, words.USD(v))
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
			row = append(row, words.USD(v))
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		rows = append(rows, append(row, words.USD(hi-lo)))
	}
	doc.Table(pdf.Table{Cols: cols, Rows: rows})
}
