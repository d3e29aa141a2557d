package board

import (
	"fmt"
	"strings"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

func (r *report) actions() {
	doc, d := r.doc, r.d
	doc.Section(Sections[4])
	f := d.Flags
	doc.Heading("Interventions", 30)
	if f.Total == 0 {
		doc.Paragraph("No partner crossed an intervention threshold this quarter.", pdf.Style{})
	} else {
		doc.Paragraph(fmt.Sprintf("%s flagged. Not yet: new, thin evidence or improving, so help first. "+
			"Not ever: enough evidence and consistently poor, so decide.", plural(f.Total, "partner is", "partners are")), pdf.Style{})
		cols := []pdf.Col{{Title: "trigger", W: 70}}
		for _, o := range schema.Outlooks {
			cols = append(cols, pdf.Col{Title: schema.Words(o), Align: pdf.Right})
		}
		cols = append(cols, pdf.Col{Title: "total", Align: pdf.Right})
		var rows [][]string
		totals := make([]int, len(schema.Outlooks)+1)
		for t, name := range schema.InterventionTriggers {
			row := []string{schema.Words(name)}
			sum := 0
			for o := range schema.Outlooks {
				n := 0
				if t < len(f.Counts) && o < len(f.Counts[t]) {
					n = f.Counts[t][o]
				}
				row = append(row, count(n))
				sum += n
				totals[o] += n
			}
			totals[len(totals)-1] += sum
			rows = append(rows, append(row, count(sum)))
		}
		total := []string{"all triggers"}
		for _, n := range totals {
			total = append(total, count(n))
		}
		rows = append(rows, total)
		doc.Table(pdf.Table{Cols: cols, Rows: rows, Bold: map[int]bool{len(rows) - 1: true}})
		doc.Heading(fmt.Sprintf("The %s most severe", count(len(f.Lines))), 20)
		rows = rows[:0]
		for _, l := range f.Lines {
			rows = append(rows, []string{l.Name, schema.Words(l.Trigger.String()), l.Severity.String() + ", " + schema.Words(l.Outlook.String()), evidenceLine(l.Evidence)})
		}
		doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "partner", W: 38, Wrap: true}, {Title: "trigger", W: 31}, {Title: "severity, outlook", W: 27},
			{Title: "evidence", Wrap: true}}, Rows: rows})
		if more := f.Total - len(f.Lines); more > 0 {
			doc.Paragraph(fmt.Sprintf("%s more in the interventions table.", plural(more, "flag", "flags")), pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
		}
	}
	r.tiers()
	r.conflicts()
	r.applicants()
}

// evidenceLine is a flag's evidence in one line: its first clause, the
// statistic that crossed the threshold (the interventions table holds the
// rest).
func evidenceLine(s string) string {
	if i := strings.Index(s, "; "); i > 0 {
		return s[:i]
	}
	return s
}

func (r *report) tiers() {
	doc, t := r.doc, r.d.Tiers
	doc.Heading("Tier recommendations", 30)
	if len(t.Counts) < len(schema.TierRecommendations) {
		doc.Paragraph("No tier recommendations were computed.", pdf.Style{})
		return
	}
	var cells []string
	for a := range schema.TierRecommendations {
		cells = append(cells, count(t.Counts[a]))
	}
	cols := make([]pdf.Col, len(schema.TierRecommendations))
	for a, name := range schema.TierRecommendations {
		cols[a] = pdf.Col{Title: schema.Words(name), Align: pdf.Right}
	}
	doc.Table(pdf.Table{Cols: cols, Rows: [][]string{cells}})
	if len(t.Lines) == 0 {
		doc.Paragraph("Every partner's evidence supports its current tier.", pdf.Style{})
		return
	}
	var rows [][]string
	for _, l := range t.Lines {
		tier := l.Current
		if l.To != "" && l.To != l.Current {
			tier += " → " + l.To
		}
		rows = append(rows, []string{l.Name, schema.Words(l.Advice.String()), tier, num(l.PQI, 1) + " (" + interval(l.Low, l.High, 0) + ")", l.Reason})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "partner", W: 38, Wrap: true}, {Title: "advice", W: 18}, {Title: "tier", W: 34},
		{Title: "PQI (interval)", W: 24}, {Title: "reason", Wrap: true}}, Rows: rows})
	shown := len(t.Lines)
	changes := 0
	for a, n := range t.Counts {
		if schema.TierAdvice(a) != schema.RecHold {
			changes += n
		}
	}
	if more := changes - shown; more > 0 {
		doc.Paragraph(fmt.Sprintf("%s more in partner_quality (tier_recommendation, tier_reason).", plural(more, "recommendation", "recommendations")),
			pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
	}
}

