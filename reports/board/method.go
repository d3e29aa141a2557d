package board

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

func (r *report) dataQuality() {
	doc, q := r.doc, r.d.DataQuality
	doc.Section(Sections[secDataQuality])
	doc.Heading("Rows by source", 20)
	var rows [][]string
	for _, s := range q.Sources {
		if s.Files == 0 {
			rows = append(rows, []string{schema.Words(s.Source), "not exported", "", "", "", ""})
			continue
		}
		kept := "—"
		if s.Read > 0 {
			kept = words.Pct(float64(s.Accepted)/float64(s.Read), 1)
		}
		rows = append(rows, []string{schema.Words(s.Source), words.Count(s.Files), words.Count(s.Read), words.Count(s.Accepted), words.Count(s.Quarantine), kept})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "source", W: 35}, {Title: "files", Align: pdf.Right}, {Title: "rows read", Align: pdf.Right},
		{Title: "accepted", Align: pdf.Right}, {Title: "quarantined", Align: pdf.Right}, {Title: "accepted share", Align: pdf.Right}}, Rows: rows})
	doc.Paragraph("Quarantined rows are kept, with the reason and the whole row, in the quarantine table; nothing read is lost.",
		pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
	doc.Heading("Top reasons rows were quarantined", 20)
	if len(q.Reasons) == 0 {
		doc.Paragraph("No row was quarantined.", pdf.Style{})
	} else {
		rows = rows[:0]
		for _, l := range q.Reasons {
			rows = append(rows, []string{schema.Words(l.Source), l.Code.String(), words.Count(l.Rows), l.Code.Meaning()})
		}
		doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "source", W: 30}, {Title: "reason code", W: 38}, {Title: "rows", W: 16, Align: pdf.Right},
			{Title: "meaning", Wrap: true}}, Rows: rows})
	}
	doc.Heading("PQI components", 20)
	rows = rows[:0]
	for _, c := range q.Components {
		state := schema.Words(c.Status.String())
		why := c.Why
		if c.Status == schema.Measured {
			why = fmt.Sprintf("measured for %s from their own rows", words.Plural(c.Partners, "partner", "partners"))
		}
		rows = append(rows, []string{words.Component(c.Component), state, why})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "component", W: 38}, {Title: "state", W: 24}, {Title: "why", Wrap: true}}, Rows: rows})
	if len(q.Notes) > 0 {
		doc.Heading("What the score could not check", 15)
		for _, n := range q.Notes {
			doc.Paragraph("• "+n, pdf.Style{})
		}
	}
}

