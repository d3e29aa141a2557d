package quality

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// Applicant is one application scored against the intake rubric.
type Applicant struct {
	ID, Name, Assessor string
	Assessed           schema.Day
	Result             IntakeResult
	Unknown            []string // criteria the rubric does not have, sorted
}

// Qualify scores every application in recs (rows of schema.Applications,
// one per application and criterion; an application is an applicant_id
// and an assessed_date) against rubric r, and returns the qualification
// table and the applications in its order: by assessed_date, then
// applicant_id. A criterion with a null score is not scored; a criterion
// the rubric lacks is listed, not counted.
func Qualify(alloc memory.Allocator, recs []arrow.Record, r Rubric, asOf schema.Day, runID string) (arrow.Record, []Applicant, error) {
	type key struct {
		id  string
		day int32
	}
	apps := map[key]*Applicant{}
	scores := map[key]map[string]int{}
	for _, rec := range recs {
		v := schema.NewView(schema.Applications, rec)
		id, name, day, who := v.Str(schema.ApplicantID), v.Str(schema.ApplicantName), v.Date(schema.AssessedDate), v.Str(schema.Assessor)
		crit, score := v.Str(schema.Criterion), v.Int(schema.Score)
		if err := v.Err(); err != nil {
			return nil, nil, fmt.Errorf("qualification: %w", err)
		}
		for i := 0; i < v.Rows(); i++ {
			k := key{id.Value(i), int32(day.Value(i))}
			a := apps[k]
			if a == nil {
				a = &Applicant{ID: strings.Clone(k.id), Assessed: schema.Day(k.day)}
				apps[k], scores[k] = a, map[string]int{}
			}
			if a.Name == "" && name.IsValid(i) {
				a.Name = strings.Clone(name.Value(i))
			}
			if a.Assessor == "" && who.IsValid(i) {
				a.Assessor = strings.Clone(who.Value(i))
			}
			c := crit.Value(i)
			switch {
			case !r.has(c):
				if !slices.Contains(a.Unknown, c) {
					a.Unknown = append(a.Unknown, strings.Clone(c))
				}
			case score.IsValid(i):
				scores[k][strings.Clone(c)] = int(score.Value(i))
			}
		}
	}
	out := make([]Applicant, 0, len(apps))
	for k, a := range apps {
		res, err := r.Score(scores[k])
		if err != nil {
			return nil, nil, fmt.Errorf("qualification of %s assessed %s: %w", a.ID, a.Assessed.String(), err)
		}
		a.Result = res
		slices.Sort(a.Unknown)
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Applicant) int {
		if a.Assessed != b.Assessed {
			return int(a.Assessed) - int(b.Assessed)
		}
		return strings.Compare(a.ID, b.ID)
	})
	rec, err := buildRecord(alloc, schema.Get(schema.Qualification), len(out), map[string]colData{
		schema.AsOfDate:        {d: func(int) int32 { return int32(asOf) }},
		schema.RunID:           {s: func(int) string { return runID }},
		schema.ApplicantID:     {s: func(i int) string { return out[i].ID }},
		schema.ApplicantName:   {s: func(i int) string { return out[i].Name }},
		schema.AssessedDate:    {d: func(i int) int32 { return int32(out[i].Assessed) }},
		schema.Assessor:        {s: func(i int) string { return out[i].Assessor }},
		schema.Total:           {i: func(i int) int64 { return int64(out[i].Result.Total) }},
		schema.Maximum:         {i: func(i int) int64 { return int64(out[i].Result.Max) }},
		schema.Band:            {s: func(i int) string { return out[i].Result.Band.String() }},
		schema.CriteriaPoints:  {s: func(i int) string { return r.PointsText(out[i].Result) }},
		schema.MissingCriteria: {s: func(i int) string { return strings.Join(out[i].Result.Missing, ", ") }},
		schema.UnknownCriteria: {s: func(i int) string { return strings.Join(out[i].Unknown, ", ") }},
	})
	if err != nil {
		return nil, nil, err
	}
	return rec, out, nil
}

// PointsText writes an application's points per criterion in rubric
// order: "market_alignment 3x3=9; portfolio_fit not scored".
func (r Rubric) PointsText(res IntakeResult) string {
	parts := make([]string, len(r.Criteria))
	for i, c := range r.Criteria {
		if p := res.Points[i]; p >= 0 {
			parts[i] = fmt.Sprintf("%s %dx%d=%d", c.Name, p/c.Weight, c.Weight, p)
		} else {
			parts[i] = c.Name + " not scored"
		}
	}
	return strings.Join(parts, "; ")
}
