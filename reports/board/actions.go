package board

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

func (r *report) actions() {
	doc, d := r.doc, r.d
	doc.Section(Sections[secActions])
	f := d.Flags
	doc.Heading("Interventions", 30)
	if f.Total == 0 {
		doc.Paragraph("No partner crossed an intervention threshold this quarter.", pdf.Style{})
	} else {
		doc.Paragraph(fmt.Sprintf("%s flagged, with %s between them (a partner can cross more than one threshold). %s",
			words.Plural(f.Partners, "partner is", "partners are"), words.Plural(f.Total, "flag", "flags"), outlookGloss), pdf.Style{})
		cols := []pdf.Col{{Title: "trigger", W: 70}}
		for o := range schema.Outlooks {
			cols = append(cols, pdf.Col{Title: words.Outlook(schema.FlagOutlook(o)), Align: pdf.Right})
		}
		cols = append(cols, pdf.Col{Title: "total", Align: pdf.Right})
		var rows [][]string
		totals := make([]int, len(schema.Outlooks)+1)
		for t := range schema.InterventionTriggers {
			row := []string{words.Trigger(schema.InterventionTrigger(t))}
			sum := 0
			for o := range schema.Outlooks {
				n := 0
				if t < len(f.Counts) && o < len(f.Counts[t]) {
					n = f.Counts[t][o]
				}
				row = append(row, words.Count(n))
				sum += n
				totals[o] += n
			}
			totals[len(totals)-1] += sum
			rows = append(rows, append(row, words.Count(sum)))
		}
		total := []string{"all flags"}
		for _, n := range totals {
			total = append(total, words.Count(n))
		}
		rows = append(rows, total)
		doc.Table(pdf.Table{Cols: cols, Rows: rows, Bold: map[int]bool{len(rows) - 1: true}})
		doc.Heading(fmt.Sprintf("The %s most severe", words.Count(len(f.Lines))), 20)
		rows = rows[:0]
		for _, l := range f.Lines {
			rows = append(rows, []string{l.Partner.String(), words.Trigger(l.Trigger), l.Severity.String() + ", " + words.Outlook(l.Outlook), evidenceLine(l.Evidence)})
		}
		doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "partner", W: 38, Wrap: true}, {Title: "trigger", W: 31}, {Title: "severity, outlook", W: 27, Wrap: true},
			{Title: "evidence", Wrap: true}}, Rows: rows})
		if more := f.Total - len(f.Lines); more > 0 {
			doc.Paragraph(fmt.Sprintf("%s more in the interventions table.", words.Plural(more, "flag", "flags")), pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
		}
	}
	r.tiers()
	r.records()
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

// tiersShown is how many recommendations of each kind the interventions
// page names; the appendix lists them all.
const tiersShown = 3

func (r *report) tiers() {
	doc, t := r.doc, r.d.Tiers
	doc.Heading("Tier recommendations", 30)
	if len(t.Counts) < len(schema.TierRecommendations) {
		doc.Paragraph("No tier recommendations were computed.", pdf.Style{})
		return
	}
	var cells []string
	cols := make([]pdf.Col, len(schema.TierRecommendations))
	for a := range schema.TierRecommendations {
		cells = append(cells, words.Count(t.Counts[a]))
		cols[a] = pdf.Col{Title: words.Advice(schema.TierAdvice(a)), Align: pdf.Right}
	}
	doc.Table(pdf.Table{Cols: cols, Rows: [][]string{cells}})
	if len(t.Lines) == 0 {
		doc.Paragraph("Every partner's evidence supports its current tier.", pdf.Style{})
		return
	}
	doc.Paragraph(fmt.Sprintf("The %d with the most revenue at stake of each kind; all %s, with the evidence and what would change each, "+
		"are in the appendix %s.", tiersShown, words.Count(len(t.Lines)), r.pageRef(secDecisions)), pdf.Style{})
	var rows [][]string
	for _, a := range decisionOrder {
		n := 0
		for _, l := range byRevenue(t.Lines) {
			if l.Advice != a || n == tiersShown {
				continue
			}
			n++
			rows = append(rows, []string{l.Partner.String(), words.Advice(a), tierMove(l), words.Num(l.PQI, 1) + " (" + words.Interval(l.Low, l.High, 0) + ")", words.USD(l.Revenue)})
		}
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "partner", Wrap: true}, {Title: "advice", W: 20}, {Title: "tier", W: 36},
		{Title: "PQI (interval)", W: 26, Align: pdf.Right}, {Title: "revenue at stake", W: 26, Align: pdf.Right}}, Rows: rows})
}

