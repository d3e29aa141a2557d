// Package scorecard renders one partner's scorecard: its own standing,
// never another partner's name or figures. It shows the PQI with its
// interval and the partner's place against its peer group's median, each
// component against what the partner's own deals predict and against the
// program's healthy target, what moved since last quarter and why, what
// the next tier needs, and the two or three levers with the largest
// expected gain, in the words of enablement. A partner with too little
// evidence gets a scorecard that says what evidence would let it be
// scored. Render is pure: the same Card and Options give the same bytes.
package scorecard

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

// Options are how the scorecards are set.
type Options struct {
	Company  string   // the vendor running the program
	PageSize pdf.Size // pdf.A4 or pdf.Letter
	Creator  string   // the program and version, for the document metadata
}

// Card is everything one partner's scorecard shows. A float that is NaN
// is not measured and prints as such.
type Card struct {
	AsOf           schema.Day
	ID, Name       string
	PeerGroup      string
	Tier           string // current program tier; "" = none
	Scored         bool
	EvidenceReason string  // why it is not scored, when it is not
	ClosedNeeded   float64 // closed deals (age-weighted) still needed to be scored; 0 when scored
	Level          float64 // interval level, e.g. 0.9
	PQI, Low, High float64
	Together       float64 // PQI points reading the components together adds (borrowing strength); 0 = none
	Peers          Peers
	Previous       float64 // last quarter's PQI; NaN when not scored then
	Moves          []Move  // contributions to the change, summing to PQI - Previous
	TogetherMove   float64 // the part of the change from reading the components together; NaN when not both quarters
	Components     []Component
	Advice         schema.TierAdvice
	TierReason     string
	NextTier       string // what the next tier up needs ("gold: case studies 1 (needs 3)"); "" at the top
	Levers         []Lever
	Flags          []string // the partner's own interventions, in words
}

// Peers is the partner's peer group, as figures only: never names.
type Peers struct {
	Scored               int     // scored partners in the group
	Median, Lower, Upper float64 // their PQI: median and quartiles
	Rank                 int     // the partner's rank in the group; 0 = not ranked
}

// Move is one component's contribution to the PQI's change.
type Move struct {
	Component schema.Component
	Value     float64
}

// Component is one PQI component for the partner.
type Component struct {
	Component          schema.Component
	Measured           bool    // the partner has rows for it
	Observed, Expected float64 // raw value and what its own deals predict
	Better             int     // +1 better than expected beyond chance, -1 worse, 0 neither
	Target             float64 // healthy target; NaN = none
	TargetBelow        bool    // healthy means below the target
	TargetValue        float64 // the raw value the target is checked on
	TargetMet          string  // "met", "missed" or "" (not checked)
}

// Lever is a component whose improvement would raise the PQI most.
type Lever struct {
	Component          schema.Component
	Observed, Expected float64
	Gain               float64 // PQI points if it reached its expectation
	Target             string  // the healthy target in words; "" = none
}

// Render writes the scorecard for c.
func Render(w io.Writer, c Card, o Options) error {
	if o.PageSize.W == 0 {
		o.PageSize = pdf.A4
	}
	q := schema.QuarterLabel(c.AsOf.Quarter())
	who := partner(c)
	doc, err := pdf.New(o.PageSize, pdf.Meta{
		Title:    fmt.Sprintf("Partner scorecard %s, %s", who, q),
		Subject:  fmt.Sprintf("Partner Quality Index scorecard as of %s", c.AsOf.String()),
		Author:   o.Company,
		Creator:  o.Creator,
		Keywords: fmt.Sprintf("partner scorecard, PQI, %s, %s", c.ID, q),
		Date:     c.AsOf.Time(),
		Footer:   fmt.Sprintf("%s · Partner scorecard of %s · %s", o.Company, who, q),
	})
	if err != nil {
		return err
	}
	s := &card{doc: doc, c: c}
	doc.Section("Scorecard " + q)
	s.header()
	s.standing()
	s.components()
	s.moved()
	s.tier()
	s.levers()
	s.flags()
	s.footnote()
	if err := doc.Err(); err != nil {
		return fmt.Errorf("drawing the scorecard of %s: %w", c.ID, err)
	}
	return doc.Output(w)
}

// card is one rendering in progress.
type card struct {
	doc *pdf.Doc
	c   Card
}

func partner(c Card) string {
	if c.Name == "" || c.Name == c.ID {
		return c.ID
	}
	return c.Name + " (" + c.ID + ")"
}

func (s *card) header() {
	doc, c := s.doc, s.c
	doc.Paragraph(partner(c), pdf.Style{Size: 14, Bold: true})
	tier := c.Tier
	if tier == "" {
		tier = "no tier"
	}
	doc.Paragraph(fmt.Sprintf("%s tier · peer group %s · scores as of %s", tier, schema.Words(c.PeerGroup),
		c.AsOf.Time().Format("2 January 2006")), pdf.Style{Color: pdf.Grey})
}

