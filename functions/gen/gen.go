// Package gen writes a deterministic synthetic partner ecosystem: the six
// contract exports (partners, deals, deal_partners, csat, churn,
// cost_to_serve) and, in a separate folder ingest never reads, the hidden
// truth that produced them (each partner's latent quality, its effects on
// every outcome and a planted return on spend), so that later work can check
// how well the Partner Quality Index and the ROI estimates recover it.
//
// The model in short (coefficients in model.go, also written to
// truth/model.csv):
//   - partner quality q ~ N(0,1); activity weight exp(1.4*z), z = 0.25q +
//     0.97*N(0,1), so deal volume and revenue are heavy-tailed;
//   - deal complexity k (segment, product_count, customer_maturity,
//     delivery_scope) rises with a partner propensity 0.6q + 0.8*N(0,1):
//     stronger partners take harder deals, which lowers their raw win rate
//     and CSAT, so naive scorecards under-rate them;
//   - win, CSAT, time to first value, churn, qualification, registration,
//     AE invitations and services attach depend on q (through the partner's
//     effects) and on k;
//   - tier, certified staff and case studies follow activity and tenure and
//     only weakly q;
//   - 20% of partners active before the window get an mdf+enablement
//     step-up sized to their business; for 60% of them pipeline created rises by true_roi x extra
//     spend per quarter (extra sourced deals), the others return nothing;
//     another 20% form a comparison group with no step-up.
//
// Output is streamed partner by partner; the same Config gives byte-identical
// files (every random draw comes from a PCG stream keyed by seed, purpose and
// partner index).
package gen

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// Config says what to generate and where.
type Config struct {
	Partners        int       // partners to generate; default 500
	Seed            uint64    // random seed; 0 means 1
	Quarters        int       // quarters of history ending at AsOf; default 8
	AsOf            time.Time // a quarter-end date; default 2026-09-30
	DealsPerPartner float64   // mean deals per partner over the window, direct deals included; default 40
	BadRows         float64   // share of rows per file deliberately broken, in [0, 0.5); default 0
	Format          string    // "csv" (default) or "jsonl"
	Out             string    // directory the exports are written to (created)
	TruthDir        string    // directory of the hidden truth; default Out/truth
	Equal           bool      // every partner's outcomes follow the same truth: the null ecosystem
}

// FileSummary describes one written file.
type FileSummary struct {
	Name    string // file name inside Out; truth files relative to Out when inside it, else with TruthDir
	Rows    int    // data rows written, broken rows included
	BadRows int    // rows deliberately broken
}

// Summary describes a run.
type Summary struct {
	Files    []FileSummary
	Partners int // partners generated (good partner rows)
	Deals    int // deals generated (good deal rows)
}

// Stream purposes: every random draw comes from rand.NewPCG(seed, purpose<<48 | index).
const (
	streamPartner = 1 // per partner: attributes and truth
	streamDeals   = 2 // per partner: its deals and their outcomes
	streamCost    = 3 // per partner: cost to serve
	streamDirect  = 4 // per chunk of direct deals
	streamPoach   = 5 // per partner: whether it poaches, and the registrations poached from it

	streamApplications = 6 // the applicants' assessments
	streamDecisions    = 7 // the program's decision records
)

const directChunk = 4096

func stream(seed uint64, purpose, idx uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, purpose<<48|idx))
}

func partnerID(i int) string { return fmt.Sprintf("P%05d", i+1) }