// decisionOrder is the order kinds of recommendation are listed in.
var decisionOrder = []schema.TierAdvice{schema.RecReviewExit, schema.RecDemote, schema.RecPromote, schema.RecAtRisk}

// tierMove writes a recommendation's tier: "gold → silver", or the tier
// it keeps.
func tierMove(l TierLine) string {
	if l.To != "" && l.To != l.Current {
		return l.Current + " → " + l.To
	}
	return l.Current
}

// byRevenue is the lines by revenue at stake, largest first, then by id.
func byRevenue(ls []TierLine) []TierLine {
	out := append([]TierLine(nil), ls...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := orZero(out[i].Revenue), orZero(out[j].Revenue)
		if ri != rj {
			return ri > rj
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func orZero(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// decisions is the appendix: every recommendation that asks for a
// decision (exit review, demotion, promotion) or a watch (at risk), with
// its evidence, the revenue at stake and what would change it, ordered by
// revenue at stake. Its rows are the summary's counts.
func (r *report) decisions() {
	doc, t := r.doc, r.d.Tiers
	doc.Section(Sections[secDecisions])
	if len(t.Lines) == 0 {
		doc.Paragraph("No tier recommendation asks for a decision this quarter: every partner's evidence supports its current tier.", pdf.Style{})
		return
	}
	var parts []string
	for _, a := range decisionOrder {
		if n := t.Counts[a]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", words.Count(n), words.Advice(a)))
		}
	}
	doc.Paragraph(fmt.Sprintf("Every tier recommendation other than hold, %s in all (%s), by revenue at stake. "+
		"Approve or overrule each exit review, demotion and promotion; at risk asks for no decision yet, only a watch.",
		words.Count(len(t.Lines)), strings.Join(parts, ", ")), pdf.Style{})
	var rows [][]string
	for _, l := range byRevenue(t.Lines) {
		evidence, change := splitReason(l)
		rows = append(rows, []string{l.Partner.String(), words.Advice(l.Advice) + "\n" + tierMove(l), words.Num(l.PQI, 1) + " (" + words.Interval(l.Low, l.High, 0) + ")",
			words.USD(l.Revenue), evidence, change})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "partner", W: 28, Wrap: true}, {Title: "advice, tier", W: 22, Wrap: true},
		{Title: "PQI (interval)", W: 15, Wrap: true}, {Title: "revenue at stake", W: 14, Align: pdf.Right, Wrap: true},
		{Title: "evidence", Wrap: true}, {Title: "what would change it", W: 36, Wrap: true}}, Rows: rows, Size: 6.5})
}

// splitReason parts a recommendation's reason into its evidence and what
// would change the decision.
func splitReason(l TierLine) (evidence, change string) {
	for _, sep := range []string{"; meeting ", ", unless it meets "} {
		if i := strings.Index(l.Reason, sep); i >= 0 {
			return l.Reason[:i], "meeting " + l.Reason[i+len(sep):]
		}
	}
	switch l.Advice {
	case schema.RecPromote:
		return l.Reason, "falling short of a requirement of the new tier next quarter"
	case schema.RecReviewExit:
		return l.Reason, "the evidence above no longer holding next quarter: the review needs two quarters in a row"
	}
	return l.Reason, ""
}

