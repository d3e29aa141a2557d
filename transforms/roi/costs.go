package roi

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/schema"
)

// Costs is the cost_to_serve table summed per partner, quarter and
// category over the quarters ROI reads, record by record as the table is
// read, so that a reader keeps the sums and can release each record once
// added. Sums of cents are exact, so the order of the records changes
// nothing.
type Costs struct {
	partners *attribution.Partners
	q0       int32 // the grid of the estimator: partner p, quarter q at p*nq + q - q0
	nq       int
	inv      []bool // the categories that count as investment
	measured bool   // a cost_to_serve row was added
	exported bool   // a commission row was added
	cost     [schema.NumCostCategories][]int64
	invest   []int64
	hours    [2][]int64 // enablement, management, in cents of an hour
}

// CostColumns are the columns of cost_to_serve that Add reads.
var CostColumns = []string{schema.PartnerID, schema.PeriodStart, schema.Category, schema.AmountUSD, schema.Hours}

// NewCosts starts the sums for the partners of an attribution ledger,
// under cfg, for the window ending in asOf's quarter.
func NewCosts(partners *attribution.Partners, cfg Config, asOf schema.Day) (*Costs, error) {
	inv, err := cfg.investment()
	if err != nil {
		return nil, fmt.Errorf("roi: %w", err)
	}
	c := &Costs{partners: partners, inv: inv}
	c.q0, c.nq = grid(cfg, asOf)
	n := partners.Len() * c.nq
	for k := range c.cost {
		c.cost[k] = make([]int64, n)
	}
	c.invest, c.hours[0], c.hours[1] = make([]int64, n), make([]int64, n), make([]int64, n)
	return c, nil
}

// CostsOf is NewCosts given every record at once.
func CostsOf(partners *attribution.Partners, cfg Config, asOf schema.Day, recs []arrow.Record) (*Costs, error) {
	c, err := NewCosts(partners, cfg, asOf)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := c.Add(r); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Measured reports whether any cost_to_serve row was added: without one,
// every cost, investment and return is unknown (null), not zero.
func (c *Costs) Measured() bool { return c.measured }

// grid is the first quarter and the number of quarters ROI keeps: the
// window (the last cfg.Quarters) plus cfg.SegmentQuarters before it.
func grid(cfg Config, asOf schema.Day) (q0 int32, nq int) {
	nq = cfg.Quarters + cfg.SegmentQuarters
	return asOf.Quarter() - int32(nq) + 1, nq
}

// cell is the grid index of partner p at absolute quarter q, or -1 outside
// the grid of nq quarters from q0.
func cell(p, q, q0 int32, nq int) int {
	i := q - q0
	if i < 0 || int(i) >= nq {
		return -1
	}
	return int(p)*nq + int(i)
}

// Add sums one cost_to_serve record. Rows without a partner, period,
// category or amount, or of an unknown partner or category, or outside
// the grid, add nothing (ingest quarantines the malformed ones).
func (c *Costs) Add(rec arrow.Record) error {
	v := schema.NewView(schema.CostToServe, rec)
	pc, per, cat := v.Str(schema.PartnerID), v.Date(schema.PeriodStart), v.Str(schema.Category)
	amt, hrs := v.Money(schema.AmountUSD), v.Money(schema.Hours)
	if err := v.Err(); err != nil {
		return fmt.Errorf("roi: loading cost to serve: %w", err)
	}
	c.measured = c.measured || v.Rows() > 0
	for i := range v.Rows() {
		if pc.IsNull(i) || per.IsNull(i) || cat.IsNull(i) || amt.IsNull(i) {
			continue
		}
		p, ok := c.partners.Lookup(pc.Value(i))
		if !ok {
			continue
		}
		k := cell(p, schema.Day(per.Value(i)).Quarter(), c.q0, c.nq)
		if k < 0 {
			continue
		}
		ci, ok := schema.ParseCostCategory(cat.Value(i))
		if !ok {
			continue
		}
		if ci == schema.CostCommission {
			c.exported = true
		}
		cents, _ := schema.CentsAt(amt, i)
		c.cost[ci][k] += cents
		if c.inv[ci] {
			c.invest[k] += cents
		}
		if h, ok := schema.CentsAt(hrs, i); ok {
			switch ci {
			case schema.CostEnablement:
				c.hours[0][k] += h
			case schema.CostPartnerManagement:
				c.hours[1][k] += h
			}
		}
	}
	return nil
}
