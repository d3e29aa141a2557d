package quality

import (
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// conflict is a registration inside the protection period of another
// partner's earlier qualified registration of the same customer.
type conflict struct {
	first, later int32 // deal indexes
	days         int32 // the first registration's protection period
	cust         int32 // the customer
}

// conflicts are the registration conflicts of a window and each partner's
// count as the first and as the later registrant.
type conflicts struct {
	rows           []conflict
	asFirst, later []int64 // by partner
}

// protection is the protection period, in days, of a registration of deal
// d; large is log1p(pr.LargeDealUSD), on the scale dLogAmt holds amounts.
func (in *inputs) protection(d int32, pr Protection, large float64) int32 {
	if la := in.dLogAmt[d]; !math.IsNaN(la) && la >= large {
		return int32(pr.LargeDays)
	}
	return int32(pr.Days)
}

// registrationConflicts finds, for every registration dated in window w,
// the earliest qualified registration of the same customer whose
// protection period covers it (first qualified registration wins): when
// that registration is another partner's, the later one is a conflict. A
// registration is a deal with a registered_date and a primary partner, the
// registrant; a registration protects unless its deal is explicitly not
// qualified. Registrations on the same day are ordered by their deal's
// input row.
func (in *inputs) registrationConflicts(w schema.Window, pr Protection) conflicts {
	nP := len(in.pID)
	out := conflicts{asFirst: make([]int64, nP), later: make([]int64, nP)}
	var regs []custDeal // only a contested customer's deals can conflict
	for _, r := range in.contestedDeals {
		if in.dRegistered[r.deal] <= w.End {
			regs = append(regs, r)
		}
	}
	slices.SortFunc(regs, func(a, b custDeal) int {
		if c := int(a.cust) - int(b.cust); c != 0 {
			return c
		}
		if c := int(in.dRegistered[a.deal]) - int(in.dRegistered[b.deal]); c != 0 {
			return c
		}
		return int(a.deal) - int(b.deal)
	})
	longest := int32(max(pr.Days, pr.LargeDays))
	large := math.Log1p(pr.LargeDealUSD)
	lo := 0
	for j, r := range regs {
		d := r.deal
		day := in.dRegistered[d]
		if lo > j || regs[lo].cust != r.cust {
			lo = j // a new customer
		}
		for in.dRegistered[regs[lo].deal] < day-longest {
			lo++ // no registration this old protects anything today
		}
		if day < w.Start {
			continue
		}
		for _, fr := range regs[lo:j] {
			f := fr.deal
			days := in.protection(f, pr, large)
			if in.dQual[f] == 0 || day > in.dRegistered[f]+days {
				continue // f protects nothing today
			}
			if in.dPrimary[f] != in.dPrimary[d] { // the partner's own earlier registration is no conflict
				out.rows = append(out.rows, conflict{first: f, later: d, days: days, cust: r.cust})
				out.asFirst[in.dPrimary[f]]++
				out.later[in.dPrimary[d]]++
			}
			break
		}
	}
	return out
}

// conflictRecord is the registration_conflicts table, by customer_id, then
// the later registration's date and deal_id.
func (s *scored) conflictRecord(alloc memory.Allocator, p Params) (arrow.Record, error) {
	in, rows := s.in, slices.Clone(s.conflicts.rows)
	cust := func(c conflict) string { return in.contested[c.cust] }
	deal := func(d int32) string { return in.dealIndex.Key(d) }
	slices.SortFunc(rows, func(a, b conflict) int {
		if c := strings.Compare(cust(a), cust(b)); c != 0 {
			return c
		}
		if c := int(in.dRegistered[a.later]) - int(in.dRegistered[b.later]); c != 0 {
			return c
		}
		return strings.Compare(deal(a.later), deal(b.later))
	})
	return buildRecord(alloc, schema.Get(schema.RegistrationConflicts), len(rows), map[string]colData{
		schema.AsOfDate:        {d: func(int) int32 { return int32(p.AsOf) }},
		schema.RunID:           {s: func(int) string { return p.RunID }},
		schema.CustomerID:      {s: func(i int) string { return cust(rows[i]) }},
		schema.FirstDealID:     {s: func(i int) string { return deal(rows[i].first) }},
		schema.FirstPartnerID:  {s: func(i int) string { return in.pID[in.dPrimary[rows[i].first]] }},
		schema.FirstRegistered: {d: func(i int) int32 { return in.dRegistered[rows[i].first] }},
		schema.ProtectionDays:  {i: func(i int) int64 { return int64(rows[i].days) }},
		schema.ProtectedUntil:  {d: func(i int) int32 { return in.dRegistered[rows[i].first] + rows[i].days }},
		schema.DealID:          {s: func(i int) string { return deal(rows[i].later) }},
		schema.PartnerID:       {s: func(i int) string { return in.pID[in.dPrimary[rows[i].later]] }},
		schema.RegisteredDate:  {d: func(i int) int32 { return in.dRegistered[rows[i].later] }},
		schema.DaysAfterFirst:  {i: func(i int) int64 { return int64(in.dRegistered[rows[i].later] - in.dRegistered[rows[i].first]) }},
	})
}
