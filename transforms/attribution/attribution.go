// Package attribution credits every partnered deal among its partners under
// five models side by side (sourced_only, equal_split, role_weighted,
// shapley, primary_60_40) and produces the attribution table plus a Ledger: the decoded
// partners, deals and per-partner credits that the roi and cohort packages
// compute from. Pure columnar compute: Arrow in, Arrow out, no I/O.
//
// Formulas and defaults: docs/methodology.md (Part II).
package attribution

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/keys"
	"github.com/partnerq/pqi/transforms/schema"
)

// Inputs are the raw tables exactly as stored (schema.Get(name).StoredArrow()),
// as the record batches a warehouse read returns. Start does not retain them.
type Inputs struct {
	Partners     []arrow.Record
	Deals        []arrow.Record
	DealPartners []arrow.Record
	Shared
}

// Shared is what another reader of the same deals (the quality snapshot)
// already holds, for attribution to use instead of a copy of its own.
type Shared struct {
	// DealIndex, when not nil, numbers the deal ids in their input order;
	// attribution then trusts it to be complete and free of duplicates,
	// and only looks keys up in it. The other reader adds each deals
	// record before the loader does.
	DealIndex *keys.Index
	// DealDates, when not nil, gives at Start every deal's created, closed
	// and registered dates and status in input order, decoded as the
	// loader would (schema.DateAt, schema.DealStatuses.At); the loader then
	// only checks them per record.
	DealDates func() (created, closed, registered []int32, status []schema.DealStatus)
}

// Ledger is the decoded input the finance transforms share: partners in
// partner_id order (their dense index), deals in input order, and one credit
// per (deal, partner). It holds no Arrow memory.
type Ledger struct {
	AsOf     schema.Day
	Model    Model // the model Credit.Attributed uses
	Partners Partners
	Deals    Deals
	Credits  Credits
}

// Partners are the partners table, sorted by partner_id.
type Partners struct {
	ID         []string
	Joined     []int32
	Vertical   []string                   // "" = null
	Capability []schema.PartnerCapability // schema.NullEnum = null
	Tier       []schema.Tier              // schema.NullEnum = null
	index      *keys.Index
}

// Len is the number of partners.
func (p *Partners) Len() int { return len(p.ID) }

// Lookup returns the dense index of a partner_id.
func (p *Partners) Lookup(id string) (int32, bool) {
	if p.index == nil {
		return -1, false
	}
	return p.index.Lookup(id)
}

// Deals are the deals table, in input order. Dates are schema.NoDate when null.
type Deals struct {
	Created, Closed, Registered []int32
	Status                      []schema.DealStatus
	Cents                       []int64 // amount_usd in cents; 0 when null
	HasAmount                   []bool
	AEInvited, Marketplace      []bool // null = false
}

// Len is the number of deals.
func (d *Deals) Len() int { return len(d.Created) }

// Credits hold one entry per (deal, partner) of partnered deals, in deal
// order and partner_id order within a deal: the rows of the attribution
// table. Their cents are not held: Ledger.EachCredit splits each deal as
// it is reached.
type Credits struct {
	Deal    []int32 // index into Deals
	Partner []int32 // index into Partners
	Roles   []uint8 // bit r set = role schema.DealRole(r)
	off     []int32 // the credits of deal d are off[d]:off[d+1]
	rule    *rule   // the role weights the deals are split by
}

// Len is the number of credits.
func (c *Credits) Len() int { return len(c.Deal) }

// Credit is one credit with its cents under sourced_only and under the
// ledger's model.
type Credit struct {
	Deal, Partner       int32
	Sourced, Attributed int64
}

// EachCredit yields every credit in order with its cents. A deal with
// several partners is split when its first credit is reached, by the same
// split the attribution table's rows use; a sole partner has the whole
// amount under every model. Holding the cents of every credit would cost
// 16 bytes a credit for the whole finance run.
func (l *Ledger) EachCredit() iter.Seq2[int, Credit] {
	return func(yield func(int, Credit) bool) {
		c, d := &l.Credits, &l.Deals
		sp, cur := &split{rule: c.rule}, int32(-1) // cur: the deal split in sp
		for i := range c.Len() {
			di := c.Deal[i]
			lo, hi := c.off[di], c.off[di+1]
			cr := Credit{Deal: di, Partner: c.Partner[i], Sourced: d.Cents[di], Attributed: d.Cents[di]}
			if hi-lo > 1 {
				if di != cur {
					sp.deal(c.Roles[lo:hi], d.Cents[di])
					cur = di
				}
				j := int32(i) - lo
				cr.Sourced, cr.Attributed = sp.cents[SourcedOnly][j], sp.cents[l.Model][j]
			}
			if !yield(i, cr) {
				return
			}
		}
	}
}

