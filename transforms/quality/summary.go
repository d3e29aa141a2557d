package quality

import (
	"fmt"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

// ComponentLine is what one component measured over the ecosystem in the
// scored window.
type ComponentLine struct {
	Component  schema.Component
	Status     schema.ComponentStatus // measured, or why not (no_export, no_column, no_rows)
	Why        string                 // why not, in words
	Configured float64                // weight as configured
	Weight     float64                // weight in force after re-weighting over measured components
	Partners   int                    // partners with rows of it
	Differ     int                    // of them, partners whose interval excludes their expectation
	Dropped    []string               // case-mix covariates dropped as leaking the outcome
	Source     string                 // the source it is computed from
	Column     string                 // the optional column it needs, "" = none
}

// components summarises every component of window r.
func (r *windowResult) components() []ComponentLine {
	out := make([]ComponentLine, schema.NumComponents)
	for c := range schema.Component(schema.NumComponents) {
		e := r.comp[c]
		l := ComponentLine{Component: c, Status: r.compStatus[c], Why: r.compWhy[c],
			Configured: r.configured[c], Weight: r.weights[c], Dropped: r.obs[c].dropped, Source: componentNeeds[c].source}
		if col := componentNeeds[c].column; col != filledNone {
			l.Column = filledNames[col]
		}
		if l.Status == schema.Measured {
			for p := range e.n {
				if e.n[p] == 0 {
					continue
				}
				l.Partners++
				if e.low[p] > e.exp[p] || e.high[p] < e.exp[p] {
					l.Differ++
				}
			}
		}
		out[c] = l
	}
	return out
}

// notes are the run's plain-words notes: what each missing source or
// column costs, which case-mix covariates were dropped, which components
// separate no partner from its expectation, and guardrails the data could
// not hold. They go to the log, the run record and the summary.
func notes(lines []ComponentLine, partial bool, partialWhy string, level float64) []string {
	var out []string
	done := map[string]bool{}
	for _, l := range lines {
		key := l.Status.String() + " " + l.Source
		if l.Status == schema.Measured || done[key] {
			continue
		}
		done[key] = true
		var same []ComponentLine
		for _, m := range lines {
			if m.Status == l.Status && m.Source == l.Source {
				same = append(same, m)
			}
		}
		out = append(out, fmt.Sprintf("%s: %s", missingWhy(same), missingCost(same, lines)))
	}
	for _, l := range lines {
		if len(l.Dropped) > 0 {
			what, verb := "covariate", "it (nearly) decides"
			if len(l.Dropped) > 1 {
				what, verb = "covariates", "each (nearly) decides"
			}
			out = append(out, fmt.Sprintf("%s: case-mix %s %s left out of the adjustment: %s the outcome by itself (e.g. amounts zeroed on lost deals), so adjusting for it would explain every partner's real difference away",
				schema.Words(l.Component.String()), what, schema.JoinAnd(l.Dropped), verb))
		}
		if l.Status == schema.Measured && l.Partners > 0 && l.Differ == 0 && l.Weight > 0 {
			out = append(out, fmt.Sprintf("%s: no partner differs from its case-mix expectation at %.0f%%", schema.Words(l.Component.String()), 100*level))
		}
	}
	if partial {
		out = append(out, "PQI is partial: "+partialWhy)
	}
	return out
}

// missingWhy says why the components same (one status, one source) are
// not measured.
func missingWhy(same []ComponentLine) string {
	if same[0].Status != schema.NoColumn {
		return same[0].Why
	}
	var cols []string
	for _, m := range same {
		cols = append(cols, m.Column)
	}
	verb := "is"
	if len(cols) > 1 || strings.Contains(cols[0], " and ") {
		verb = "are"
	}
	return fmt.Sprintf("%s %s empty in every row", schema.JoinAnd(cols), verb)
}

// missingCost says what not measuring same costs: each pillar they belong
// to is measured by what is left of it, or not at all.
func missingCost(same, lines []ComponentLine) string {
	pillars := map[schema.Pillar]bool{}
	var names []string
	for _, m := range same {
		pillars[componentPillar[m.Component]] = true
		names = append(names, m.Component.String())
	}
	var cost []string
	for k := range schema.Pillar(schema.NumPillars) {
		if !pillars[k] {
			continue
		}
		var rest []string
		for _, m := range lines {
			if componentPillar[m.Component] == k && m.Status == schema.Measured && m.Weight > 0 {
				rest = append(rest, m.Component.String())
			}
		}
		if len(rest) == 0 {
			cost = append(cost, fmt.Sprintf("%s is not measured", schema.Words(k.String())))
		} else {
			cost = append(cost, fmt.Sprintf("%s is measured by %s only", schema.Words(k.String()), schema.Words(schema.JoinAnd(rest))))
		}
	}
	return fmt.Sprintf("%s not measured; %s", schema.Words(schema.JoinAnd(names)), strings.Join(cost, "; "))
}
