package quality

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/transforms/keys"
	"github.com/partnerq/pqi/transforms/schema"
)

// Tables are the raw warehouse tables of one as-of snapshot, as Arrow
// records in their stored schema (schema.Table.StoredArrow).
type Tables struct {
	Partners, Deals, DealPartners, CSAT, Churn []arrow.Record
}

// noInt marks a null small integer or flag (0/1) in the typed columns;
// dates use schema.NoDate and enums schema.NullEnum.
const noInt = -1

// inputs is the snapshot in typed columns. It copies what it needs from
// each record, so records can be released as soon as they are added.
type inputs struct {
	// partners
	pID                  []string
	pType                []schema.PartnerKind
	pTier                []schema.Tier
	pJoined              []int32 // schema.NoDate = unknown (no joined_date and no deal to derive it from)
	pCert, pTotal, pCase []int64 // noInt = null
	pIndex               map[string]int32

	// deals
	dCreated, dClosed            []int32 // schema.NoDate = null
	dStatus                      []schema.DealStatus
	dLogAmt                      []float64
	dQual, dAE, dAttach, dMarket []int8 // 0/1, noInt = null
	dRegistered, dFirstValue     []int32
	dPrimary                     []int32          // primary partner index, -1 = direct
	dCust                        []int32          // customer number (custIndex)
	dealIndex                    *keys.Index      // deal_id -> deal position
	custIndex                    *keys.Index      // customer_id -> customer number, while loading
	nCust                        int              // customers, once sealed
	contested                    map[int32]string // once sealed: customer_id of each customer registered by two partners or more
	contestedDeals               []custDeal       // once sealed, in deal order: their registered partnered deals (dCust is gone)
	dMix                         []int16          // case-mix code: segment, product count, maturity, scope (mixCodeOf)
	wonOff, wonDeals             []int32          // while churn loads: customer c's won deals with a close date, in deal order, are wonDeals[wonOff[c]:wonOff[c+1]] (wonByCustomer)
	primaryRule                  []int8           // rule that chose the primary (ruleSourced, ruleFirstRow, ruleUnchosen)
	primaryFile                  []int16
	primaryRow                   []uint32         // source_row: rows of a file beyond 2^32 are refused
	files                        map[string]int16 // deal_partners source files, numbered in name order of first sight
	fileNames                    []string

	// csat
	sPartner   []int32
	sDeal      []int32 // -1 = none
	sResponded []int32
	sScore     []float64

	// what the snapshot holds, for the components' measurement status
	filled                      [numFilled]int // rows with the column filled
	dpRows, csatRows, churnRows int

	// churn
	hPartner       []int32 // -1 = direct
	hDeal          []int32 // the won deal that opened the contract, -1 = unknown
	hStart, hChurn []int32
	hCustomer      []int32
}

// InputColumns are the columns of each raw table the snapshot reads (Add):
// a reader need decode no other.
var InputColumns = map[string][]string{
	schema.Partners: {schema.PartnerID, schema.PartnerType, schema.ProgramTier, schema.JoinedDate,
		schema.CertifiedStaff, schema.TotalStaff, schema.CaseStudies},
	schema.Deals: {schema.DealID, schema.CustomerID, schema.CreatedDate, schema.ClosedDate, schema.Status,
		schema.AmountUSD, schema.Segment, schema.ProductCount, schema.CustomerMaturity, schema.DeliveryScope,
		schema.Qualified, schema.RegisteredDate, schema.AEInvited, schema.ServicesAttached,
		schema.FirstValueDate, schema.ViaMarketplace},
	schema.DealPartners: {schema.DealID, schema.PartnerID, schema.Role, schema.SourceFile, schema.SourceRow},
	schema.CSAT:         {schema.PartnerID, schema.DealID, schema.RespondedDate, schema.Score},
	schema.Churn:        {schema.CustomerID, schema.PartnerID, schema.ContractStart, schema.ChurnDate},
}

// Snapshot is the raw tables of one as-of date, read for scoring. Add the
// records of each table in the order partners, deals, churn,
// deal_partners, csat (SnapshotOrder); each record may be released once
// added. Churn comes before deal_partners because it is the last table
// that needs the customer index's lookups and the won deals by customer:
// both are freed once it is in, before deal_partners and the attribution
// beside the reader add their own.
type Snapshot struct {
	in     *inputs
	last   int  // position in SnapshotOrder of the last table added
	sealed bool // what only loading needs is gone, nothing more can be added (Seal)
}

// SnapshotOrder is the order a snapshot's tables are added in.
var SnapshotOrder = []string{schema.Partners, schema.Deals, schema.Churn, schema.DealPartners, schema.CSAT}