func (c *Config) defaults() error {
	if c.Partners == 0 {
		c.Partners = 500
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Quarters == 0 {
		c.Quarters = 8
	}
	if c.AsOf.IsZero() {
		c.AsOf = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	}
	if c.DealsPerPartner == 0 {
		c.DealsPerPartner = 40
	}
	if c.Format == "" {
		c.Format = "csv"
	}
	if c.TruthDir == "" && c.Out != "" {
		c.TruthDir = filepath.Join(c.Out, "truth")
	}
	switch {
	case c.Partners < 1:
		return fmt.Errorf("partners must be at least 1, got %d", c.Partners)
	case c.Quarters < 1 || c.Quarters > 40:
		return fmt.Errorf("quarters must be between 1 and 40, got %d", c.Quarters)
	case c.DealsPerPartner < 0:
		return fmt.Errorf("deals per partner must not be negative, got %g", c.DealsPerPartner)
	case c.BadRows < 0 || c.BadRows >= 0.5:
		return fmt.Errorf("bad rows share must be in [0, 0.5), got %g", c.BadRows)
	case c.Format != "csv" && c.Format != "jsonl":
		return fmt.Errorf("format must be csv or jsonl, got %q", c.Format)
	case c.Out == "":
		return errors.New("no output directory: set Out (--out)")
	}
	y, m, d := c.AsOf.Date()
	c.AsOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if m%3 != 0 || c.AsOf.AddDate(0, 0, 1).Day() != 1 {
		return fmt.Errorf("as-of date %s is not a quarter end: use Mar 31, Jun 30, Sep 30 or Dec 31", c.AsOf.Format(time.DateOnly))
	}
	return nil
}

// Run generates the ecosystem described by cfg.
func Run(ctx context.Context, cfg Config) (Summary, error) {
	if err := cfg.defaults(); err != nil {
		return Summary{}, fmt.Errorf("generating: %w", err)
	}
	for _, d := range []string{cfg.Out, cfg.TruthDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return Summary{}, fmt.Errorf("generating: %w", err)
		}
	}
	g, err := newGenerator(cfg)
	if err != nil {
		g.closeAll()
		return Summary{}, fmt.Errorf("generating: %w", err)
	}
	err = g.run(ctx)
	if cerr := g.closeAll(); err == nil {
		err = cerr
	}
	if err == nil {
		err = g.writeTruth()
	}
	if err != nil {
		return Summary{}, fmt.Errorf("generating: %w", err)
	}
	sum := Summary{Partners: len(g.partners), Deals: g.deals}
	for _, s := range g.sinks() {
		sum.Files = append(sum.Files, FileSummary{Name: s.file, Rows: s.good + s.bad, BadRows: s.bad})
	}
	truth := cfg.TruthDir
	if rel, err := filepath.Rel(cfg.Out, truth); err == nil && !strings.HasPrefix(rel, "..") {
		truth = rel
	}
	sum.Files = append(sum.Files,
		FileSummary{Name: filepath.Join(truth, truthFile), Rows: len(g.partners)},
		FileSummary{Name: filepath.Join(truth, modelFile), Rows: len(modelCoefficients())},
		FileSummary{Name: filepath.Join(truth, badRowsFile), Rows: g.badTotal()},
	)
	return sum, nil
}

type generator struct {
	cfg   Config
	w     window
	dates *dates

	partners []*partner
	cum      []float64 // cumulative co-partner weights
	direct   *partner  // the effects of a deal with no partner
	poachers []*partner

	partnersOut, dealsOut, dpOut, csatOut, churnOut, costOut, appOut, decOut *sink

	pc  partnerCols
	dc  dealCols
	dpc dpCols
	cc  csatCols
	chc churnCols
	ctc costCols

	deals int
}

type partnerCols struct {
	id, name, ptype, tier, region, vertical, capability, joined, cert, total, cases int
}

type dealCols struct {
	id, customer, created, closed, status, amount, segment, products, maturity, scope,
	qualified, registered, ae, services, firstValue, market int
}

type dpCols struct{ deal, partner, role int }

type csatCols struct{ id, partner, customer, deal, responded, score int }

type churnCols struct{ customer, partner, start, churn, arr int }

type costCols struct{ partner, period, category, amount, hours int }

func newGenerator(cfg Config) (*generator, error) {
	g := &generator{cfg: cfg}
	asOf := int32(schema.DayOf(cfg.AsOf))
	first := cfg.AsOf.AddDate(0, 0, 1) // first day after the window
	for q := cfg.Quarters; q >= 0; q-- {
		g.w.quarters = append(g.w.quarters, int32(schema.DayOf(first.AddDate(0, -3*q, 0))))
	}
	g.w.start, g.w.asOf = g.w.quarters[0], asOf
	g.dates = newDates(asOf-int32(16*366), asOf+3*366)
	g.direct = &partner{
		idx: -1, winEff: winDirect, qualLogit: 0.2, aeLogit: math.Inf(-1), attachLog: -2.2,
		churnMult: 1, ttvMult: 1,
	}

	jsonl := cfg.Format == "jsonl"
	var err error
	open := func(name string) *sink {
		if err != nil {
			return nil
		}
		t := schema.Get(name)
		var s *sink
		s, err = newSink(cfg.Out, t, jsonl)
		return s
	}
	g.partnersOut = open(schema.Partners)
	g.dealsOut = open(schema.Deals)
	g.dpOut = open(schema.DealPartners)
	g.csatOut = open(schema.CSAT)
	g.churnOut = open(schema.Churn)
	g.costOut = open(schema.CostToServe)
	g.appOut = open(schema.Applications)
	g.decOut = open(schema.Decisions)
	if err != nil {
		return g, err
	}

	p := g.partnersOut
	g.pc = partnerCols{p.col(schema.PartnerID), p.col(schema.PartnerName), p.col(schema.PartnerType),
		p.col(schema.ProgramTier), p.col(schema.Region), p.col(schema.Vertical), p.col(schema.Capability),
		p.col(schema.JoinedDate), p.col(schema.CertifiedStaff), p.col(schema.TotalStaff), p.col(schema.CaseStudies)}
	d := g.dealsOut
	g.dc = dealCols{d.col(schema.DealID), d.col(schema.CustomerID), d.col(schema.CreatedDate),
		d.col(schema.ClosedDate), d.col(schema.Status), d.col(schema.AmountUSD), d.col(schema.Segment),
		d.col(schema.ProductCount), d.col(schema.CustomerMaturity), d.col(schema.DeliveryScope),
		d.col(schema.Qualified), d.col(schema.RegisteredDate), d.col(schema.AEInvited),
		d.col(schema.ServicesAttached), d.col(schema.FirstValueDate), d.col(schema.ViaMarketplace)}
	g.dpc = dpCols{g.dpOut.col(schema.DealID), g.dpOut.col(schema.PartnerID), g.dpOut.col(schema.Role)}
	c := g.csatOut
	g.cc = csatCols{c.col(schema.ResponseID), c.col(schema.PartnerID), c.col(schema.CustomerID),
		c.col(schema.DealID), c.col(schema.RespondedDate), c.col(schema.Score)}
	ch := g.churnOut
	g.chc = churnCols{ch.col(schema.CustomerID), ch.col(schema.PartnerID), ch.col(schema.ContractStart),
		ch.col(schema.ChurnDate), ch.col(schema.ARRUSD)}
	ct := g.costOut
	g.ctc = costCols{ct.col(schema.PartnerID), ct.col(schema.PeriodStart), ct.col(schema.Category),
		ct.col(schema.AmountUSD), ct.col(schema.Hours)}

	if cfg.BadRows > 0 {
		g.setupBad(cfg.BadRows / (1 - cfg.BadRows))
	}
	return g, nil
}