// records lists the exceptions on record: decided this quarter or due for
// review, with the PQI the deciders had and the PQI now, and those that
// went against that evidence marked.
func (r *report) records() {
	doc, ds := r.doc, r.d.Decisions
	doc.Heading("Exceptions on record", 30)
	if len(ds) == 0 {
		doc.Paragraph("No tier override, fund or incentive exception or exit was recorded this quarter or is due for review.", pdf.Style{})
		return
	}
	now, due, against := 0, 0, 0
	for _, x := range ds {
		if x.ThisQuarter {
			now++
		}
		if x.ReviewDue {
			due++
		}
		if x.Against {
			against++
		}
	}
	doc.Paragraph(fmt.Sprintf("%s this quarter and %s; %s against the evidence the deciders had (marked ●): "+
		"a tier above the one the scores then supported, an exit of a partner they placed above expected, or an exception for a partner under exit review.",
		words.Plural(now, "exception decided", "exceptions decided"), words.Plural(due, "review due", "reviews due"), words.Plural(against, "went", "went")), pdf.Style{})
	var rows [][]string
	for _, x := range ds {
		mark := ""
		if x.Against {
			mark = "● "
		}
		then := "no scores then"
		if !math.IsNaN(x.Then) {
			then = words.Num(x.Then, 1) + " (" + words.Interval(x.ThenLow, x.ThenHigh, 0) + ")"
		}
		state := x.Status
		if x.ReviewDue {
			state += ", review due"
		}
		rows = append(rows, []string{mark + x.ID, x.Partner.String(), schema.Words(x.Kind.String()), x.Decided.String(),
			x.Deciders, x.Decision, state, then + " → " + words.Num(x.Now, 1)})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "decision", W: 18}, {Title: "partner", W: 28, Wrap: true}, {Title: "kind", W: 17, Wrap: true},
		{Title: "decided", W: 17}, {Title: "by", W: 20, Wrap: true}, {Title: "decision", Wrap: true}, {Title: "status", W: 18, Wrap: true},
		{Title: "PQI then → now", W: 27, Wrap: true}}, Rows: rows, Size: 6.5})
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
		"each is listed in registration_conflicts for review, not a verdict.", words.Plural(c.Total, "registration", "registrations")), pdf.Style{})
	var rows [][]string
	for _, p := range c.Partners {
		rows = append(rows, []string{p.Partner.String(), words.Count(p.Later), words.Count(p.Customers), words.Count(p.Victims), words.Count(p.First)})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "registered inside others' protection", Wrap: true}, {Title: "conflicts", W: 20, Align: pdf.Right},
		{Title: "customers", W: 20, Align: pdf.Right}, {Title: "first registrants", W: 30, Align: pdf.Right},
		{Title: "as first registrant", W: 34, Align: pdf.Right}}, Rows: rows})
	rows = rows[:0]
	for _, x := range c.Recent {
		rows = append(rows, []string{x.Later.String(), x.LaterDate.String(), x.First.String(), x.FirstDate.String(), words.Count(x.Days) + " days", x.Customer})
	}
	doc.Heading("Latest conflicts", 20)
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "registered later", Wrap: true}, {Title: "on", W: 20}, {Title: "registered first", Wrap: true},
		{Title: "on", W: 20}, {Title: "protection", W: 20, Align: pdf.Right}, {Title: "customer", W: 26}}, Rows: rows})
}

// applicants lists the prospective partners assessed this quarter with
// their qualification band.
func (r *report) applicants() {
	doc, as := r.doc, r.d.Applicants
	doc.Heading("Applicants assessed in "+schema.QuarterLabel(r.d.AsOf.Quarter()), 30)
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
		words.Plural(len(as), "application", "applications"), strings.Join(parts, ", ")), pdf.Style{})
	var rows [][]string
	for _, a := range as {
		rows = append(rows, []string{Partner{ID: a.ID, Name: a.Name}.String(), a.Assessed.String(), a.Assessor, fmt.Sprintf("%d of %d", a.Total, a.Max),
			schema.Words(a.Band.String()), a.Missing})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "applicant", Wrap: true}, {Title: "assessed", W: 20}, {Title: "assessor", W: 20},
		{Title: "points", W: 18, Align: pdf.Right}, {Title: "band", W: 26}, {Title: "not scored", W: 34, Wrap: true}}, Rows: rows})
}
