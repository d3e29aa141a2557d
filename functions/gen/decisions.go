package gen

import (
	"fmt"
	"strconv"

	"github.com/partnerq/pqi/transforms/schema"
)

// Decisions: the program's decision records, one per decisionsPer partners
// (at least 20, so that even a small file carries broken rows), taken in
// the last four quarters. A tier override raises the tier, or, for a
// partner of good latent quality, half the time keeps it: raised tiers of
// weak partners are exceptions against the evidence, for the board and
// mart_decision_review to find.
const decisionsPer = 10

var decisionContext = [schema.DecisionExit + 1][]string{
	schema.DecisionTierOverride:       {"strategic account in the region", "executive sponsor asked for it", "new vertical we want covered"},
	schema.DecisionFundException:      {"co-marketing event the partner funds half of", "launch in a new region", "enablement for a large customer"},
	schema.DecisionIncentiveException: {"rebate above the tier's rate for a named deal", "spiff for the first deals in a new product"},
	schema.DecisionExit:               {"repeated escalations from customers", "the partner asked to leave the program"},
}

// decisions writes the decision records.
func (g *generator) decisions() {
	r := stream(g.cfg.Seed, streamDecisions, 0)
	s := g.decOut
	n := max(20, len(g.partners)/decisionsPer)
	q := g.w.quarters
	from := q[max(0, len(q)-5)] // the first day of the quarter three before the as-of quarter
	for i := range n {
		p := g.partners[r.IntN(len(g.partners))]
		kind := schema.DecisionKindOf(i % len(schema.DecisionKinds))
		start := max(from, p.joined) // never before the partner joined
		day := start + int32(r.IntN(int(g.w.asOf-start+1)))
		row := s.row()
		row[s.col(schema.DecisionID)] = "DEC-" + strconv.Itoa(1001+i)
		row[s.col(schema.PartnerID)] = p.id
		row[s.col(schema.DecisionKind)] = kind.String()
		row[s.col(schema.DecidedDate)] = g.dates.str(day)
		a := r.IntN(len(assessors))
		row[s.col(schema.Deciders)] = assessors[a] + "; " + assessors[(a+1+r.IntN(len(assessors)-1))%len(assessors)]
		ctx := decisionContext[kind]
		row[s.col(schema.Context)] = ctx[r.IntN(len(ctx))]
		switch kind {
		case schema.DecisionTierOverride:
			to := min(p.tier+1, schema.TierPlatinum)
			if p.q > -0.5 && r.Float64() < 0.5 {
				to = p.tier // keep the tier despite a demotion
			}
			row[s.col(schema.DecidedTier)] = to.String()
			row[s.col(schema.DecisionText)] = fmt.Sprintf("set the tier to %s", to)
		case schema.DecisionExit:
			row[s.col(schema.DecisionText)] = "exit the program at the end of the quarter"
		default:
			row[s.col(schema.DecisionText)] = fmt.Sprintf("approve $%dk beyond the tier's allowance", 5+r.IntN(46))
		}
		status := schema.DecisionApproved
		if r.Float64() < 0.2 {
			status = schema.DecisionStatus(r.IntN(len(schema.DecisionStatuses)))
		}
		row[s.col(schema.DecisionStat)] = status.String()
		row[s.col(schema.ReviewDate)] = g.dates.str(day + 90)
		s.put(row)
	}
}

// badDecisions sets how broken decision rows are made: each gets an id of
// its own, so its key stays clear of the good rows.
func (g *generator) badDecisions() {
	s := g.decOut
	id, partner, kind, day := s.col(schema.DecisionID), s.col(schema.PartnerID), s.col(schema.DecisionKind), s.col(schema.DecidedDate)
	s.breaks = []breakage{
		{badUnknownRef, schema.PartnerID},
		{badEnum, schema.DecisionKind},
		{badFuture, schema.DecidedDate},
		{badDuplicateKey, schema.DecisionID},
		{badMissing, schema.Deciders},
	}
	s.mutate = func(s *sink, row []string, b breakage) {
		if b.kind == badDuplicateKey {
			return
		}
		row[id] = "DEC-X" + strconv.Itoa(s.bad+1)
		switch b.kind {
		case badUnknownRef:
			row[partner] = fmt.Sprintf("PZ%06d", s.bad+1)
		case badEnum:
			row[kind] = "bonus"
		case badFuture:
			row[day] = g.dates.str(g.w.asOf + 1 + int32(s.bad%90))
		case badMissing:
			row[s.col(schema.Deciders)] = ""
		}
	}
}
