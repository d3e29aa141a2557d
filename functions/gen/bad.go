package gen

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// Kinds of broken rows, as written to bad_rows.csv. Each broken row is a copy
// of the good row just written, bent to break exactly one contract rule; it
// gets a fresh key (except duplicate_key, which keeps the earlier row's key)
// so that it never collides with, or hides, a good row. The good rows are
// therefore the same with or without broken rows, and so is the truth.
const (
	badDuplicateKey   = "duplicate_key"            // key of an earlier row
	badUnknownRef     = "unknown_reference"        // partner_id / deal_id that does not exist
	badMissing        = "missing_required"         // required value empty
	badEnum           = "unknown_enum"             // value outside the enum
	badDate           = "unparseable_date"         // 31/02/2026
	badNegative       = "negative_value"           // amount or count below 0
	badOutOfRange     = "out_of_range"             // csat score 0 or 7, product_count 0
	badFuture         = "future_date"              // joined_date after as-of
	badCertified      = "certified_gt_total"       // certified_staff > total_staff
	badClosedOnOpen   = "closed_date_on_open_deal" // open deal with closed_date
	badNoClosedDate   = "closed_deal_without_closed_date"
	badClosedEarly    = "closed_before_created"
	badChurnEarly     = "churn_before_start"
	badNotFirstOfMnth = "period_not_first_of_month"
)

// unparseable is the broken date every unparseable_date row carries.
const unparseable = "31/02/2026"

func (g *generator) setupBad(rate float64) {
	for _, s := range g.sinks() {
		s.badRate = rate
	}
	g.badPartners()
	g.badDeals()
	g.badDealPartners()
	g.badCSAT()
	g.badChurn()
	g.badCost()
	g.badApplications()
	g.badDecisions()
}

// badApplications sets how broken applications rows are made: each moves
// to an applicant of its own, so its key stays clear of the good rows.
func (g *generator) badApplications() {
	s := g.appOut
	id, day, score := s.col(schema.ApplicantID), s.col(schema.AssessedDate), s.col(schema.Score)
	s.breaks = []breakage{
		{badOutOfRange, schema.Score},
		{badFuture, schema.AssessedDate},
		{badDuplicateKey, schema.ApplicantID},
		{badMissing, schema.AssessedDate},
		{badDate, schema.AssessedDate},
	}
	s.mutate = func(s *sink, row []string, b breakage) {
		if b.kind == badDuplicateKey {
			return
		}
		row[id] = "APP-X" + strconv.Itoa(s.bad+1)
		switch b.kind {
		case badOutOfRange:
			row[score] = "4"
		case badFuture:
			row[day] = g.dates.str(g.w.asOf + 1 + int32(s.bad%90))
		case badMissing:
			row[day] = ""
		case badDate:
			row[day] = unparseable
		}
	}
}

// badPartners sets how broken partners rows are made.
func (g *generator) badPartners() {
	pc := g.pc
	g.partnersOut.breaks = []breakage{
		{badDuplicateKey, schema.PartnerID},
		{badFuture, schema.JoinedDate},
		{badEnum, schema.ProgramTier},
		{badCertified, schema.CertifiedStaff},
		{badMissing, schema.PartnerName},
		{badDate, schema.JoinedDate},
	}
	g.partnersOut.mutate = func(s *sink, row []string, b breakage) {
		if b.kind == badDuplicateKey {
			row[pc.name] += " (duplicate)"
			return
		}
		row[pc.id] = fmt.Sprintf("PX%06d", s.bad+1)
		switch b.kind {
		case badFuture:
			row[pc.joined] = g.dates.str(g.w.asOf + 1 + int32(s.bad%300))
		case badEnum:
			row[pc.tier] = "diamond"
		case badCertified:
			total, _ := strconv.Atoi(row[pc.total])
			row[pc.cert] = strconv.Itoa(total + 1 + s.bad%5)
		case badMissing:
			row[pc.name] = ""
		case badDate:
			row[pc.joined] = unparseable
		}
	}
}

// badDeals sets how broken deals rows are made.
func (g *generator) badDeals() {
	dc := g.dc
	g.dealsOut.breaks = []breakage{
		{badDuplicateKey, schema.DealID},
		{badClosedOnOpen, schema.ClosedDate},
		{badNoClosedDate, schema.ClosedDate},
		{badClosedEarly, schema.ClosedDate},
		{badDate, schema.CreatedDate},
		{badNegative, schema.AmountUSD},
		{badEnum, schema.Status},
		{badMissing, schema.CustomerID},
		{badOutOfRange, schema.ProductCount},
	}
	g.dealsOut.mutate = func(s *sink, row []string, b breakage) {
		if b.kind == badDuplicateKey {
			return
		}
		row[dc.id] += "-x" + strconv.Itoa(s.bad+1)
		switch b.kind {
		case badClosedOnOpen:
			row[dc.status] = schema.StatusOpen.String()
			row[dc.closed] = row[dc.created]
			row[dc.firstValue] = ""
		case badNoClosedDate:
			row[dc.status] = schema.StatusWon.String()
			row[dc.closed] = ""
			row[dc.firstValue] = ""
		case badClosedEarly:
			created, _ := schema.ParseDay(row[dc.created])
			row[dc.status] = schema.StatusLost.String()
			row[dc.closed] = g.dates.str(int32(created) - 1 - int32(s.bad%30))
			row[dc.firstValue] = ""
		case badDate:
			row[dc.created] = unparseable
		case badNegative:
			row[dc.amount] = negate(row[dc.amount])
		case badEnum:
			row[dc.status] = "closed-won"
		case badMissing:
			row[dc.customer] = ""
		case badOutOfRange:
			row[dc.products] = "0"
		}
	}
}

