package quality

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/partnerq/pqi/transforms/keys"
	"github.com/partnerq/pqi/transforms/schema"
)

// Tables are the raw warehouse tables of one as-of snapshot, as Arrow
// records in their stored schema (schema.Table.StoredArrow).
type Tables struct {
	Partners, Deals, DealPartners, CSAT, Churn []arrow.Record
}

// noDate marks a null date; noInt a null small integer.
const (
	noDate = math.MinInt32
	noInt  = -1
)

// inputs is the snapshot in typed columns. It copies what it needs from
// each record, so records can be released as soon as they are added.
type inputs struct {
	// partners
	pID                  []string
	pType                []string // "" = null
	pTier                []int8   // index in schema.ProgramTiers, noInt = null
	pJoined              []int32
	pCert, pTotal, pCase []int64 // noInt = null
	pIndex               map[string]int32

	// deals
	dCreated, dClosed            []int32 // noDate = null
	dStatus                      []int8  // index in schema.DealStatuses
	dLogAmt                      []float64
	dSeg, dMat, dScope           []int8 // enum index, noInt = null
	dProducts                    []int16
	dQual, dAE, dAttach, dMarket []int8 // 0/1, noInt = null
	dRegistered, dFirstValue     []int32
	dPrimary                     []int32     // primary partner index, -1 = direct
	dealIndex                    *keys.Index // deal_id -> deal position
	custIndex                    *keys.Index // customer_id -> customer number
	dMix                         []int16     // case-mix code (mixCodes), once all deals are in
	mixOnce                      sync.Once
	wonByContract                map[contractKey]int32
	primaryRule                  []int8 // rule that chose the primary (ruleSourced, ruleFirstRow, ruleUnchosen)
	primaryFile                  []int16
	primaryRow                   []int64
	files                        map[string]int16 // deal_partners source files, numbered in name order of first sight
	fileNames                    []string

	// csat
	sPartner   []int32
	sDeal      []int32 // -1 = none
	sResponded []int32
	sScore     []float64

	// churn
	hPartner       []int32 // -1 = direct
	hDeal          []int32 // the won deal that opened the contract, -1 = unknown
	hStart, hChurn []int32
	hCustomer      []int32
}

// Snapshot is the raw tables of one as-of date, read for scoring. Add the
// records of each table in schema.InputOrder (partners, deals,
// deal_partners, csat, churn); each record may be released once added.
type Snapshot struct {
	in   *inputs
	last int // position in snapshotOrder of the last table added
}

var snapshotOrder = []string{schema.Partners, schema.Deals, schema.DealPartners, schema.CSAT, schema.Churn}

// NewSnapshot starts an empty snapshot.
func NewSnapshot() *Snapshot {
	return &Snapshot{in: &inputs{
		pIndex: map[string]int32{}, dealIndex: keys.New(0), custIndex: keys.New(0),
		wonByContract: map[contractKey]int32{}, files: map[string]int16{},
	}}
}