// Pending is an attribution computed in full but not yet rendered as the
// attribution table, so that it can start before the run id (a hash of
// every input) is known, and so that the table can be rendered in chunks
// while it is written instead of all at once. The Ledger is final.
type Pending struct {
	Ledger *Ledger
	dealID func(d int32) string
	alloc  memory.Allocator
	asOf   int32
}

// Start attributes every partnered deal, all but rendering the table
// (Table does): rows come in deal input order, then partner_id; a deal
// with no partner (direct) has no row. Deal partner rows naming an unknown
// deal or partner are skipped (ingest already quarantines them). Start
// does not retain the inputs. It is a Loader given every record at once.
func Start(ctx context.Context, alloc memory.Allocator, in Inputs, cfg Config, asOf schema.Day) (*Pending, error) {
	l, err := NewLoader(alloc, cfg, asOf, in.Shared)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	for _, t := range []struct {
		name string
		recs []arrow.Record
	}{{schema.Partners, in.Partners}, {schema.Deals, in.Deals}, {schema.DealPartners, in.DealPartners}} {
		for _, r := range t.recs {
			if err := l.Add(t.name, r); err != nil {
				return nil, err
			}
		}
	}
	return l.Start(ctx)
}

// Loader decodes the tables attribution reads a record at a time, so that
// a reader can release each record once added instead of holding whole
// tables until attribution runs: partners (kept until the first deal, as
// they are numbered in partner_id order), then deals, then deal_partners.
// Start attributes what was added.
type Loader struct {
	alloc    memory.Allocator
	led      *Ledger
	rule     rule
	partners []arrow.Record // retained until decoded
	stage    int            // the table being added: 0 partners, 1 deals, 2 deal_partners
	dealIdx  *keys.Index
	own      bool // dealIdx is the loader's: it numbers the deal ids itself
	dates    func() (created, closed, registered []int32, status []schema.DealStatus)
	nDeals   int
	deal     []int32 // deal of each deal_partners row kept
	ent      []entry
	last     int32 // deal of the last deal_partners row, the next lookup's hint
}

// NewLoader starts an attribution under cfg, using what shared holds
// instead of decoding it again.
func NewLoader(alloc memory.Allocator, cfg Config, asOf schema.Day, shared Shared) (*Loader, error) {
	w, err := cfg.rule()
	if err != nil {
		return nil, fmt.Errorf("attribution: %w", err)
	}
	model, err := ParseModel(cfg.Model)
	if err != nil {
		return nil, fmt.Errorf("attribution: %w", err)
	}
	l := &Loader{alloc: alloc, led: &Ledger{AsOf: asOf, Model: model}, rule: w, dealIdx: shared.DealIndex, dates: shared.DealDates, last: -1}
	if l.dealIdx == nil {
		l.dealIdx, l.own = keys.New(0), true
	}
	return l, nil
}

var loaderStage = map[string]int{schema.Partners: 0, schema.Deals: 1, schema.DealPartners: 2}

// Add decodes one record of table (other tables are ignored); rec may be
// released once Add returns.
func (l *Loader) Add(table string, rec arrow.Record) error {
	at, ok := loaderStage[table]
	if !ok {
		return nil
	}
	if at < l.stage {
		return fmt.Errorf("attribution: table %s added after the next one: add partners, deals, then deal_partners", table)
	}
	if at == 0 {
		rec.Retain()
		l.partners = append(l.partners, rec)
		return nil
	}
	if err := l.decodePartners(); err != nil {
		return err
	}
	l.stage = at
	var err error
	if at == 1 {
		err = l.addDeals(rec)
	} else {
		err = l.addDealPartners(rec)
	}
	if err != nil {
		return fmt.Errorf("attribution: loading %s: %w", table, err)
	}
	return nil
}

