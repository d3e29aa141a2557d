package arrowtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// Synthetic builds large inputs straight into Arrow for benchmarks:
// partners partners joined over six years, deals deals over the last eight
// quarters before asOf (30% direct, 15% with a second partner, 5% with a
// third), and monthly cost rows in five categories. Tables are returned
// in batches of 1<<20 rows, as a warehouse read would; release them all.
func Synthetic(alloc memory.Allocator, partners, deals int, asOf schema.Day) map[string][]arrow.Record {
	s := &synth{r: rand.New(rand.NewPCG(7, 11)), alloc: alloc, asOf: int32(asOf), out: map[string][]arrow.Record{}}
	joined := s.partners(partners)
	s.deals(partners, deals)
	s.costs(joined)
	return s.out
}

// synth fills the synthetic tables.
type synth struct {
	r     *rand.Rand
	alloc memory.Allocator
	asOf  int32
	out   map[string][]arrow.Record
}

// synthBatch is the rows per record of a synthetic table.
const synthBatch = 1 << 20

// synthTable is one table being built.
type synthTable struct {
	s    *synth
	name string
	b    *array.RecordBuilder
	n    int
	cols map[string]int
}

func (s *synth) table(name string) *synthTable {
	sc := schema.Get(name).StoredArrow()
	cols := map[string]int{}
	for i, f := range sc.Fields() {
		cols[f.Name] = i
	}
	return &synthTable{s: s, name: name, b: array.NewRecordBuilder(s.alloc, sc), cols: cols}
}

func (t *synthTable) flush(force bool) {
	if t.n == 0 || (!force && t.n < synthBatch) {
		return
	}
	t.s.out[t.name] = append(t.s.out[t.name], t.b.NewRecord())
	t.n = 0
}

func (t *synthTable) end() {
	t.flush(true)
	t.b.Release()
}

// row appends one row: vals set their columns, lineage columns get
// placeholders, every other column is null.
func (t *synthTable) row(vals map[string]func(array.Builder)) {
	for name, i := range t.cols {
		fb := t.b.Field(i)
		if f, ok := vals[name]; ok {
			f(fb)
			continue
		}
		switch name {
		case schema.AsOfDate:
			fb.(*array.Date32Builder).Append(arrow.Date32(t.s.asOf))
		case schema.RunID, schema.SourceFile:
			fb.(*array.StringBuilder).Append("bench")
		case schema.SourceRow:
			fb.(*array.Int64Builder).Append(int64(t.n))
		case schema.SourceLines:
			fb.(*array.Int64Builder).Append(1)
		default:
			fb.AppendNull()
		}
	}
	t.n++
	t.flush(false)
}

func str(s string) func(array.Builder) {
	return func(b array.Builder) { b.(*array.StringBuilder).Append(s) }
}

func date(d int32) func(array.Builder) {
	return func(b array.Builder) { b.(*array.Date32Builder).Append(arrow.Date32(d)) }
}

func cents(c int64) func(array.Builder) {
	return func(b array.Builder) { b.(*array.Decimal128Builder).Append(decimal128.FromI64(c)) }
}

func boolean(v bool) func(array.Builder) {
	return func(b array.Builder) { b.(*array.BooleanBuilder).Append(v) }
}

func (s *synth) partners(n int) []int32 {
	p := s.table(schema.Partners)
	joined := make([]int32, n)
	for i := range n {
		joined[i] = s.asOf - int32(s.r.IntN(6*365))
		p.row(map[string]func(array.Builder){
			schema.PartnerID: str(fmt.Sprintf("P%06d", i)), schema.PartnerName: str("x"), schema.JoinedDate: date(joined[i]),
			schema.ProgramTier: str(schema.ProgramTiers[s.r.IntN(4)]), schema.Vertical: str("v" + strconv.Itoa(s.r.IntN(6))),
			schema.Capability: str(schema.Capabilities[s.r.IntN(3)]),
		})
	}
	p.end()
	return joined
}

func (s *synth) deals(partners, n int) {
	r := s.r
	start := s.asOf - 730
	d, x := s.table(schema.Deals), s.table(schema.DealPartners)
	pick := func() int { return int(math.Min(float64(partners-1), float64(partners)*math.Pow(r.Float64(), 2.5))) }
	for i := range n {
		id := fmt.Sprintf("D%09d", i)
		created := start + int32(r.IntN(730))
		status, closed := schema.StatusOpen, int32(0)
		if c := created + int32(20+r.IntN(150)); c <= s.asOf {
			closed = c
			status = schema.StatusLost
			if r.Float64() < 0.35 {
				status = schema.StatusWon
			}
		}
		vals := map[string]func(array.Builder){
			schema.DealID: str(id), schema.CustomerID: str("C"), schema.CreatedDate: date(created), schema.Status: str(status.String()),
			schema.AmountUSD: cents(int64(100000 + r.IntN(20000000))), schema.AEInvited: boolean(r.Float64() < 0.2),
			schema.ViaMarketplace: boolean(r.Float64() < 0.05), schema.RegisteredDate: date(created + 2),
		}
		if closed != 0 {
			vals[schema.ClosedDate] = date(closed)
		}
		d.row(vals)
		if r.Float64() < 0.3 {
			continue
		}
		k := 1
		if u := r.Float64(); u < 0.05 {
			k = 3
		} else if u < 0.2 {
			k = 2
		}
		for j := range k {
			role := schema.RoleSourced
			if j > 0 {
				role = schema.DealRole(1 + r.IntN(3))
			}
			x.row(map[string]func(array.Builder){schema.DealID: str(id), schema.PartnerID: str(fmt.Sprintf("P%06d", (pick()+j)%partners)), schema.Role: str(role.String())})
		}
	}
	d.end()
	x.end()
}

func (s *synth) costs(joined []int32) {
	c := s.table(schema.CostToServe)
	for i, j := range joined {
		for m := 0; m < 24; m++ {
			month := schema.DayOf(schema.Day(s.asOf).Time().AddDate(0, -m, 1-schema.Day(s.asOf).Time().Day()))
			if int32(month) < j {
				break
			}
			for cat := range schema.CostCategory(5) {
				c.row(map[string]func(array.Builder){schema.PartnerID: str(fmt.Sprintf("P%06d", i)), schema.PeriodStart: date(int32(month)),
					schema.Category: str(cat.String()), schema.AmountUSD: cents(int64(10000 + s.r.IntN(500000)))})
			}
		}
	}
	c.end()
}