// standing is the PQI with its interval and the partner's place against
// its peer group's median; or, unscored, what evidence would score it.
func (s *card) standing() {
	doc, c := s.doc, s.c
	doc.Heading("Your standing", 40)
	if !c.Scored {
		doc.Paragraph("Not scored yet: "+c.EvidenceReason+".", pdf.Style{Bold: true})
		if c.ClosedNeeded > 0 {
			doc.Paragraph(fmt.Sprintf("What would let you be scored: about %s more closed deals, won or lost, with you as the primary partner.",
				words.Num(math.Ceil(c.ClosedNeeded), 0)), pdf.Style{Bold: true})
		}
		doc.Paragraph("The Partner Quality Index compares a partner's results with what its own deals predict, and it needs enough closed deals "+
			"to tell skill from luck: until then no score is shown and no tier decision rests on one. Every deal you close, won or lost, counts; "+
			"older deals count for less. The components below are what has been measured so far.", pdf.Style{})
		return
	}
	lvl := words.Pct(c.Level, 0)
	doc.Paragraph(fmt.Sprintf("PQI %s (%s interval %s), where 50 is what your own mix of deals predicts.",
		words.Num(c.PQI, 1), lvl, words.Interval(c.Low, c.High, 1)), pdf.Style{Size: 12, Bold: true})
	p := c.Peers
	if p.Scored > 0 && !math.IsNaN(p.Median) {
		d := words.PrintedDiff(c.PQI, p.Median, 1)
		side := "above"
		if d < 0 {
			side = "below"
		}
		where := fmt.Sprintf("%s points %s the median of the %s scored partners in your peer group (%s)", words.Num(math.Abs(d), 1), side,
			words.Count(p.Scored), words.Num(p.Median, 1))
		if d == 0 {
			where = fmt.Sprintf("at the median of the %s scored partners in your peer group (%s)", words.Count(p.Scored), words.Num(p.Median, 1))
		}
		doc.Paragraph(fmt.Sprintf("You are %s, %s. %s", where, quarterOf(c.PQI, p), overlap(c, p)), pdf.Style{})
		s.strip()
	}
	if math.Abs(c.Together) >= 0.5 {
		dir := "raises"
		if c.Together < 0 {
			dir = "lowers"
		}
		doc.Paragraph(fmt.Sprintf("Your components are read together as well as one by one: partners strong on some outcomes tend to be strong on "+
			"others, so where your evidence is thin in one, your others speak for it. Here that %s your PQI by %s points. Each component "+
			"below is judged on your own rows alone.", dir, words.Num(math.Abs(c.Together), 1)), pdf.Style{})
	}
}

// quarterOf says which quarter of the peer group the PQI falls in.
func quarterOf(v float64, p Peers) string {
	switch {
	case v >= p.Upper:
		return "in the top quarter of the group"
	case v >= p.Median:
		return "in the second quarter of the group"
	case v >= p.Lower:
		return "in the third quarter of the group"
	}
	return "in the bottom quarter of the group"
}

// overlap says whether the interval clears the peer median.
func overlap(c Card, p Peers) string {
	switch {
	case c.Low > p.Median:
		return "Your whole interval is above the peer median: you are better than the typical peer beyond chance."
	case c.High < p.Median:
		return "Your whole interval is below the peer median: you are behind the typical peer beyond chance."
	}
	return "Your interval includes the peer median: the data cannot yet tell you from the typical peer."
}