// decodePartners numbers the partners once all are in.
func (l *Loader) decodePartners() error {
	if l.stage > 0 {
		return nil
	}
	l.stage = 1
	err := loadPartners(l.alloc, l.partners, &l.led.Partners)
	l.Release()
	if err != nil {
		return fmt.Errorf("attribution: loading partners: %w", err)
	}
	return nil
}

// Reserve makes room for rows more rows of table (deals or
// deal_partners), so that adding them copies no column on the way
// (optional: for a reader that knows its row count). Grown by appending,
// deal_partners' 12 bytes a row were copied near the end with both
// copies alive, at the read's busiest moment.
func (l *Loader) Reserve(table string, rows int) {
	if table == schema.DealPartners {
		l.deal, l.ent = slices.Grow(l.deal, rows), slices.Grow(l.ent, rows)
		return
	}
	if table != schema.Deals {
		return
	}
	d := &l.led.Deals
	if l.dates == nil {
		for _, c := range []*[]int32{&d.Created, &d.Closed, &d.Registered} {
			*c = slices.Grow(*c, rows)
		}
		d.Status = slices.Grow(d.Status, rows)
	}
	d.Cents = slices.Grow(d.Cents, rows)
	d.HasAmount, d.AEInvited, d.Marketplace = slices.Grow(d.HasAmount, rows), slices.Grow(d.AEInvited, rows), slices.Grow(d.Marketplace, rows)
}

// Partners are the partners in partner_id order, the ledger's, once the
// first deals record is in (the loader only reads them from then on).
func (l *Loader) Partners() *Partners { return &l.led.Partners }

// Release frees the partner records still held (safe twice).
func (l *Loader) Release() {
	for _, r := range l.partners {
		r.Release()
	}
	l.partners = nil
}

// Start groups every deal's partners into the ledger's credits (their
// cents are split when read: Ledger.EachCredit).
func (l *Loader) Start(ctx context.Context) (*Pending, error) {
	if err := l.decodePartners(); err != nil {
		return nil, err
	}
	led := l.led
	if l.dates != nil {
		d := &led.Deals
		d.Created, d.Closed, d.Registered, d.Status = l.dates()
		if len(d.Created) != l.nDeals {
			return nil, fmt.Errorf("attribution: loading deals: the deal dates given hold %d deals, the deals table has %d", len(d.Created), l.nDeals)
		}
	}
	if n := led.Deals.Len(); l.dealIdx.Len() != n {
		return nil, fmt.Errorf("attribution: loading deals: the deal index given numbers %d deals, the deals table has %d", l.dealIdx.Len(), n)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &Pending{Ledger: led, dealID: l.dealIdx.Key, alloc: l.alloc, asOf: int32(led.AsOf)}
	var ent []entry
	led.Credits.rule = &l.rule
	deal, rows := l.deal, l.ent
	l.deal, l.ent = nil, nil // the grouping's alone: its copy, if any, need not sit beside them
	led.Credits.off, ent = groupByDeal(deal, rows, led.Deals.Len())
	if err := credit(ctx, led, ent); err != nil {
		return nil, fmt.Errorf("attribution: %w", err)
	}
	return p, nil
}

// InputColumns are the columns of each raw table the Loader reads.
var InputColumns = map[string][]string{
	schema.Partners:     {schema.PartnerID, schema.JoinedDate, schema.Vertical, schema.Capability, schema.ProgramTier},
	schema.Deals:        {schema.DealID, schema.CreatedDate, schema.ClosedDate, schema.RegisteredDate, schema.Status, schema.AmountUSD, schema.AEInvited, schema.ViaMarketplace},
	schema.DealPartners: {schema.DealID, schema.PartnerID, schema.Role},
}

func loadPartners(alloc memory.Allocator, recs []arrow.Record, p *Partners) error {
	ids, err := concatStrings(alloc, recs, schema.Partners, schema.PartnerID)
	if err != nil {
		return err
	}
	defer ids.Release()
	n := ids.Len()
	joined := make([]int32, n)
	vert := make([]string, n)
	capab := make([]schema.PartnerCapability, n)
	tier := make([]schema.Tier, n)
	if err := dates(recs, schema.Partners, schema.JoinedDate, joined); err != nil {
		return err
	}
	if err := texts(recs, schema.Partners, schema.Vertical, vert); err != nil {
		return err
	}
	if err := enum(recs, schema.Partners, schema.Capability, schema.Capabilities, capab); err != nil {
		return err
	}
	if err := enum(recs, schema.Partners, schema.ProgramTier, schema.ProgramTiers, tier); err != nil {
		return err
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ids.Value(int(a)), ids.Value(int(b))) })
	p.ID = make([]string, n)
	p.Joined = make([]int32, n)
	p.Vertical = make([]string, n)
	p.Capability = make([]schema.PartnerCapability, n)
	p.Tier = make([]schema.Tier, n)
	for k, i := range order {
		p.ID[k] = strings.Clone(ids.Value(int(i)))
		p.Joined[k], p.Vertical[k], p.Capability[k], p.Tier[k] = joined[i], vert[i], capab[i], tier[i]
	}
	p.index = keys.New(n)
	for _, id := range p.ID {
		if _, ok := p.index.Insert(id); !ok {
			return fmt.Errorf("duplicate partner_id %s", id)
		}
	}
	return nil
}