func (r *report) method() {
	doc, m := r.doc, r.d.Method
	doc.Section(Sections[secMethod])
	doc.Heading("Weights in force", 30)
	doc.Paragraph(fmt.Sprintf("The weight set effective from %s. Where a component is not measured, its weight moves to the measured "+
		"components of its kind, within the guardrails: activity capped, lagging outcomes at least their minimum.", m.WeightsFrom), pdf.Style{})
	var rows [][]string
	for _, w := range m.Weights {
		rows = append(rows, []string{words.Component(w.Component), w.Kind, words.Pct(w.Configured, 1), words.Pct(w.InForce, 1)})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "component"}, {Title: "kind", W: 30}, {Title: "configured", W: 28, Align: pdf.Right},
		{Title: "in force", W: 28, Align: pdf.Right}}, Rows: rows})
	if m.Partial != "" {
		doc.Paragraph("The weight guardrails could not hold: "+m.Partial+". Every PQI is marked partial.", pdf.Style{Bold: true})
	}
	doc.Heading("In plain words", 30)
	for _, p := range []string{
		"Adjustment. Each outcome (win rate, CSAT, time to value, churn, attach rate, …) is compared with what the partner's own deals predict: " +
			"a model fitted across the ecosystem on segment, deal amount, product count, customer maturity and delivery scope gives every deal an " +
			"expected outcome, and the partner's expected value is the sum over its deals. Observed over expected is the partner's effect.",
		"Shrinkage. A partner with few deals is pulled toward its expectation in proportion to how little evidence it has (empirical Bayes), " +
			"so three lucky deals do not make a leader. The amount of pull is estimated from how much partners really differ.",
		fmt.Sprintf("Intervals. Every component and the PQI carry a %s interval; a component's interval also carries the uncertainty in how much "+
			"partners really differ, so it never claims a precision the data do not hold. A partner with too few closed deals is insufficient evidence; one whose "+
			"PQI interval is wider than the configured maximum is indistinguishable from expected; neither is ranked.", words.Pct(r.d.Quality.Level, 0)),
		"Index. Component effects are standardised, weighted and summed, then mapped onto 0–100 through the normal curve, so 50 is as " +
			"expected. A partner whose delivery is clearly poor is capped by the delivery guardrail, whatever its other scores.",
		"Activity is not outcome. Certifications, case studies and marketplace listings carry a capped weight and never stand in for results.",
	} {
		doc.Paragraph(p, pdf.Style{})
	}
	if m.Borrow {
		doc.Paragraph("Borrowing strength. Outcomes and behaviours go together: partners who register and qualify deals well also tend to win them "+
			"and keep their customers. How closely is estimated each quarter from the partners' own rows, and a partner with little evidence in one "+
			"component leans on its other components in that proportion, so two closed deals are read beside forty well-registered ones. "+
			"Activity neither lends nor borrows. Each component's own score, value and interval, and the delivery guardrail, rest on the "+
			"partner's own rows; what reading them together adds to the PQI is published beside each score.", pdf.Style{})
	}
	if rb := m.Robustness; rb.Partners > 0 {
		doc.Paragraph(fmt.Sprintf("Robustness. Every scored partner re-ranked under %s of the weights (around those in force, within the guardrails) "+
			"and of the normalisation: the median 90%% rank interval spans %s over %s, %s over the ten best; %s stay in their decile in "+
			"at least 80%% of the draws.",
			words.Plural(rb.Draws, "draw", "draws"), words.Plural(int(math.Round(rb.MedianWidth)), "rank", "ranks"), words.Plural(rb.Partners, "partner", "partners"),
			words.Plural(int(math.Round(rb.TopTenWidth)), "rank", "ranks"), words.Pct(rb.Stable, 0)), pdf.Style{})
	} else {
		doc.Paragraph("Robustness. Not computed for this quarter (no scored partner, or robustness draws turned off).", pdf.Style{})
	}
	doc.Heading("Configuration", 20)
	var set [][]string
	for _, s := range m.Settings {
		set = append(set, []string{s[0], s[1]})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "setting", W: 60, Wrap: true}, {Title: "value", Wrap: true}}, Rows: set})
	doc.Paragraph("Every formula is written down in docs/methodology.md, next to the code that computes it: the PQI and its components "+
		"(Part I), attribution, long-tail ROI and cohorts (Part II), the funnel plot's limits (Part III).", pdf.Style{})
	r.provenance()
}

// provenance is where the report comes from: the runs, the digests and
// the tables and columns behind its figures.
func (r *report) provenance() {
	doc, d := r.doc, r.d
	doc.Heading("Where the numbers come from", 30)
	rows := make([][]string, len(d.Runs))
	for i, run := range d.Runs {
		rows[i] = []string{run.Job, run.RunID, run.CodeVersion}
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "job", W: 25}, {Title: "run id", W: 60}, {Title: "code version"}}, Rows: rows})
	doc.Paragraph("Generated from (sha256 of the runs and the configuration): "+d.Digest, pdf.Style{Size: pdf.SmallSize})
	doc.Paragraph("Scoring configuration (sha256): "+d.ConfigDigest, pdf.Style{Size: pdf.SmallSize})
	var cols [][]string
	for _, t := range d.Method.Columns {
		cols = append(cols, []string{t[0], t[1]})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "table", W: 40}, {Title: "columns behind this report", Wrap: true}}, Rows: cols})
}
