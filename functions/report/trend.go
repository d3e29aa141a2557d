package report

import (
	"context"
	"math"
	"sort"

	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/transforms/schema"
)

// trendQuarters is how many quarters the trend shows, ending with the
// as-of quarter: two years, the board-pack convention.
const trendQuarters = 8

// readTrend reads the quarters up to the as-of date: the PQI median and
// quartiles and the share scored as each quarter's own scores published
// them (partner_quality at that quarter's end; none = NaN), and revenue
// and cost to serve per quarter from this quarter's segment_roi. When the
// previous quarter has scores, the PQI headlines compare with what it
// published, so a headline's change is the chart's last step.
func (l *loader) readTrend(ctx context.Context, d *board.Data) error {
	q := l.cfg.AsOf.Quarter()
	money := map[string][2]float64{}
	err := scan(ctx, l.w, schema.SegmentROI, l.cfg.AsOf, func(v *schema.View) error {
		quarter, won, cost := v.Str(schema.Quarter), v.Money(schema.WonRevenueUSD), v.Money(schema.CostTotalUSD)
		if v.Err() != nil {
			return nil
		}
		for i := 0; i < v.Rows(); i++ {
			m := money[quarter.Value(i)]
			wc, _ := schema.CentsAt(won, i)
			m[0] += dollars(wc, true)
			if cc, ok := schema.CentsAt(cost, i); ok {
				m[1] += dollars(cc, true)
			} else {
				m[1] = math.NaN()
			}
			money[quarter.Value(i)] = m
		}
		return nil
	})
	if err != nil {
		return err
	}
	for back := trendQuarters - 1; back >= 0; back-- {
		qq := q - int32(back)
		label := schema.QuarterLabel(qq)
		p := board.TrendPoint{Quarter: label, Median: math.NaN(), Lower: math.NaN(), Upper: math.NaN(), Scored: math.NaN(),
			Revenue: math.NaN(), Cost: math.NaN()}
		if m, ok := money[label]; ok {
			p.Revenue, p.Cost = m[0], m[1]
		}
		if err := l.trendScores(ctx, schema.QuarterFirstDay(qq+1)-1, &p); err != nil {
			return err
		}
		d.Trend = append(d.Trend, p)
	}
	if prev := d.Trend[len(d.Trend)-2]; !math.IsNaN(prev.Median) {
		for i := range d.Headlines {
			switch h := &d.Headlines[i]; h.Name {
			case headlinePQI:
				h.Prev = prev.Median
			case headlineScored:
				h.Prev = prev.Scored
			}
		}
	}
	return nil
}

// trendScores fills p's PQI figures from partner_quality at day, when the
// warehouse has scores for it.
func (l *loader) trendScores(ctx context.Context, day int32, p *board.TrendPoint) error {
	var pqi []float64
	partners := 0
	err := scan(ctx, l.w, schema.PartnerQuality, schema.Day(day), func(v *schema.View) error {
		ev, score := v.Str(schema.EvidenceStatus), v.Float(schema.PQI)
		if v.Err() != nil {
			return nil
		}
		partners += v.Rows()
		for i := 0; i < v.Rows(); i++ {
			if ev.Value(i) == schema.EvidenceScored.String() && !score.IsNull(i) {
				pqi = append(pqi, score.Value(i))
			}
		}
		return nil
	})
	if err != nil || partners == 0 {
		return err
	}
	l.inputs = append(l.inputs, Input{Table: schema.PartnerQuality + "@" + schema.Day(day).String(), Rows: partners})
	sort.Float64s(pqi)
	p.Scored = float64(len(pqi)) / float64(partners)
	p.Median, p.Lower, p.Upper = median(pqi), quantile(pqi, 0.25), quantile(pqi, 0.75)
	return nil
}

// quantile of sorted v at f (linear between order statistics), NaN when
// empty.
func quantile(sorted []float64, f float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	at := f * float64(len(sorted)-1)
	i := int(at)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (at-float64(i))*(sorted[i+1]-sorted[i])
}