// addDeals decodes one deals record.
func (l *Loader) addDeals(rec arrow.Record) error {
	v := schema.NewView(schema.Deals, rec)
	id, created, closed, reg := v.Str(schema.DealID), v.Date(schema.CreatedDate), v.Date(schema.ClosedDate), v.Date(schema.RegisteredDate)
	status, amount, ae, market := v.Str(schema.Status), v.Money(schema.AmountUSD), v.Bool(schema.AEInvited), v.Bool(schema.ViaMarketplace)
	if err := v.Err(); err != nil {
		return err
	}
	d := &l.led.Deals
	flag := func(a *array.Boolean, i int) bool { return a.IsValid(i) && a.Value(i) }
	l.nDeals += v.Rows()
	if l.own {
		if dup := l.dealIdx.InsertAll(v.Rows(), id.Value, keys.NewOnly); dup >= 0 {
			return fmt.Errorf("duplicate deal_id %s", id.Value(dup))
		}
	}
	for i := range v.Rows() {
		st, cr := schema.DealStatuses.At(status, i), schema.DateAt(created, i)
		if st == schema.NullEnum || cr == schema.NoDate {
			return fmt.Errorf("deal %s has no valid status or created_date", id.Value(i))
		}
		if l.dates == nil {
			d.Created, d.Closed, d.Registered = append(d.Created, cr), append(d.Closed, schema.DateAt(closed, i)), append(d.Registered, schema.DateAt(reg, i))
			d.Status = append(d.Status, st)
		}
		cents, has := schema.CentsAt(amount, i)
		d.Cents, d.HasAmount = append(d.Cents, cents), append(d.HasAmount, has)
		d.AEInvited, d.Marketplace = append(d.AEInvited, flag(ae, i)), append(d.Marketplace, flag(market, i))
	}
	return nil
}

// entry is one deal_partners row: partner index and role bit.
type entry struct {
	partner int32
	roles   uint8
}

// addDealPartners keeps the rows of one deal_partners record that name a
// known deal and partner and a role.
func (l *Loader) addDealPartners(rec arrow.Record) error {
	v := schema.NewView(schema.DealPartners, rec)
	dc, pc, rc := v.Str(schema.DealID), v.Str(schema.PartnerID), v.Str(schema.Role)
	if err := v.Err(); err != nil {
		return err
	}
	for i := range dc.Len() {
		if dc.IsNull(i) || pc.IsNull(i) || rc.IsNull(i) {
			continue
		}
		d, ok := l.dealIdx.LookupNear(dc.Value(i), l.last)
		if !ok {
			continue
		}
		l.last = d
		p, ok := l.led.Partners.Lookup(pc.Value(i))
		if !ok {
			continue
		}
		role, ok := schema.ParseDealRole(rc.Value(i))
		if !ok {
			continue
		}
		l.deal = append(l.deal, d)
		l.ent = append(l.ent, entry{p, 1 << role})
	}
	return nil
}

