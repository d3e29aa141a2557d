// Package board renders the quarterly board report: ten sections an
// executive reads in ten minutes (docs/report.md). Render is pure: the
// same Data and Options give a byte-identical PDF. functions/report reads
// the scored tables into Data.
package board

import (
	"fmt"
	"io"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

// Options are how the report is set.
type Options struct {
	Company  string   // printed on the cover and in the footer
	PageSize pdf.Size // pdf.A4 or pdf.Letter
	Creator  string   // the program and version, for the document metadata
}

// Data is everything the report shows, for one as-of date. A float that
// is NaN is not measured (or not available) and prints as such.
type Data struct {
	AsOf         schema.Day // quarter-end date
	Runs         []RunRef   // the runs whose tables the report reads
	Digest       string     // sha256 of what the report was generated from (runs, configuration)
	ConfigDigest string     // sha256 of the scoring configuration

	Headlines   []Headline
	Trend       []TrendPoint // the quarters up to the as-of date, oldest first
	Quality     Quality
	Rises       []Mover // largest PQI rises, largest first
	Falls       []Mover // largest PQI falls, largest first
	Flags       Flags
	Tiers       Tiers
	Conflicts   Conflicts
	Applicants  []Applicant      // assessed in the as-of quarter, by date
	Decisions   []DecisionRecord // decided this quarter or due for review, by date
	Finance     Finance
	Cohorts     Cohorts
	Attribution Attribution
	DataQuality DataQuality
	Method      Method
}

// RunRef is one run the report's tables come from.
type RunRef struct {
	Job, RunID, CodeVersion string
}

// Unit is how a headline figure is written.
type Unit uint8

const (
	Points Unit = iota // an index on 0-100
	Share              // a fraction written as a percentage
	Money              // US dollars
	Ratio              // dollars per dollar
)

// Headline is one headline figure with last quarter's for comparison.
type Headline struct {
	Name      string
	Unit      Unit
	Now, Prev float64
	Basis     string // what it is computed over, in a few words
	HigherIs  int    // +1 higher is better, -1 lower is better, 0 neither
}

// Partner is a partner as the report names it: names are not unique (one
// name can belong to several partners), so the id always follows it.
type Partner struct{ ID, Name string }

// String is "Name (ID)", or the id alone when the name is unknown.
func (p Partner) String() string {
	if p.Name == "" || p.Name == p.ID {
		return p.ID
	}
	return p.Name + " (" + p.ID + ")"
}

// TrendPoint is the ecosystem in one quarter. PQI figures are as that
// quarter's scores published them (a quarter without scores is NaN);
// money is this quarter's segment_roi for that quarter (restated).
type TrendPoint struct {
	Quarter                 string
	Median, Lower, Upper    float64 // scored partners' PQI: median and quartiles
	Scored                  float64 // share of partners scored
	Revenue, Cost, Pipeline float64 // won revenue, cost to serve, pipeline created
}

// Ranked is one partner in a league table.
type Ranked struct {
	Partner
	PeerGroup          string
	Advice             schema.TierAdvice
	Rank               int
	PQI, Low, High     float64
	PeerRank, PeerSize int
}

// Quality is the PQI across the ecosystem.
type Quality struct {
	Partners, Scored, Insufficient, Indistinguishable int
	PQI                                               []float64 // every scored partner's
	Funnel                                            Funnel
	Top, Bottom                                       []Ranked
	Level                                             float64 // interval level, e.g. 0.9
	Targets                                           []Target
}

// DecisionRecord is one exception on record with the evidence then and
// now.
type DecisionRecord struct {
	ID                      string
	Partner                 Partner
	Kind                    schema.DecisionKindOf
	Decided                 schema.Day
	Deciders, Decision      string
	Status                  string
	ThisQuarter, ReviewDue  bool
	SnapshotAsOf            schema.Day // the scores the deciders had; 0 = none
	Then, ThenLow, ThenHigh float64    // PQI and interval then; NaN = none
	Now                     float64    // PQI now; NaN = not scored now
	Against                 bool       // went against the evidence then
}

// Applicant is a prospective partner assessed against the qualification
// rubric.
type Applicant struct {
	ID, Name, Assessor string
	Assessed           schema.Day
	Total, Max         int
	Band               schema.IntakeBand
	Missing            string // criteria not scored
}

// Conflicts are the registration conflicts of the window: registrations
// inside another partner's protection period.
type Conflicts struct {
	Total    int
	Partners []ConflictPartner // most conflicts as the later registrant first
	Recent   []Conflict        // the latest
}

// ConflictPartner is a partner that registered inside others' protection.
type ConflictPartner struct {
	Partner
	Later, First       int // conflicts as the later and as the first registrant
	Customers, Victims int // distinct customers and first registrants of its later conflicts
}

// Conflict is one registration inside another partner's protection.
type Conflict struct {
	Customer             string
	First, Later         Partner
	FirstDate, LaterDate schema.Day
	Days                 int // protection period of the first registration
}

// Target is the ecosystem against one healthy program target: an
// unadjusted raw value, not the PQI.
type Target struct {
	Comp    schema.Component
	Below   bool    // healthy means below the target
	Value   float64 // the target; NaN when switched off
	Checked int     // partners with evidence
	Met     int
	Median  float64 // median raw value of the partners checked
	// MissedAbove are the partners that missed the target but whose
	// complexity-adjusted estimate is better than expected for their case
	// mix: the partners a raw target judges unfairly.
	MissedAbove int
}

// Funnel is a funnel plot of one outcome: each partner's observed over
// expected against the expected count (its evidence).
type Funnel struct {
	Outcome string        // e.g. "win rate"
	Events  string        // what is counted, e.g. "wins"
	Points  []FunnelPoint // partners with expected > 0
}

// FunnelPoint is one partner on the funnel plot.
type FunnelPoint struct {
	Partner
	N        float64 // trials (closed deals)
	Expected float64 // expected successes for the partner's case mix
	Observed float64 // observed successes
}

// Mover is a partner whose PQI moved, with what moved it.
type Mover struct {
	Partner
	Prev, Now, Diff float64
	Parts           []Part // contributions, summing to Diff
}

// Part is one contribution to a PQI change.
type Part struct {
	Label string
	Value float64
}

// Flags are the interventions.
type Flags struct {
	Total    int     // flags: rows of the interventions table
	Partners int     // distinct partners flagged (a partner can carry several flags)
	Counts   [][]int // [trigger][outlook] partners flagged, in schema order
	Lines    []Flag  // the most severe, at most a page's worth
}

// Flag is one intervention.
type Flag struct {
	Partner
	Trigger  schema.InterventionTrigger
	Severity schema.SeverityLevel
	Outlook  schema.FlagOutlook
	Evidence string
	Revenue  float64 // the partner's trailing won revenue, for ranking risk
}

// Tiers are the tier recommendations.
type Tiers struct {
	Counts []int      // by schema.TierAdvice
	Lines  []TierLine // every recommendation but hold
}

// TierLine is one recommendation other than hold.
type TierLine struct {
	Partner
	Advice      schema.TierAdvice
	Current, To string
	Reason      string
	PQI         float64
	Low, High   float64
	Revenue     float64 // revenue at stake: trailing won revenue
}

// Finance is cost to serve against pipeline.
type Finance struct {
	Measured    bool    // a cost_to_serve export was scored
	Window      string  // e.g. "2024-Q4 to 2026-Q3"
	SegmentRule string  // how partners fall into head, torso and long tail, in words
	Level       float64 // level of the return's interval, e.g. 0.9
	Partners    []FinancePartner
	Segments    []SegmentLine // the window roll-up, head to long tail
	// Commission says where the segments' commission comes from;
	// CommissionRates names the configured tier rates behind an estimate.
	Commission      schema.CommissionSource
	CommissionRates string
}

// FinancePartner is one partner over the window.
type FinancePartner struct {
	Segment     schema.Tail
	Cost        float64 // cost to serve
	Pipeline    float64 // pipeline created
	Spend, Lift float64 // cumulative incremental spend and pipeline lift; NaN unless invested
}

// SegmentLine is one long-tail segment over the window (segment_roi).
type SegmentLine struct {
	Segment              schema.Tail
	PartnerQuarters      int
	Cost, Pipeline, Won  float64
	Commission           float64 // part of Cost when exported; NaN when unknown
	Investment           float64 // the part of Cost that is investment (no commission); NaN when unknown
	Invested             int
	ROI, ROILow, ROIHigh float64
	State                schema.ROIStatus
}

// Cohorts is the activation triangle by join quarter.
type Cohorts struct {
	Periods int
	Rows    []CohortRow // oldest first
}

// CohortRow is one join quarter.
type CohortRow struct {
	Cohort     string
	Partners   int
	Rate       []float64 // activation rate by period; NaN where not yet reached or unknown
	Reached    int       // periods the cohort has reached (cells 0 .. Reached-1)
	BeforeData bool      // joined before the deals data begin: its activation is unknown
}

// Attribution is won revenue credited by each model.
type Attribution struct {
	Window string
	Credit [schema.NumTails][]float64 // [segment][model]
	Shifts []Shift                    // partners whose credit differs most between models
}

// Shift is one partner's credit under each model.
type Shift struct {
	Partner
	Credit []float64 // by model, in Models order
}

// Models are the attribution models, in the attribution table's order.
var Models = []string{"sourced only", "equal split", "role weighted", "Shapley", "primary 60/40"}

// DataQuality is what was read, kept and left out.
type DataQuality struct {
	Sources    []SourceLine
	Reasons    []ReasonLine // most frequent first
	Components []ComponentLine
	Notes      []string
}

// SourceLine is one input source of the ingest run.
type SourceLine struct {
	Source                     string
	Files                      int // 0 = not exported
	Read, Accepted, Quarantine int64
}

// ReasonLine is one reason rows were quarantined.
type ReasonLine struct {
	Source string
	Code   schema.ReasonCode
	Rows   int
}

// ComponentLine is one PQI component's state over the ecosystem.
type ComponentLine struct {
	Component schema.Component
	Status    schema.ComponentStatus
	Why       string
	Partners  int // partners measured from their own rows
}

// Method is the configuration in force.
type Method struct {
	Weights     []Weight
	WeightsFrom string
	Partial     string // why the weight guardrails could not hold; "" = they held
	Settings    [][2]string
	Borrow      bool // the components borrow strength from each other (docs/methodology.md)
	Robustness  Robustness
	Thresholds  Thresholds
	Columns     [][2]string // table, its columns the figures are read from
}

// Thresholds are the configured values the glossary's definitions name,
// so a threshold reads the same on every page.
type Thresholds struct {
	LowShare              float64 // a flag: interval below the PQI of this weakest share
	PQICap                float64 // the delivery guardrail's cap
	HeadShare, TorsoShare float64 // of won revenue
}

// Robustness summarises the rank Monte Carlo over the scored partners
// (partner_quality rank_low, rank_high, rank_decile_stay).
type Robustness struct {
	Draws         int
	Concentration float64
	Partners      int     // scored partners with a rank interval; 0 = not computed
	MedianWidth   float64 // median of rank_high - rank_low
	TopTenWidth   float64 // the same over the ten best-ranked
	Stable        float64 // share of them in their decile in at least 80% of draws
}

// Weight is one component's weight.
type Weight struct {
	Component           schema.Component
	Kind                string
	Configured, InForce float64
}

// The sections, in order.
const (
	secCover = iota
	secSummary
	secQuality
	secMovers
	secActions
	secFinance
	secCohorts
	secAttribution
	secDataQuality
	secDecisions
	secGlossary
	secMethod
)

// Sections are the report's sections, in order; each starts a page and
// has an outline entry.
var Sections = []string{
	secCover: "Cover", secSummary: "Executive summary", secQuality: "Quality", secMovers: "Movers",
	secActions: "Interventions and tiers", secFinance: "Finance", secCohorts: "Cohorts", secAttribution: "Attribution",
	secDataQuality: "Data quality", secDecisions: "Decisions to approve", secGlossary: "Glossary", secMethod: "Methodology",
}

// Render writes the report for d. It renders twice: the first pass
// learns the page each section starts on, for the contents and the page
// references; the second, identical but for those numbers, is written.
func Render(w io.Writer, d Data, o Options) error {
	if o.PageSize.W == 0 {
		o.PageSize = pdf.A4
	}
	first, err := render(d, o, nil)
	if err != nil {
		return err
	}
	r, err := render(d, o, first.pages)
	if err != nil {
		return err
	}
	for s, p := range r.pages {
		if first.pages[s] != p {
			return fmt.Errorf("drawing the report: section %s moved from page %d to %d between passes", s, first.pages[s], p)
		}
	}
	return r.doc.Output(w)
}

func render(d Data, o Options, pages map[string]int) (*report, error) {
	q := schema.QuarterLabel(d.AsOf.Quarter())
	doc, err := pdf.New(o.PageSize, pdf.Meta{
		Title:    fmt.Sprintf("%s partner quality board report %s", o.Company, q),
		Subject:  fmt.Sprintf("Partner Quality Index, interventions, finance and cohorts as of %s", d.AsOf.String()),
		Author:   o.Company,
		Creator:  o.Creator,
		Keywords: fmt.Sprintf("partner quality, PQI, board report, %s, config %s", q, short(d.ConfigDigest)),
		Date:     d.AsOf.Time(),
		Footer:   fmt.Sprintf("%s · Partner quality board report · %s", o.Company, q),
	})
	if err != nil {
		return nil, err
	}
	r := &report{doc: doc, d: d, o: o, known: pages, pages: map[string]int{}}
	sections := [...]func(){secCover: r.cover, secSummary: r.summary, secQuality: r.quality, secMovers: r.movers, secActions: r.actions,
		secFinance: r.finance, secCohorts: r.cohorts, secAttribution: r.attribution, secDataQuality: r.dataQuality,
		secDecisions: r.decisions, secGlossary: r.glossary, secMethod: r.method}
	for i, s := range sections {
		r.pages[Sections[i]] = doc.Pages() + 1 // every section starts a page
		s()
	}
	if err := doc.Err(); err != nil {
		return nil, fmt.Errorf("drawing the report: %w", err)
	}
	return r, nil
}

// report is one rendering in progress.
type report struct {
	doc   *pdf.Doc
	d     Data
	o     Options
	known map[string]int // the page each section starts on, from the first pass; nil in it
	pages map[string]int // the same, as this pass draws them
}

// pageRef is "(page N)" for section i, once the first pass knows it.
func (r *report) pageRef(i int) string {
	if p, ok := r.known[Sections[i]]; ok {
		return fmt.Sprintf("(page %d)", p)
	}
	return "(page ..)" // the first pass: same width as a page number of two digits
}

func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}