var (
	dealPartnersPos = slices.Index(SnapshotOrder, schema.DealPartners)
	churnPos        = slices.Index(SnapshotOrder, schema.Churn)
)

// Seal frees what only loading needs once every table is in: the primary
// partner's tie-breaks, the won deals by customer, and the customer index,
// of which scoring keeps the count and the ids of the customers a
// registration conflict can name. Nothing can be added after it. Compute
// seals the snapshot if the reader did not; a reader that seals it as soon
// as its last table is in holds less while it reads other tables.
func (s *Snapshot) Seal() {
	if s.sealed {
		return
	}
	s.sealed = true
	in := s.in
	in.dropPrimaryRules()
	in.dropCustomerLookups()
	in.nCust = in.custIndex.Len()
	in.contested, in.contestedDeals = in.contestedCustomers()
	in.custIndex, in.dCust = nil, nil
}

// custDeal is a deal and its customer number.
type custDeal struct{ deal, cust int32 }

// contestedCustomers are the customers with registered deals of two
// partners or more, and those deals: the only ones a registration
// conflict (conflicts.go) can be about, whatever the window or the
// protection rules.
func (in *inputs) contestedCustomers() (map[int32]string, []custDeal) {
	first := make([]int32, in.custIndex.Len()) // partner+1 of the customer's first registered deal
	ids := map[int32]string{}
	registered := func(d int) bool { return in.dRegistered[d] != schema.NoDate && in.dPrimary[d] >= 0 }
	for d := range in.dRegistered {
		if !registered(d) {
			continue
		}
		p, c := in.dPrimary[d], in.dCust[d]
		switch first[c] {
		case 0:
			first[c] = p + 1
		case p + 1:
		default:
			if _, ok := ids[c]; !ok {
				ids[c] = strings.Clone(in.custIndex.Key(c))
			}
		}
	}
	var deals []custDeal
	for d := range in.dRegistered {
		if _, ok := ids[in.dCust[d]]; ok && registered(d) {
			deals = append(deals, custDeal{int32(d), in.dCust[d]})
		}
	}
	return ids, deals
}

// NewSnapshot starts an empty snapshot.
func NewSnapshot() *Snapshot {
	return &Snapshot{in: &inputs{
		pIndex: map[string]int32{}, dealIndex: keys.New(0), custIndex: keys.New(0),
		files: map[string]int16{},
	}}
}

// Add copies one record of a raw table into the snapshot.
func (s *Snapshot) Add(table string, rec arrow.Record) error {
	pos := -1
	for i, t := range SnapshotOrder {
		if t == table {
			pos = i
		}
	}
	if pos < 0 {
		return nil // scoring does not read this table
	}
	if s.sealed {
		return fmt.Errorf("table %s added to a snapshot already sealed (or scored)", table)
	}
	if pos < s.last {
		return fmt.Errorf("table %s added after %s: add tables in the order %v", table, SnapshotOrder[s.last], SnapshotOrder)
	}
	if s.last <= churnPos && pos > churnPos {
		s.in.dropCustomerLookups()
	}
	if s.last <= dealPartnersPos && pos > dealPartnersPos {
		s.in.dropPrimaryRules()
	}
	s.last = pos
	var err error
	switch table {
	case schema.Partners:
		err = s.in.loadPartners(rec)
	case schema.Deals:
		err = s.in.loadDeals(rec)
	case schema.DealPartners:
		err = s.in.loadDealPartners(rec)
	case schema.CSAT:
		err = s.in.loadCSAT(rec)
	case schema.Churn:
		err = s.in.loadChurn(rec)
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", table, err)
	}
	return nil
}

// DealIndex numbers the deal ids added so far in their input order. Once
// every deals record is added it is complete, and only read from, so
// others (attribution) may look deals up in it concurrently.
func (s *Snapshot) DealIndex() *keys.Index { return s.in.dealIndex }

// DealDates are the deals' created, closed and registered dates and
// status in input order (schema.NoDate and schema.NullEnum for null;
// created_date and status are required, and attribution refuses a deal
// without them),
// shared with attribution (attribution.Shared) once every deal is in;
// read only.
func (s *Snapshot) DealDates() (created, closed, registered []int32, status []schema.DealStatus) {
	in := s.in
	return in.dCreated, in.dClosed, in.dRegistered, in.dStatus
}