// groupByDeal groups the deal_partners rows by deal (a counting sort,
// unless they come deal by deal already):
// the entries of deal d are ent[off[d]:off[d+1]], sorted by partner with
// one entry per partner (its roles merged into a mask).
func groupByDeal(deal []int32, ent []entry, nDeals int) ([]int32, []entry) {
	off := make([]int32, nDeals+1)
	for _, d := range deal {
		off[d+1]++
	}
	for i := 1; i <= nDeals; i++ {
		off[i] += off[i-1]
	}
	sorted := ent // exports usually list deal partners deal by deal: then no copy
	if !slices.IsSorted(deal) {
		sorted = make([]entry, len(ent))
		next := slices.Clone(off[:nDeals])
		for i, d := range deal {
			sorted[next[d]] = ent[i]
			next[d]++
		}
	}
	// sort each deal's entries by partner and merge a partner's roles;
	// compact in place and rebuild the offsets
	w := int32(0)
	start := int32(0)
	for d := range nDeals {
		end := off[d+1]
		g := sorted[start:end]
		if len(g) > 1 {
			slices.SortFunc(g, func(a, b entry) int { return int(a.partner - b.partner) })
		}
		off[d] = w
		for i, e := range g {
			if i > 0 && e.partner == sorted[w-1].partner {
				sorted[w-1].roles |= e.roles
				continue
			}
			sorted[w] = e
			w++
		}
		start = end
	}
	off[nDeals] = w
	return off, sorted[:w]
}

// roleNames renders every role mask as the roles column.
func roleNames() [1 << schema.NumDealRoles]string {
	var out [1 << schema.NumDealRoles]string
	for m := range out {
		var parts []string
		for r := range schema.DealRole(schema.NumDealRoles) {
			if m&(1<<r) != 0 {
				parts = append(parts, r.String())
			}
		}
		out[m] = strings.Join(parts, ",")
	}
	return out
}

// split is one deal's shares and cents under every model, from its
// partners' role masks: Ledger.EachCredit and the table's rows split each
// deal as they reach it, so no model's cents are held for every credit.
type split struct {
	rule  *rule
	share [NumModels][]float64
	cents [NumModels][]int64
	pw    []float64
	rem   []float64
	order []int
}

// deal splits amount cents among the partners with role masks masks.
func (s *split) deal(masks []uint8, amount int64) {
	k := len(masks)
	if cap(s.pw) < k {
		n := max(k, 8)
		for m := range NumModels {
			s.share[m], s.cents[m] = make([]float64, n), make([]int64, n)
		}
		s.pw, s.rem, s.order = make([]float64, n), make([]float64, n), make([]int, n)
	}
	for m := range NumModels {
		s.share[m], s.cents[m] = s.share[m][:k], s.cents[m][:k]
	}
	shares(masks, s.rule, &s.share, s.pw[:k], s.order[:k])
	for m := range NumModels {
		apportion(amount, s.share[m], s.cents[m], s.rem[:k])
	}
}

// credit fills the ledger's credits from each deal's grouped entries.
func credit(ctx context.Context, led *Ledger, ent []entry) error {
	cr := &led.Credits
	n := len(ent)
	cr.Deal, cr.Partner, cr.Roles = make([]int32, n), make([]int32, n), make([]uint8, n)
	for di := range led.Deals.Len() {
		if di%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		lo := cr.off[di]
		for i, e := range ent[lo:cr.off[di+1]] {
			cr.Deal[int(lo)+i], cr.Partner[int(lo)+i], cr.Roles[int(lo)+i] = int32(di), e.partner, e.roles
		}
	}
	return nil
}

// Table renders the attribution table for runID in records of at most
// chunk rows, in row order, handing each to emit, which owns (and
// releases) it. Rendering chunk by chunk while writing keeps a
// ten-million-row table from being held in memory whole.
func (p *Pending) Table(runID string, chunk int, emit func(arrow.Record) error) error {
	t := schema.Get(schema.Attribution)
	n := p.Ledger.Credits.Len()
	chunk = max(chunk, 1)
	for from := 0; ; from += chunk {
		to := min(from+chunk, n)
		if err := emit(p.render(t, runID, from, to)); err != nil {
			return err
		}
		if to >= n {
			return nil
		}
	}
}