// strip draws the PQI scale with the peer group's middle half and median
// and the partner's PQI with its interval.
func (s *card) strip() {
	doc, c := s.doc, s.c
	h := 16.0
	doc.Need(h + 4)
	p := doc.Plot(doc.Left(), doc.Y, doc.Width(), h, pdf.Axis{Min: 0, Max: 100, Ticks: []float64{0, 25, 50, 75, 100},
		Format: func(v float64) string { return words.Num(v, 0) }}, pdf.Axis{Min: 0, Max: 1, Ticks: []float64{}})
	p.Bar(c.Peers.Lower, c.Peers.Upper, 0.25, 0.75, pdf.Shade)
	p.Curve([]float64{c.Peers.Median, c.Peers.Median}, []float64{0.15, 0.85}, pdf.LineStyle{Color: pdf.Grey, Width: 0.6})
	p.Curve([]float64{c.Low, c.High}, []float64{0.5, 0.5}, pdf.LineStyle{Color: pdf.Blue, Width: 0.8})
	p.Points([]float64{c.PQI}, []float64{0.5}, pdf.Marker{Shape: pdf.Circle, Color: pdf.Blue, Size: 1.6})
	doc.Y += h + 1
	doc.Paragraph("Shaded: the middle half of your peer group; grey line: its median; blue: your PQI and its interval.",
		pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
}

// components lists each component against what the partner's deals
// predict and against the healthy target.
func (s *card) components() {
	doc, c := s.doc, s.c
	doc.Heading("Component by component", 30)
	doc.Paragraph("Each result against what your own deals predict (the same segment, size, products, customer maturity and scope, delivered "+
		"like the average partner): better or worse only where the difference is beyond chance. The program's healthy target is not adjusted for your deals.", pdf.Style{})
	var rows [][]string
	for _, x := range c.Components {
		if !x.Measured {
			rows = append(rows, []string{words.Component(x.Component), "no rows yet", "", "", target(x)})
			continue
		}
		verdict := "as expected"
		switch x.Better {
		case 1:
			verdict = "better"
		case -1:
			verdict = "worse"
		}
		rows = append(rows, []string{words.Component(x.Component), words.ComponentValue(x.Component, x.Observed),
			words.ComponentValue(x.Component, x.Expected), verdict, target(x)})
	}
	doc.Table(pdf.Table{Cols: []pdf.Col{{Title: "component", W: 38}, {Title: "yours", W: 30, Align: pdf.Right},
		{Title: "expected for your deals", W: 30, Align: pdf.Right}, {Title: "against expected", W: 26}, {Title: "healthy target", Wrap: true}}, Rows: rows})
}

// target writes a component's healthy target and whether it is met.
func target(x Component) string {
	if math.IsNaN(x.Target) {
		return ""
	}
	side := "over "
	if x.TargetBelow {
		side = "under "
	}
	t := side + words.TargetValue(x.Component, x.Target)
	switch x.TargetMet {
	case schema.TargetMet.String():
		return t + ": met"
	case schema.TargetMissed.String():
		return t + ": missed (" + words.TargetValue(x.Component, x.TargetValue) + ")"
	}
	return t
}

// moved says what changed since last quarter and why.
func (s *card) moved() {
	doc, c := s.doc, s.c
	doc.Heading("Since last quarter", 20)
	if !c.Scored || math.IsNaN(c.Previous) {
		doc.Paragraph("No change to show: you were not scored both this quarter and last.", pdf.Style{})
		return
	}
	d := words.PrintedDiff(c.PQI, c.Previous, 1)
	text := fmt.Sprintf("Your PQI went from %s to %s (%s points).", words.Num(c.Previous, 1), words.Num(c.PQI, 1), words.Signed(d, 1))
	var up, down []string
	for _, m := range c.Moves {
		switch v := words.Signed(m.Value, 1); {
		case m.Value >= 0.05:
			up = append(up, words.Component(m.Component)+" "+v)
		case m.Value <= -0.05:
			down = append(down, words.Component(m.Component)+" "+v)
		}
	}
	if len(up) > 0 {
		text += " Up on " + schema.JoinAnd(up) + "."
	}
	if len(down) > 0 {
		text += " Down on " + schema.JoinAnd(down) + "."
	}
	if math.Abs(c.TogetherMove) >= 0.05 {
		text += fmt.Sprintf(" Reading your components together: %s.", words.Signed(c.TogetherMove, 1))
	}
	doc.Paragraph(text, pdf.Style{})
}

// tier says where the partner stands in the program and what the next
// level needs.
func (s *card) tier() {
	doc, c := s.doc, s.c
	doc.Heading("Your tier", 20)
	if c.TierReason != "" {
		doc.Paragraph(strings.ToUpper(c.TierReason[:1])+c.TierReason[1:]+".", pdf.Style{})
	}
	if c.NextTier != "" {
		next, gaps, _ := strings.Cut(c.NextTier, ": ")
		doc.Paragraph(fmt.Sprintf("The next level, %s, needs: %s.", next, gaps), pdf.Style{Bold: true})
	}
}

// levers are the components whose improvement would raise the PQI most.
func (s *card) levers() {
	doc, c := s.doc, s.c
	doc.Heading("Where enablement helps most", 20)
	if len(c.Levers) == 0 {
		doc.Paragraph("No component would add half a PQI point or more by reaching what your deals predict: keep doing what you do.", pdf.Style{})
		return
	}
	for _, l := range c.Levers {
		t := fmt.Sprintf("%s: %s against %s expected for your deals", words.Component(l.Component), words.ComponentValue(l.Component, l.Observed),
			words.ComponentValue(l.Component, l.Expected))
		if l.Target != "" {
			t += "; the healthy target is " + l.Target
		}
		if c.Scored {
			t += fmt.Sprintf(". Reaching the expectation would add about %s PQI points", words.Num(l.Gain, 1))
		}
		doc.Paragraph("• "+t+".", pdf.Style{})
	}
}

// flags are the partner's own interventions, said plainly.
func (s *card) flags() {
	if len(s.c.Flags) == 0 {
		return
	}
	s.doc.Heading("Flagged for attention", 15)
	for _, f := range s.c.Flags {
		s.doc.Paragraph("• "+f, pdf.Style{})
	}
}

func (s *card) footnote() {
	s.doc.Gap(2)
	s.doc.Paragraph("This scorecard shows your own figures only. Peer figures are medians and quartiles of your peer group, never another partner's. "+
		"Every figure comes from the program's scored tables for this quarter; the methodology is in the program's documentation.",
		pdf.Style{Size: pdf.SmallSize, Color: pdf.Grey})
}