// conflicts lists the registration conflicts for review: who registers
// inside other partners' protection, and the latest cases.
func (r *report) conflicts() {
	doc, c := r.doc, r.d.Conflicts
	doc.Heading("Registration conflicts", 30)
	if c.Total == 0 {
		doc.Paragraph("No partner registered a customer inside another partner's protection period in the window.", pdf.Style{})
		return
	}
	doc.Paragraph(fmt.Sprintf("%s in the window fell inside another partner's protection period (the first qualified registration wins "+
		"and protects the customer for a period set by deal size). Repeated registrations inside others' protection are the pattern of poaching deals: "+
		"each is listed in registration_conflicts for review, not a verdict.", plural(c.Total, "registration", "registrations")), pdf.Style{})
	var rows [][]string
	for _, p := range c.Partners {
		rows = append(rows, []string{p.Name, count(p.Later), count(p.Customers), count(p.Victims), count(p.First)})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "registered inside others' protection", Wrap: true}, {Title: "conflicts", W: 20, Align: pdf.Right},
		{Title: "customers", W: 20, Align: pdf.Right}, {Title: "first registrants", W: 30, Align: pdf.Right},
		{Title: "as first registrant", W: 34, Align: pdf.Right}}, Rows: rows})
	rows = rows[:0]
	for _, x := range c.Recent {
		rows = append(rows, []string{x.Later, schema.FormatDate(x.LaterDate), x.First, schema.FormatDate(x.FirstDate), count(x.Days) + " days", x.Customer})
	}
	doc.Heading("Latest conflicts", 20)
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "registered later", Wrap: true}, {Title: "on", W: 20}, {Title: "registered first", Wrap: true},
		{Title: "on", W: 20}, {Title: "protection", W: 20, Align: pdf.Right}, {Title: "customer", W: 26}}, Rows: rows})
}

// applicants lists the prospective partners assessed this quarter with
// their qualification band.
func (r *report) applicants() {
	doc, as := r.doc, r.d.Applicants
	doc.Heading("Applicants assessed in "+schema.QuarterLabel(schema.QuarterOf(r.d.AsOf)), 30)
	if len(as) == 0 {
		doc.Paragraph("No prospective partner was assessed this quarter (applications in the qualification table).", pdf.Style{})
		return
	}
	counts := make([]int, len(schema.IntakeBands))
	for _, a := range as {
		counts[a.Band]++
	}
	var parts []string
	for b, n := range counts {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, schema.Words(schema.IntakeBand(b).String())))
		}
	}
	doc.Paragraph(fmt.Sprintf("%s against the qualification rubric (%s). Tier 1 candidates get priority enablement, co-marketing and "+
		"preferred pricing; probationary partners a short trial with close monitoring; an incomplete application needs every criterion scored before it has a band.",
		plural(len(as), "application", "applications"), strings.Join(parts, ", ")), pdf.Style{})
	var rows [][]string
	for _, a := range as {
		rows = append(rows, []string{a.Name, a.ID, schema.FormatDate(a.Assessed), a.Assessor, fmt.Sprintf("%d of %d", a.Total, a.Max),
			schema.Words(a.Band.String()), a.Missing})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "applicant", Wrap: true}, {Title: "id", W: 20}, {Title: "assessed", W: 20}, {Title: "assessor", W: 20},
		{Title: "points", W: 18, Align: pdf.Right}, {Title: "band", W: 26}, {Title: "not scored", W: 34, Wrap: true}}, Rows: rows})
}
