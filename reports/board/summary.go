package board

import (
	"fmt"
	"math"
	"strings"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

func (r *report) cover() {
	doc, d := r.doc, r.d
	doc.Page(Sections[secCover])
	q := d.AsOf.Quarter()
	y := 70.0
	doc.Text(doc.Left(), y, "PARTNER QUALITY · BOARD REPORT", pdf.Style{Size: 10, Bold: true, Color: pdf.Blue})
	y += 14
	for _, l := range doc.Lines(r.o.Company, doc.Width(), 26, true) {
		doc.Text(doc.Left(), y, l, pdf.Style{Size: 26, Bold: true})
		y += pdf.LineHeight(26)
	}
	y += 2
	doc.Text(doc.Left(), y, fmt.Sprintf("%s · scores as of %s", schema.QuarterLabel(q), d.AsOf.Time().Format("2 January 2006")), pdf.Style{Size: 14})
	y += 10
	doc.Rule(y)
	doc.Y = y + 6
	doc.Heading("How to read this report", 20)
	doc.Paragraph(fmt.Sprintf("The Partner Quality Index (PQI, 0–100, 50 = as expected) compares each partner with what its own mix of deals predicts, "+
		"so a partner that takes the hardest deals is not punished for it. Every score carries a %s interval; a partner with too little "+
		"evidence is marked insufficient evidence, one whose interval is too wide to tell from its expectation indistinguishable, and neither is ranked. "+
		"Activity (certifications, case studies, marketplace listings) counts for little and never replaces outcomes. "+
		"The glossary defines every term; the methodology names the weights in force, where every formula is written down and the runs the report is built from.",
		words.Pct(d.Quality.Level, 0)), pdf.Style{})
	r.contents()
}

func (r *report) summary() {
	doc, d := r.doc, r.d
	doc.Section(Sections[secSummary])
	r.headlines()
	r.trend()
	doc.Heading("What the quarter says", 30)
	for _, s := range sentences(d, r.pageRef(secDecisions)) {
		doc.Need(pdf.LineHeight(pdf.BodySize) * 3)
		doc.Paragraph(s.lead, pdf.Style{Bold: true})
		doc.Gap(-1.5)
		doc.Paragraph(s.text, pdf.Style{})
	}
	doc.Heading("How far to trust the numbers", 30)
	qd := d.Quality
	doc.Paragraph(trust(qd), pdf.Style{})
	var missing []string
	for _, c := range d.DataQuality.Components {
		if c.Status != schema.Measured {
			missing = append(missing, fmt.Sprintf("%s (%s)", words.Component(c.Component), schema.Words(c.Status.String())))
		}
	}
	if len(missing) > 0 {
		doc.Paragraph(fmt.Sprintf("Not measured this quarter, so not in any score: %s. The data-quality section says why; the PQI re-weights over what was measured.",
			strings.Join(missing, ", ")), pdf.Style{})
	} else {
		doc.Paragraph("Every PQI component was measured this quarter.", pdf.Style{})
	}
}

// trust says how much of the ecosystem the index can speak for.
func trust(q Quality) string {
	if q.Partners == 0 {
		return "No partner was scored this quarter."
	}
	return fmt.Sprintf("%s of %s partners (%s) have enough evidence to be ranked. %s too few closed deals to say anything (insufficient evidence), "+
		"and %s an interval too wide to tell from the expectation (indistinguishable); neither kind is ranked first or last on luck. "+
		"Every score is shrunk toward its expectation in proportion to its evidence and printed with its %.0f%% interval.",
		words.Count(q.Scored), words.Count(q.Partners), words.Pct(float64(q.Scored)/float64(q.Partners), 0),
		words.Plural(q.Insufficient, "has", "have"), words.Plural(q.Indistinguishable, "has", "have"), 100*q.Level)
}

// headlines draws the five headline figures as tiles.
func (r *report) headlines() {
	doc := r.doc
	hs := r.d.Headlines
	if len(hs) == 0 {
		return
	}
	gap := 2.5
	w := (doc.Width() - gap*float64(len(hs)-1)) / float64(len(hs))
	h := 44.0
	doc.Need(h)
	y := doc.Y
	for i, hl := range hs {
		x := doc.Left() + float64(i)*(w+gap)
		doc.Fill(x, y, w, h, pdf.Shade)
		ly := y + 4.5
		for _, l := range doc.Lines(hl.Name, w-4, pdf.SmallSize, true) {
			doc.Text(x+2, ly, l, pdf.Style{Size: pdf.SmallSize, Bold: true})
			ly += pdf.LineHeight(pdf.SmallSize)
		}
		doc.Text(x+2, y+18, doc.Fit(figure(hl.Unit, hl.Now), w-4, 15, true), pdf.Style{Size: 15, Bold: true})
		ch, c := change(hl)
		cy := y + 23.5
		for _, l := range doc.Lines(ch, w-4, pdf.SmallSize, false) {
			doc.Text(x+2, cy, l, pdf.Style{Size: pdf.SmallSize, Color: c})
			cy += pdf.LineHeight(pdf.SmallSize)
		}
		cy += 0.5
		for _, l := range doc.Lines(hl.Basis, w-4, 6.5, false) {
			if cy > y+h-1 {
				break
			}
			doc.Text(x+2, cy, l, pdf.Style{Size: 6.5, Color: pdf.Grey})
			cy += pdf.LineHeight(6.5)
		}
	}
	doc.Y = y + h + 3
}

// figure writes a headline value in its unit.
func figure(u Unit, v float64) string {
	switch u {
	case Points:
		return words.Num(v, 1)
	case Share:
		return words.Pct(v, 1)
	case Money:
		return words.USD(v)
	}
	if math.IsNaN(v) {
		return words.NotMeasured
	}
	return "$" + words.Num(v, 2)
}

// change says how a headline moved on last quarter, and in which colour.
func change(h Headline) (string, pdf.RGB) {
	if math.IsNaN(h.Now) || math.IsNaN(h.Prev) {
		return "no comparison with last quarter", pdf.Grey
	}
	// the change between the two figures as printed, so a reader who
	// subtracts them gets the printed change
	var s string
	var diff float64
	switch h.Unit {
	case Points:
		diff = words.PrintedDiff(h.Now, h.Prev, 1)
		s = words.Signed(diff, 1) + " points"
	case Share:
		diff = words.PrintedDiff(100*h.Now, 100*h.Prev, 1)
		s = words.Signed(diff, 1) + " pp"
	case Money:
		now, prev := words.USDRounded(h.Now), words.USDRounded(h.Prev)
		diff = now - prev
		s = words.USD(diff)
		if diff >= 0 {
			s = "+" + s
		}
		if prev != 0 {
			s += " (" + words.Signed(100*diff/math.Abs(prev), 1) + "%)"
		}
	case Ratio:
		diff = words.PrintedDiff(h.Now, h.Prev, 2)
		s = words.Signed(diff, 2)
	}
	arrow, c := "▶ ", pdf.Grey
	switch {
	case diff > 0:
		arrow = "▲ "
	case diff < 0:
		arrow = "▼ "
	}
	if dir := math.Copysign(1, diff) * float64(h.HigherIs); diff != 0 && dir > 0 {
		c = pdf.Good
	} else if diff != 0 && dir < 0 {
		c = pdf.Bad
	}
	return arrow + s + " on last quarter", c
}

// sentence is one of the executive summary's findings: a lead and what
// the data say.
type sentence struct{ lead, text string }

// sentences are the three findings: the largest risk, the largest
// improvement, the decision needed. Each is built from the data alone
// and says plainly when there is nothing to report.
func sentences(d Data, decisionsAt string) []sentence {
	return []sentence{risk(d), improvement(d), decision(d, decisionsAt)}
}

func risk(d Data) sentence {
	s := sentence{lead: "Largest risk"}
	if len(d.Flags.Lines) == 0 {
		s.text = "No partner crossed an intervention threshold this quarter."
		return s
	}
	f := d.Flags.Lines[0] // most severe, then most revenue
	rev := ""
	if !math.IsNaN(f.Revenue) && f.Revenue > 0 {
		rev = fmt.Sprintf(", trailing won revenue %s,", words.USD(f.Revenue))
	}
	s.text = fmt.Sprintf("%s%s is flagged %s, %s severity, %s: %s.", f.Partner, rev, triggerWords[f.Trigger],
		f.Severity, words.Outlook(f.Outlook), strings.TrimSuffix(evidenceLine(f.Evidence), "."))
	if n := d.Flags.Partners - 1; n > 0 {
		s.text += fmt.Sprintf(" %s also flagged.", words.Plural(n, "other partner is", "other partners are"))
	}
	return s
}

func improvement(d Data) sentence {
	s := sentence{lead: "Largest improvement"}
	if len(d.Rises) == 0 {
		s.text = "No scored partner's PQI rose on last quarter."
		return s
	}
	m := d.Rises[0]
	s.text = fmt.Sprintf("%s rose %s points, from %s to %s", m.Partner, words.Num(words.PrintedDiff(m.Now, m.Prev, 1), 1), words.Num(m.Prev, 1), words.Num(m.Now, 1))
	if p, ok := largestPart(m.Parts, 1); ok {
		s.text += fmt.Sprintf(", the largest part on %s (%s)", words.Label(p.Label), words.Signed(p.Value, 1))
	}
	s.text += "."
	return s
}

// largestPart is the contribution with the largest value in the
// direction sign.
func largestPart(ps []Part, sign float64) (Part, bool) {
	best, ok := Part{}, false
	for _, p := range ps {
		if p.Value*sign > 0 && (!ok || p.Value*sign > best.Value*sign) {
			best, ok = p, true
		}
	}
	return best, ok
}

func decision(d Data, listedAt string) sentence {
	s := sentence{lead: "Decision needed"}
	c := d.Tiers.Counts
	if len(c) < len(schema.TierRecommendations) {
		s.text = "No tier recommendations were computed."
		return s
	}
	exit, demote, promote := c[schema.RecReviewExit], c[schema.RecDemote], c[schema.RecPromote]
	atRisk := ""
	if n := c[schema.RecAtRisk]; n > 0 {
		atRisk = fmt.Sprintf(" At risk, no decision yet: %s short of a requirement.", words.Plural(n, "partner keeps its tier but is", "partners keep their tier but are"))
	}
	if exit+demote+promote == 0 {
		s.text = "None: every partner's evidence supports its current tier." + atRisk
		return s
	}
	var parts []string
	if exit > 0 {
		parts = append(parts, words.Plural(exit, "partner for exit review", "partners for exit review"))
	}
	if demote > 0 {
		parts = append(parts, words.Plural(demote, "demotion", "demotions"))
	}
	if promote > 0 {
		parts = append(parts, words.Plural(promote, "promotion", "promotions"))
	}
	s.text = fmt.Sprintf("Approve or overrule %s this quarter; each is listed with its evidence, the revenue at stake and what would change it under decisions to approve %s.",
		schema.JoinAnd(parts), listedAt)
	s.text += atRisk
	return s
}

var triggerWords = map[schema.InterventionTrigger]string{
	schema.TriggerDeliveryCUSUM:     "for delivery worse than their own level (CUSUM)",
	schema.TriggerChurnVsDirect:     "for churning customers faster than direct",
	schema.TriggerDeliveryGuardrail: "by the delivery guardrail",
	schema.TriggerPQILow:            "for quality confidently among the weakest scored partners",
}