// badDealPartners sets how broken deal_partners rows are made.
func (g *generator) badDealPartners() {
	dpc := g.dpc
	g.dpOut.breaks = []breakage{
		{badUnknownRef, schema.PartnerID},
		{badDuplicateKey, schema.DealID},
		{badEnum, schema.Role},
		{badUnknownRef, schema.DealID},
		{badMissing, schema.DealID},
	}
	g.dpOut.mutate = func(s *sink, row []string, b breakage) {
		switch {
		case b.kind == badUnknownRef && b.column == schema.PartnerID:
			row[dpc.partner] = fmt.Sprintf("PZ%06d", s.bad+1)
		case b.kind == badUnknownRef:
			row[dpc.deal] += "-z" + strconv.Itoa(s.bad+1)
		case b.kind == badEnum:
			row[dpc.role] = "reseller"
		case b.kind == badMissing:
			row[dpc.deal] = ""
		}
	}
}

// badCSAT sets how broken csat rows are made.
func (g *generator) badCSAT() {
	cc := g.cc
	g.csatOut.breaks = []breakage{
		{badOutOfRange, schema.Score},
		{badUnknownRef, schema.PartnerID},
		{badDuplicateKey, schema.ResponseID},
		{badDate, schema.RespondedDate},
		{badMissing, schema.CustomerID},
		{badUnknownRef, schema.DealID},
	}
	g.csatOut.mutate = func(s *sink, row []string, b breakage) {
		if b.kind == badDuplicateKey {
			return
		}
		row[cc.id] += "-x" + strconv.Itoa(s.bad+1)
		switch {
		case b.kind == badOutOfRange && s.bad%2 == 0:
			row[cc.score] = "7"
		case b.kind == badOutOfRange:
			row[cc.score] = "0"
		case b.kind == badUnknownRef && b.column == schema.PartnerID:
			row[cc.partner] = fmt.Sprintf("PZ%06d", s.bad+1)
		case b.kind == badUnknownRef:
			row[cc.deal] = "DZ" + strconv.Itoa(s.bad+1)
		case b.kind == badDate:
			row[cc.responded] = unparseable
		case b.kind == badMissing:
			row[cc.customer] = ""
		}
	}
}

// badChurn sets how broken churn rows are made.
func (g *generator) badChurn() {
	chc := g.chc
	g.churnOut.breaks = []breakage{
		{badChurnEarly, schema.ChurnDate},
		{badUnknownRef, schema.PartnerID},
		{badDuplicateKey, schema.CustomerID},
		{badNegative, schema.ARRUSD},
		{badDate, schema.ContractStart},
		{badMissing, schema.ContractStart},
	}
	g.churnOut.mutate = func(s *sink, row []string, b breakage) {
		if b.kind == badDuplicateKey {
			return
		}
		row[chc.customer] += "-x" + strconv.Itoa(s.bad+1)
		switch b.kind {
		case badChurnEarly:
			start, _ := schema.ParseDay(row[chc.start])
			row[chc.churn] = g.dates.str(int32(start) - 1 - int32(s.bad%60))
		case badUnknownRef:
			row[chc.partner] = fmt.Sprintf("PZ%06d", s.bad+1)
		case badNegative:
			row[chc.arr] = negate(row[chc.arr])
		case badDate:
			row[chc.start] = unparseable
			row[chc.churn] = ""
		case badMissing:
			row[chc.start] = ""
			row[chc.churn] = ""
		}
	}
}

// badCost sets how broken cost_to_serve rows are made.
func (g *generator) badCost() {
	ctc := g.ctc
	g.costOut.breaks = []breakage{
		{badUnknownRef, schema.PartnerID},
		{badNotFirstOfMnth, schema.PeriodStart},
		{badNegative, schema.AmountUSD},
		{badEnum, schema.Category},
		{badDuplicateKey, schema.PartnerID},
		{badMissing, schema.AmountUSD},
		{badDate, schema.PeriodStart},
	}
	// A month before the window holds no good cost row, so moving a broken
	// row there keeps its key clear of the good rows.
	before := func(n int) string {
		t := schema.Day(g.w.start).Time().AddDate(0, -1-n%120, 0)
		return g.dates.str(int32(schema.DayOf(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))))
	}
	g.costOut.mutate = func(s *sink, row []string, b breakage) {
		switch b.kind {
		case badUnknownRef:
			row[ctc.partner] = fmt.Sprintf("PZ%06d", s.bad+1)
		case badNotFirstOfMnth:
			p, _ := schema.ParseDay(row[ctc.period])
			row[ctc.period] = g.dates.str(int32(p) + 1 + int32(s.bad%27))
		case badNegative:
			row[ctc.period] = before(s.bad)
			row[ctc.amount] = negate(row[ctc.amount])
		case badEnum:
			row[ctc.category] = "travel"
		case badMissing:
			row[ctc.period] = before(s.bad)
			row[ctc.amount] = ""
		case badDate:
			row[ctc.period] = unparseable
		}
	}
}

// negate turns a non-negative decimal into a strictly negative one.
func negate(v string) string {
	v = strings.TrimPrefix(v, "-")
	if strings.Trim(v, "0.") == "" {
		return "-1.00"
	}
	return "-" + v
}