// Reserve makes room for rows more rows of table, so that adding them
// grows (and copies) no column on the way. It is optional: a reader that
// knows its row count up front (warehouse.Sized) saves the copies.
func (s *Snapshot) Reserve(table string, rows int) {
	in := s.in
	switch table {
	case schema.Deals:
		in.dealIndex.Reserve(rows)
		// Customers number at most the deals: room for that many never
		// grows the index (a table at most the deal index's size, freed
		// once churn is in), where room for half grew it at 35% of the
		// deals, the old and the new probe table alive together at the
		// read's peak (64 + 128 MB at 10M deals).
		in.custIndex.Reserve(rows)
		for _, c := range []*[]int32{&in.dCreated, &in.dClosed, &in.dRegistered, &in.dFirstValue, &in.dPrimary, &in.dCust} {
			*c = slices.Grow(*c, rows)
		}
		for _, c := range []*[]int8{&in.dQual, &in.dAE, &in.dAttach, &in.dMarket, &in.primaryRule} {
			*c = slices.Grow(*c, rows)
		}
		in.dStatus = slices.Grow(in.dStatus, rows)
		in.dLogAmt = slices.Grow(in.dLogAmt, rows)
		in.dMix = slices.Grow(in.dMix, rows)
		in.primaryFile = slices.Grow(in.primaryFile, rows)
		in.primaryRow = slices.Grow(in.primaryRow, rows)
	case schema.CSAT:
		for _, c := range []*[]int32{&in.sPartner, &in.sDeal, &in.sResponded} {
			*c = slices.Grow(*c, rows)
		}
		in.sScore = slices.Grow(in.sScore, rows)
	case schema.Churn:
		for _, c := range []*[]int32{&in.hPartner, &in.hDeal, &in.hStart, &in.hChurn, &in.hCustomer} {
			*c = slices.Grow(*c, rows)
		}
	}
}