// modelColumns are each model's share and credited-amount columns.
var modelColumns = [NumModels]struct{ share, usd string }{
	SourcedOnly:  {schema.SourcedOnlyShare, schema.SourcedOnlyUSD},
	EqualSplit:   {schema.EqualSplitShare, schema.EqualSplitUSD},
	RoleWeighted: {schema.RoleWeightedShare, schema.RoleWeightedUSD},
	Shapley:      {schema.ShapleyShare, schema.ShapleyUSD},
	Primary6040:  {schema.Primary6040Share, schema.Primary6040USD},
}

// render builds credit rows [from, to) of the table.
func (p *Pending) render(t schema.Table, runID string, from, to int) arrow.Record {
	led, cr, d := p.Ledger, &p.Ledger.Credits, &p.Ledger.Deals
	b := schema.NewBuilder(p.alloc, t)
	defer b.Release()
	b.Reserve(to - from)
	var (
		asOfB, creB, cloB       = b.Date(schema.AsOfDate), b.Date(schema.CreatedDate), b.Date(schema.ClosedDate)
		runB, dealB, partB      = b.Str(schema.RunID), b.Str(schema.DealID), b.Str(schema.PartnerID)
		rolesB, statB, nB, amtB = b.Str(schema.Roles), b.Str(schema.Status), b.Int(schema.PartnersOnDeal), b.Money(schema.AmountUSD)
		shareB                  [NumModels]*array.Float64Builder
		centsB                  [NumModels]*array.Decimal128Builder
	)
	for m, c := range modelColumns {
		shareB[m], centsB[m] = b.Float(c.share), b.Money(c.usd)
	}
	names := roleNames()
	reserveText(p, from, to, &names, runID, runB, dealB, partB, rolesB, statB)
	sp, cur := &split{rule: cr.rule}, int32(-1) // cur: the deal split in sp
	for i := from; i < to; i++ {
		di, pi := cr.Deal[i], cr.Partner[i]
		if di != cur {
			sp.deal(cr.Roles[cr.off[di]:cr.off[di+1]], d.Cents[di])
			cur = di
		}
		j := int32(i) - cr.off[di]
		asOfB.Append(arrow.Date32(p.asOf))
		runB.Append(runID)
		dealB.Append(p.dealID(di))
		partB.Append(led.Partners.ID[pi])
		rolesB.Append(names[cr.Roles[i]])
		nB.Append(int64(cr.off[di+1] - cr.off[di]))
		statB.Append(d.Status[di].String())
		creB.Append(arrow.Date32(d.Created[di]))
		schema.AppendDate(cloB, d.Closed[di])
		has := d.HasAmount[di]
		if has {
			amtB.Append(decimal128.FromI64(d.Cents[di]))
		} else {
			amtB.AppendNull()
		}
		for m := range NumModels {
			shareB[m].Append(sp.share[m][j])
			if has {
				centsB[m].Append(decimal128.FromI64(sp.cents[m][j]))
			} else {
				centsB[m].AppendNull()
			}
		}
	}
	return b.NewRecord()
}

// reserveText sizes the string columns' data buffers of rows [from, to)
// once, from the bytes the rows will hold, so that appending never regrows
// (and re-zeroes) them.
func reserveText(p *Pending, from, to int, names *[1 << schema.NumDealRoles]string, runID string,
	runB, dealB, partB, rolesB, statB *array.StringBuilder) {
	cr := &p.Ledger.Credits
	var dealBytes, partBytes, roleBytes, statBytes int
	for i := from; i < to; i++ {
		di := cr.Deal[i]
		dealBytes += len(p.dealID(di))
		statBytes += len(p.Ledger.Deals.Status[di].String())
		partBytes += len(p.Ledger.Partners.ID[cr.Partner[i]])
		roleBytes += len(names[cr.Roles[i]])
	}
	runB.ReserveData((to - from) * len(runID))
	dealB.ReserveData(dealBytes)
	partB.ReserveData(partBytes)
	rolesB.ReserveData(roleBytes)
	statB.ReserveData(statBytes)
}