// Add copies one record of a raw table into the snapshot.
func (s *Snapshot) Add(table string, rec arrow.Record) error {
	pos := -1
	for i, t := range snapshotOrder {
		if t == table {
			pos = i
		}
	}
	if pos < 0 {
		return nil // scoring does not read this table
	}
	if pos < s.last {
		return fmt.Errorf("table %s added after %s: add tables in the order %v", table, snapshotOrder[s.last], snapshotOrder)
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

// Reserve makes room for rows more rows of table, so that adding them
// grows (and copies) no column on the way. It is optional: a reader that
// knows its row count up front (warehouse.Sized) saves the copies.
func (s *Snapshot) Reserve(table string, rows int) {
	in := s.in
	switch table {
	case schema.Deals:
		in.dealIndex.Reserve(rows)
		for _, c := range []*[]int32{&in.dCreated, &in.dClosed, &in.dRegistered, &in.dFirstValue, &in.dPrimary} {
			*c = slices.Grow(*c, rows)
		}
		for _, c := range []*[]int8{&in.dStatus, &in.dSeg, &in.dMat, &in.dScope, &in.dQual, &in.dAE, &in.dAttach, &in.dMarket, &in.primaryRule} {
			*c = slices.Grow(*c, rows)
		}
		in.dLogAmt = slices.Grow(in.dLogAmt, rows)
		in.dProducts = slices.Grow(in.dProducts, rows)
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
	for i, recs := range [][]arrow.Record{t.Partners, t.Deals, t.DealPartners, t.CSAT, t.Churn} {
		for _, r := range recs {
			if err := s.Add(snapshotOrder[i], r); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

type contractKey struct {
	customer int32
	day      int32
}

// column finds a column of rec by name.
func column(rec arrow.Record, name string) (arrow.Array, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		return nil, fmt.Errorf("column %s is missing", name)
	}
	return rec.Column(idx[0]), nil
}

type cols struct {
	rec arrow.Record
	err error
}

func (c *cols) str(name string) *array.String {
	a := c.get(name)
	if a == nil {
		return nil
	}
	s, ok := a.(*array.String)
	if !ok && c.err == nil {
		c.err = fmt.Errorf("column %s is %s, not string", name, a.DataType())
	}
	return s
}

func (c *cols) date(name string) *array.Date32 {
	a := c.get(name)
	if a == nil {
		return nil
	}
	s, ok := a.(*array.Date32)
	if !ok && c.err == nil {
		c.err = fmt.Errorf("column %s is %s, not date32", name, a.DataType())
	}
	return s
}

func (c *cols) i64(name string) *array.Int64 {
	a := c.get(name)
	if a == nil {
		return nil
	}
	s, ok := a.(*array.Int64)
	if !ok && c.err == nil {
		c.err = fmt.Errorf("column %s is %s, not int64", name, a.DataType())
	}
	return s
}

func (c *cols) boolean(name string) *array.Boolean {
	a := c.get(name)
	if a == nil {
		return nil
	}
	s, ok := a.(*array.Boolean)
	if !ok && c.err == nil {
		c.err = fmt.Errorf("column %s is %s, not bool", name, a.DataType())
	}
	return s
}

func (c *cols) dec(name string) *array.Decimal128 {
	a := c.get(name)
	if a == nil {
		return nil
	}
	s, ok := a.(*array.Decimal128)
	if !ok && c.err == nil {
		c.err = fmt.Errorf("column %s is %s, not decimal128", name, a.DataType())
	}
	return s
}

func (c *cols) get(name string) arrow.Array {
	if c.err != nil {
		return nil
	}
	a, err := column(c.rec, name)
	if err != nil {
		c.err = err
		return nil
	}
	return a
}

func enumIndex(values []string, s string) int8 {
	for i, v := range values {
		if v == s {
			return int8(i)
		}
	}
	return noInt
}

func optDate(a *array.Date32, i int) int32 {
	if a.IsNull(i) {
		return noDate
	}
	return int32(a.Value(i))
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

func optEnum(a *array.String, values []string, i int) int8 {
	if a.IsNull(i) {
		return noInt
	}
	return enumIndex(values, a.Value(i))
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
	c := cols{rec: rec}
	id, typ, tier := c.str(schema.PartnerID), c.str(schema.PartnerType), c.str(schema.ProgramTier)
	joined := c.date(schema.JoinedDate)
	cert, total, cases := c.i64(schema.CertifiedStaff), c.i64(schema.TotalStaff), c.i64(schema.CaseStudies)
	if c.err != nil {
		return c.err
	}
	opt := func(a *array.Int64, i int) int64 {
		if a.IsNull(i) {
			return noInt
		}
		return a.Value(i)
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		pid := strings.Clone(id.Value(i))
		if _, dup := in.pIndex[pid]; dup {
			return fmt.Errorf("partner %s appears twice", pid)
		}
		in.pIndex[pid] = int32(len(in.pID))
		in.pID = append(in.pID, pid)
		t := ""
		if !typ.IsNull(i) {
			t = strings.Clone(typ.Value(i))
		}
		in.pType = append(in.pType, t)
		in.pTier = append(in.pTier, optEnum(tier, schema.ProgramTiers, i))
		in.pJoined = append(in.pJoined, int32(joined.Value(i)))
		in.pCert = append(in.pCert, opt(cert, i))
		in.pTotal = append(in.pTotal, opt(total, i))
		in.pCase = append(in.pCase, opt(cases, i))
	}
	return nil
}

func (in *inputs) loadDeals(rec arrow.Record) error {
	c := cols{rec: rec}
	id, cust, created, closed := c.str(schema.DealID), c.str(schema.CustomerID), c.date(schema.CreatedDate), c.date(schema.ClosedDate)
	status, amount, seg := c.str(schema.Status), c.dec(schema.AmountUSD), c.str(schema.Segment)
	prod, mat, scope := c.i64(schema.ProductCount), c.str(schema.CustomerMaturity), c.str(schema.DeliveryScope)
	qual, reg, ae, attach := c.boolean(schema.Qualified), c.date(schema.RegisteredDate), c.boolean(schema.AEInvited), c.boolean(schema.ServicesAttached)
	fv, market := c.date(schema.FirstValueDate), c.boolean(schema.ViaMarketplace)
	if c.err != nil {
		return c.err
	}
	n := int(rec.NumRows())
	in.dealIndex.Reserve(n)
	// The deal ids are indexed on another core while the columns are
	// copied on this one: a deal's position is its input row either way.
	base := int32(len(in.dCreated))
	indexed := make(chan error, 1)
	go func() {
		for i := 0; i < n; i++ {
			if k, added := in.dealIndex.Insert(id.Value(i)); !added || k != base+int32(i) {
				indexed <- fmt.Errorf("deal %s appears twice", id.Value(i))
				return
			}
		}
		indexed <- nil
	}()
	for i := 0; i < n; i++ {
		k := base + int32(i)
		in.dCreated = append(in.dCreated, int32(created.Value(i)))
		cl := optDate(closed, i)
		in.dClosed = append(in.dClosed, cl)
		st := optEnum(status, schema.DealStatuses, i)
		in.dStatus = append(in.dStatus, st)
		la := math.NaN()
		if !amount.IsNull(i) {
			la = math.Log1p(amount.Value(i).ToFloat64(schema.MoneyScale))
		}
		in.dLogAmt = append(in.dLogAmt, la)
		in.dSeg = append(in.dSeg, optEnum(seg, schema.Segments, i))
		in.dMat = append(in.dMat, optEnum(mat, schema.CustomerMaturites, i))
		in.dScope = append(in.dScope, optEnum(scope, schema.DeliveryScopes, i))
		var pc int16
		if !prod.IsNull(i) {
			pc = int16(min(prod.Value(i), 100))
		}
		in.dProducts = append(in.dProducts, pc)
		in.dQual = append(in.dQual, optBool(qual, i))
		in.dAE = append(in.dAE, optBool(ae, i))
		in.dAttach = append(in.dAttach, optBool(attach, i))
		in.dMarket = append(in.dMarket, optBool(market, i))
		in.dRegistered = append(in.dRegistered, optDate(reg, i))
		in.dFirstValue = append(in.dFirstValue, optDate(fv, i))
		in.dPrimary = append(in.dPrimary, -1)
		in.primaryRule = append(in.primaryRule, ruleUnchosen)
		in.primaryFile = append(in.primaryFile, 0)
		in.primaryRow = append(in.primaryRow, 0)
		if st == statusWon && cl != noDate {
			key := contractKey{in.customer(cust.Value(i)), cl}
			if _, ok := in.wonByContract[key]; !ok {
				in.wonByContract[key] = k
			}
		}
	}
	return <-indexed
}

// Positions in schema.DealStatuses and schema.DealRoles, and the rules that
// choose a deal's primary partner.
const (
	statusWon    = 1
	statusLost   = 2
	roleSourced  = 0
	ruleSourced  = 0
	ruleFirstRow = 1
	ruleUnchosen = 2
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
	c := cols{rec: rec}
	did, pid, role := c.str(schema.DealID), c.str(schema.PartnerID), c.str(schema.Role)
	file, row := c.str(schema.SourceFile), c.i64(schema.SourceRow)
	if c.err != nil {
		return c.err
	}
	last := int32(-1)
	for i := 0; i < int(rec.NumRows()); i++ {
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
		if optEnum(role, schema.DealRoles, i) == roleSourced {
			rule = ruleSourced
		}
		f, r := in.fileRank(file.Value(i)), row.Value(i)
		cur := in.primaryRule[d]
		better := rule < cur
		if rule == cur {
			cf := in.fileNames[in.primaryFile[d]]
			nf := in.fileNames[f]
			better = nf < cf || (nf == cf && r < in.primaryRow[d])
		}
		if better {
			in.dPrimary[d], in.primaryRule[d], in.primaryFile[d], in.primaryRow[d] = p, rule, f, r
		}
	}
	return nil
}

func (in *inputs) loadCSAT(rec arrow.Record) error {
	c := cols{rec: rec}
	pid, did, day, score := c.str(schema.PartnerID), c.str(schema.DealID), c.date(schema.RespondedDate), c.i64(schema.Score)
	if c.err != nil {
		return c.err
	}
	for i := 0; i < int(rec.NumRows()); i++ {
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
	c := cols{rec: rec}
	cust, pid, start, churn := c.str(schema.CustomerID), c.str(schema.PartnerID), c.date(schema.ContractStart), c.date(schema.ChurnDate)
	if c.err != nil {
		return c.err
	}
	for i := 0; i < int(rec.NumRows()); i++ {
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
		d := int32(-1)
		if k, ok := in.wonByContract[contractKey{cu, s}]; ok {
			d = k
		}
		in.hPartner = append(in.hPartner, p)
		in.hDeal = append(in.hDeal, d)
		in.hStart = append(in.hStart, s)
		in.hChurn = append(in.hChurn, optDate(churn, i))
		in.hCustomer = append(in.hCustomer, cu)
	}
	return nil
}