// SnapshotOf adds every record of t.
func SnapshotOf(t Tables) (*Snapshot, error) {
	s := NewSnapshot()
	for i, recs := range [][]arrow.Record{t.Partners, t.Deals, t.Churn, t.DealPartners, t.CSAT} {
		for _, r := range recs {
			if err := s.Add(SnapshotOrder[i], r); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

func optBool(a *array.Boolean, i int) int8 {
	if a.IsNull(i) {
		return noInt
	}
	if a.Value(i) {
		return 1
	}
	return 0
}

func rows(recs []arrow.Record) int {
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	return n
}

func (in *inputs) customer(id string) int32 {
	c, _ := in.custIndex.Insert(id)
	return c
}

func (in *inputs) loadPartners(rec arrow.Record) error {
	v := schema.NewView(schema.Partners, rec)
	id, typ, tier := v.Str(schema.PartnerID), v.Str(schema.PartnerType), v.Str(schema.ProgramTier)
	joined := v.Date(schema.JoinedDate)
	cert, total, cases := v.Int(schema.CertifiedStaff), v.Int(schema.TotalStaff), v.Int(schema.CaseStudies)
	if err := v.Err(); err != nil {
		return err
	}
	opt := func(a *array.Int64, i int) int64 {
		if a.IsNull(i) {
			return noInt
		}
		return a.Value(i)
	}
	for i := range v.Rows() {
		if !cert.IsNull(i) && !total.IsNull(i) {
			in.filled[filledStaff]++
		}
		if !cases.IsNull(i) {
			in.filled[filledCaseStudies]++
		}
		pid := strings.Clone(id.Value(i))
		if _, dup := in.pIndex[pid]; dup {
			return fmt.Errorf("partner %s appears twice", pid)
		}
		in.pIndex[pid] = int32(len(in.pID))
		in.pID = append(in.pID, pid)
		in.pType = append(in.pType, schema.PartnerTypes.At(typ, i))
		in.pTier = append(in.pTier, schema.ProgramTiers.At(tier, i))
		in.pJoined = append(in.pJoined, schema.DateAt(joined, i))
		in.pCert = append(in.pCert, opt(cert, i))
		in.pTotal = append(in.pTotal, opt(total, i))
		in.pCase = append(in.pCase, opt(cases, i))
	}
	return nil
}

func (in *inputs) loadDeals(rec arrow.Record) error {
	v := schema.NewView(schema.Deals, rec)
	id, cust, created, closed := v.Str(schema.DealID), v.Str(schema.CustomerID), v.Date(schema.CreatedDate), v.Date(schema.ClosedDate)
	status, amount, seg := v.Str(schema.Status), v.Money(schema.AmountUSD), v.Str(schema.Segment)
	prod, mat, scope := v.Int(schema.ProductCount), v.Str(schema.CustomerMaturity), v.Str(schema.DeliveryScope)
	qual, reg, ae, attach := v.Bool(schema.Qualified), v.Date(schema.RegisteredDate), v.Bool(schema.AEInvited), v.Bool(schema.ServicesAttached)
	fv, market := v.Date(schema.FirstValueDate), v.Bool(schema.ViaMarketplace)
	if err := v.Err(); err != nil {
		return err
	}
	n := int(rec.NumRows())
	for c, a := range [...]arrow.Array{filledQualified: qual, filledAEInvited: ae, filledAttached: attach,
		filledMarketplace: market, filledRegistered: reg, filledFirstValue: fv} {
		in.filled[c] += n - a.NullN()
	}
	// The deal ids are indexed on another core while the columns are
	// copied on this one: a deal's position is its input row either way
	// (every id is new, or the load fails).
	indexed := make(chan error, 1)
	go func() {
		if dup := in.dealIndex.InsertAll(n, id.Value, keys.NewOnly); dup >= 0 {
			indexed <- fmt.Errorf("deal %s appears twice", id.Value(dup))
			return
		}
		indexed <- nil
	}()
	for i := 0; i < n; i++ {
		in.dCreated = append(in.dCreated, int32(created.Value(i)))
		cl := schema.DateAt(closed, i)
		in.dClosed = append(in.dClosed, cl)
		st := schema.DealStatuses.At(status, i)
		in.dStatus = append(in.dStatus, st)
		la := math.NaN()
		if !amount.IsNull(i) {
			la = math.Log1p(amount.Value(i).ToFloat64(schema.MoneyScale))
		}
		in.dLogAmt = append(in.dLogAmt, la)
		var pc int16
		if !prod.IsNull(i) {
			pc = int16(min(prod.Value(i), 100))
		}
		in.dMix = append(in.dMix, mixCodeOf(schema.Segments.At(seg, i), pc, schema.CustomerMaturities.At(mat, i), schema.DeliveryScopes.At(scope, i)))
		in.dQual = append(in.dQual, optBool(qual, i))
		in.dAE = append(in.dAE, optBool(ae, i))
		in.dAttach = append(in.dAttach, optBool(attach, i))
		in.dMarket = append(in.dMarket, optBool(market, i))
		in.dRegistered = append(in.dRegistered, schema.DateAt(reg, i))
		in.dFirstValue = append(in.dFirstValue, schema.DateAt(fv, i))
		in.dPrimary = append(in.dPrimary, -1)
		in.primaryRule = append(in.primaryRule, ruleUnchosen)
		in.primaryFile = append(in.primaryFile, 0)
		in.primaryRow = append(in.primaryRow, 0)
	}
	in.custIndex.InsertAll(n, cust.Value, func(_ int, c int32, _ bool) bool {
		in.dCust = append(in.dCust, c)
		return true
	})
	return <-indexed
}

// dropCustomerLookups frees what finds a customer by id or a won deal by
// contract once the last table that needs them (churn) is in: the
// customer index keeps its ids, for the registration conflicts (Seal).
func (in *inputs) dropCustomerLookups() {
	in.custIndex.Freeze()
	in.wonOff, in.wonDeals = nil, nil
}

// wonByCustomer groups the won deals with a close date by customer, in
// deal order, once every deal is in (when the first churn record comes): a
// contract opened with the first of its customer's won deals closed on its
// start. Built from the deals' columns in two passes, it holds 4 bytes a
// customer and a won deal only while churn loads, where a map filled as
// the deals were read held about 16 bytes a won deal from the start of the
// read, and its inserts cost the read's busiest goroutine ~2.5 s at 10M
// deals.
func (in *inputs) wonByCustomer() {
	n := in.custIndex.Len()
	won := func(d int) bool { return in.dStatus[d] == schema.StatusWon && in.dClosed[d] != schema.NoDate }
	off := make([]int32, n+1)
	for d, c := range in.dCust {
		if won(d) {
			off[c+1]++
		}
	}
	for c := range n {
		off[c+1] += off[c]
	}
	deals := make([]int32, off[n])
	next := slices.Clone(off[:n])
	for d, c := range in.dCust {
		if won(d) {
			deals[next[c]] = int32(d)
			next[c]++
		}
	}
	in.wonOff, in.wonDeals = off, deals
}

// wonOn is customer c's first won deal closed on day, -1 if none.
func (in *inputs) wonOn(c, day int32) int32 {
	if int(c)+1 >= len(in.wonOff) { // a customer no deal names
		return -1
	}
	for _, d := range in.wonDeals[in.wonOff[c]:in.wonOff[c+1]] {
		if in.dClosed[d] == day {
			return d
		}
	}
	return -1
}

// dropPrimaryRules frees the primary partner's tie-breaks once every
// deal_partners row is in.
func (in *inputs) dropPrimaryRules() {
	in.primaryRule, in.primaryFile, in.primaryRow, in.files, in.fileNames = nil, nil, nil, nil, nil
}

// The rules that choose a deal's primary partner, best first.
const (
	ruleSourced = iota
	ruleFirstRow
	ruleUnchosen
)

// fileRank orders deal_partners source files by name.
func (in *inputs) fileRank(name string) int16 {
	if f, ok := in.files[name]; ok {
		return f
	}
	f := int16(len(in.fileNames))
	name = strings.Clone(name)
	in.files[name] = f
	in.fileNames = append(in.fileNames, name)
	return f
}

// loadDealPartners picks each deal's primary partner: the partner with role
// sourced (the first listed if several), else the first listed partner
// (lowest source_file, source_row). Outcomes are attributed to it.
func (in *inputs) loadDealPartners(rec arrow.Record) error {
	v := schema.NewView(schema.DealPartners, rec)
	did, pid, role := v.Str(schema.DealID), v.Str(schema.PartnerID), v.Str(schema.Role)
	file, row := v.Str(schema.SourceFile), v.Int(schema.SourceRow)
	if err := v.Err(); err != nil {
		return err
	}
	in.dpRows += v.Rows()
	last := int32(-1)
	for i := range v.Rows() {
		d, ok := in.dealIndex.LookupNear(did.Value(i), last)
		if !ok {
			continue // the contract's foreign key makes this impossible after ingest
		}
		last = d
		p, ok := in.pIndex[pid.Value(i)]
		if !ok {
			continue
		}
		rule := int8(ruleFirstRow)
		if schema.DealRoles.At(role, i) == schema.RoleSourced {
			rule = ruleSourced
		}
		f, r := in.fileRank(file.Value(i)), row.Value(i)
		if r < 0 || r > math.MaxUint32 {
			return fmt.Errorf("a row of %s has source_row %d, outside the 0..%d scoring orders a file's rows by; fix: split the export into files of fewer rows", file.Value(i), r, uint32(math.MaxUint32))
		}
		cur := in.primaryRule[d]
		better := rule < cur
		if rule == cur {
			cf := in.fileNames[in.primaryFile[d]]
			nf := in.fileNames[f]
			better = nf < cf || (nf == cf && uint32(r) < in.primaryRow[d])
		}
		if better {
			in.dPrimary[d], in.primaryRule[d], in.primaryFile[d], in.primaryRow[d] = p, rule, f, uint32(r)
		}
	}
	return nil
}

func (in *inputs) loadCSAT(rec arrow.Record) error {
	v := schema.NewView(schema.CSAT, rec)
	pid, did, day, score := v.Str(schema.PartnerID), v.Str(schema.DealID), v.Date(schema.RespondedDate), v.Int(schema.Score)
	if err := v.Err(); err != nil {
		return err
	}
	in.csatRows += v.Rows()
	for i := range v.Rows() {
		p, ok := in.pIndex[pid.Value(i)]
		if !ok {
			continue
		}
		d := int32(-1)
		if !did.IsNull(i) {
			if k, ok := in.dealIndex.Lookup(did.Value(i)); ok {
				d = k
			}
		}
		in.sPartner = append(in.sPartner, p)
		in.sDeal = append(in.sDeal, d)
		in.sResponded = append(in.sResponded, int32(day.Value(i)))
		in.sScore = append(in.sScore, float64(score.Value(i)))
	}
	return nil
}

// loadChurn reads the contracts and links each to the won deal that opened
// it (same customer, closed on the contract start), for its case mix.
func (in *inputs) loadChurn(rec arrow.Record) error {
	v := schema.NewView(schema.Churn, rec)
	cust, pid, start, churn := v.Str(schema.CustomerID), v.Str(schema.PartnerID), v.Date(schema.ContractStart), v.Date(schema.ChurnDate)
	if err := v.Err(); err != nil {
		return err
	}
	in.churnRows += v.Rows()
	if in.wonOff == nil {
		in.wonByCustomer()
	}
	for i := range v.Rows() {
		p := int32(-1)
		if !pid.IsNull(i) {
			k, ok := in.pIndex[pid.Value(i)]
			if !ok {
				continue
			}
			p = k
		}
		s := int32(start.Value(i))
		cu := in.customer(cust.Value(i))
		in.hPartner = append(in.hPartner, p)
		in.hDeal = append(in.hDeal, in.wonOn(cu, s))
		in.hStart = append(in.hStart, s)
		in.hChurn = append(in.hChurn, schema.DateAt(churn, i))
		in.hCustomer = append(in.hCustomer, cu)
	}
	return nil
}
