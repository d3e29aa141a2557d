package board

import (
	"fmt"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
)

// outlookGloss says what the two outlooks ask of the reader.
const outlookGloss = "Help first: the partner is new, has thin evidence or is improving, so enablement comes before any decision. " +
	"Decide: enough evidence and consistently poor."

// fitPartner writes p in width w, shortening the name, never the id: a
// partner whose id is cut is not identified.
func fitPartner(doc *pdf.Doc, p Partner, w, pt float64, bold bool) string {
	full := p.String()
	if doc.TextWidth(full, pt, bold) <= w || p.Name == "" || p.Name == p.ID {
		return full
	}
	id := " (" + p.ID + ")"
	return doc.Fit(p.Name, w-doc.TextWidth(id, pt, bold), pt, bold) + id
}

// glossary is the one page of terms a reader needs, in the order the
// report uses them.
func (r *report) glossary() {
	doc := r.doc
	doc.Section(Sections[secGlossary])
	lvl, th := words.Pct(r.d.Quality.Level, 0), r.d.Method.Thresholds
	terms := [][2]string{
		{"PQI", "Partner Quality Index, 0–100. 50 means the partner delivers what its own mix of deals predicts; above 50 better, below worse. " +
			"It weighs outcomes (wins, customer satisfaction, time to value, churn, attach) far above activity (certifications, case studies, listings)."},
		{"Expected, case mix", "What a partner's results would be if it delivered like the average partner on the same deals: same segment, size, " +
			"products, customer maturity and scope. A partner that takes the hardest deals is compared with what those deals predict."},
		{"Interval", fmt.Sprintf("The range the true score lies in with %s confidence. Two partners whose intervals overlap may be in either order.", lvl)},
		{"Insufficient evidence", "Too few closed deals to score: the partner is neither ranked nor judged, and its scorecard says what evidence would let it be scored."},
		{"Indistinguishable", "Scored, but its interval is too wide to tell it from what its case mix predicts; not ranked."},
		{"Shrinkage", "A partner with little evidence is pulled toward its expectation, so a few lucky deals do not make a leader."},
		{"Flag: among the weakest", fmt.Sprintf("The partner's whole %s interval lies below the PQI of the weakest %s of scored partners.", lvl, words.Pct(th.LowShare, 0))},
		{"Flag: delivery slipping", "Customer satisfaction and churn have drifted below the partner's own earlier level, quarter after quarter, " +
			"by more than chance explains (a CUSUM, a running sum of the gaps, crossing a limit set for one false alarm in many years)."},
		{"Flag: churn above direct", "The partner's customers leave faster than direct customers with the same case mix, beyond chance."},
		{"Flag: delivery guardrail", fmt.Sprintf("Delivery is clearly poor, so the PQI is capped at %s whatever the other scores.", words.Num(th.PQICap, 0))},
		{"Help first, decide", outlookGloss},
		{"Tier advice", "Promote: meets the next tier's requirements this quarter and last. Demote: short of its tier's requirements in both quarters, " +
			"beyond chance on an outcome. Review exit: the weakest, confirmed over two quarters. At risk: short of a requirement, not yet beyond chance; no decision yet. Hold: evidence supports the current tier."},
		{"Revenue at stake", "The partner's won revenue over the last four quarters, credited by the attribution model in force."},
		{"Head, torso, long tail", fmt.Sprintf("Partners ranked by won revenue: those making the first %s are the head, the next %s the torso, the rest the long tail.",
			words.Pct(th.HeadShare, 0), words.Pct(th.TorsoShare, 0))},
		{"Cost to serve", "Everything the program spends on a partner: enablement, funds, incentives, support, and commission when it is exported."},
		{"Pipeline per dollar", "Pipeline created divided by cost to serve: an average, not a return."},
		{"One more dollar buys", "The extra pipeline that followed an extra dollar of investment, from partners whose spend stepped up against comparable partners " +
			"whose spend did not (difference in differences). Not distinguishable from no effect when its interval includes zero."},
		{"Activation", "The share of a join quarter's partners that had registered a deal by the end of each quarter since joining. " +
			"Before data: a cell whose quarter starts before the deals data begin, so its value is unknown, not zero."},
	}
	rows := make([][]string, len(terms))
	for i, t := range terms {
		rows[i] = []string{t[0], t[1]}
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "term", W: 38, Wrap: true}, {Title: "what it means", Wrap: true}}, Rows: rows})
}

// contents lists the sections with the page each starts on (known from
// a first rendering; see Render).
func (r *report) contents() {
	doc := r.doc
	doc.Heading("Contents", 40)
	rows := [][]string{}
	for i, s := range Sections {
		if i == secCover {
			continue
		}
		page := "—"
		if p, ok := r.known[s]; ok {
			page = words.Count(p)
		}
		rows = append(rows, []string{s, page})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "section"}, {Title: "page", W: 20, Align: pdf.Right}}, Rows: rows})
	doc.Paragraph("The executive summary answers the board's four questions: is the ecosystem getting better, who needs help, "+
		"who should be promoted or exited, and why. Every partner is named with its id, since names repeat. Every figure is computed "+
		"from the scored tables named on the methodology page, and means the same wherever it appears.", pdf.Style{})
}