func (g *generator) sinks() []*sink {
	return []*sink{g.partnersOut, g.dealsOut, g.dpOut, g.csatOut, g.churnOut, g.costOut, g.appOut, g.decOut}
}

func (g *generator) closeAll() error {
	var err error
	for _, s := range g.sinks() {
		if s == nil {
			continue
		}
		if cerr := s.close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (g *generator) badTotal() int {
	n := 0
	for _, s := range g.sinks() {
		n += s.bad
	}
	return n
}

func (g *generator) run(ctx context.Context) error {
	n := g.cfg.Partners
	g.partners = make([]*partner, n)
	g.cum = make([]float64, n)
	var total float64
	for i := range n {
		p := newPartner(g.cfg.Seed, i, g.w, g.cfg.Equal)
		g.partners[i] = p
		total += p.weight * g.activeFrac(p)
		g.cum[i] = total
	}
	partnered := (1 - directShare) * float64(n) * g.cfg.DealsPerPartner
	for _, p := range g.partners {
		if total > 0 {
			p.lambda = partnered * p.weight * g.activeFrac(p) / total
		}
		p.sizeInvestment(g.w)
	}

	for _, p := range g.partners {
		g.writePartner(p)
		if stream(g.cfg.Seed, streamPoach, uint64(p.idx)).Float64() < poacherShare {
			p.poacher = true
			g.poachers = append(g.poachers, p)
		}
	}
	for _, p := range g.partners {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.partnerDeals(p)
		g.partnerCost(p)
	}
	nd := int(math.Round(directShare * float64(n) * g.cfg.DealsPerPartner))
	for chunk := 0; chunk*directChunk < nd; chunk++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.directDeals(chunk, min(directChunk, nd-chunk*directChunk))
	}
	g.applications()
	g.decisions()
	return nil
}

func (g *generator) activeFrac(p *partner) float64 {
	return math.Max(0, float64(g.w.asOf-p.activeStart+1)) / float64(g.w.days())
}

func (g *generator) writePartner(p *partner) {
	s, c := g.partnersOut, g.pc
	row := s.row()
	row[c.id] = p.id
	row[c.name] = p.name
	row[c.ptype] = p.ptype.String()
	row[c.tier] = p.tier.String()
	row[c.region] = regions[p.region]
	row[c.vertical] = verticals[p.vertical]
	row[c.capability] = p.capability.String()
	row[c.joined] = g.dates.str(p.joined)
	row[c.cert] = strconv.Itoa(p.certStaff)
	row[c.total] = strconv.Itoa(p.totalStaff)
	if p.caseStudies >= 0 {
		row[c.cases] = strconv.Itoa(p.caseStudies)
	}
	s.put(row)
}

// pickPartner draws a co-partner in proportion to activity.
func (g *generator) pickPartner(r *rand.Rand) int {
	total := g.cum[len(g.cum)-1]
	return min(len(g.cum)-1, sort.SearchFloat64s(g.cum, r.Float64()*total))
}
