package schema

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Markdown renders every table as the reference page docs/contract.md, so
// the documentation is generated from the one definition and cannot drift.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# Data contract (generated)\n\n")
	b.WriteString("Generated from `transforms/schema` by `go test ./transforms/schema -update`; do not edit by hand.\n")
	b.WriteString("Empty cells are null. Dates are `YYYY-MM-DD`; money is USD with up to 2 decimals\n")
	b.WriteString("(more digits are rounded half away from zero); booleans accept true/false, 1/0, yes/no;\n")
	b.WriteString("enum values are matched ignoring case and surrounding spaces.\n")
	b.WriteString("No input date may be after the as-of date (a row with one is quarantined, reason\n")
	b.WriteString("future_date) except churn.churn_date, where a later date is a notified churn.\n")
	b.WriteString("A past quarter rebuilt point in time from later exports (`pqi run --quarters`) counts a row\n")
	b.WriteString("dated after its as-of date as not yet known, not quarantined, and undoes the events dated\n")
	b.WriteString("after it; each input table says which dates decide (dates after the exports' own as-of\n")
	b.WriteString("date are still future_date).\n")
	for _, t := range All() {
		kind := "computed"
		if t.Input {
			kind = "input"
		}
		fmt.Fprintf(&b, "\n## %s (%s)\n\n%s\n\n", t.Name, kind, t.Desc)
		if len(t.Key) > 0 {
			fmt.Fprintf(&b, "Key: (%s) — a row repeating a loaded key is quarantined.\n\n", strings.Join(t.Key, ", "))
		}
		b.WriteString("| column | type | null | rules | description |\n|---|---|---|---|---|\n")
		for _, c := range t.Stored() {
			null := "yes"
			if c.Required {
				null = "no"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", c.Name, c.Kind, null, rules(c), c.Desc)
		}
		if t.Input {
			b.WriteString(pointInTime(t))
		}
		if len(t.Checks) > 0 {
			b.WriteString("\nA row is quarantined when:\n\n")
			for _, ch := range t.Checks {
				fmt.Fprintf(&b, "- %s (fix: %s)\n", ch.Rule, ch.Fix)
			}
		}
	}
	return b.String()
}

// pointInTime says how a load point in time rebuilds the table's rows.
func pointInTime(t Table) string {
	var b strings.Builder
	b.WriteString("\nPoint in time: ")
	if t.Known != "" {
		fmt.Fprintf(&b, "a row whose %s is after the as-of date is not yet known", t.Known)
	} else {
		b.WriteString("a row is not yet known when a row it refers to is not")
	}
	for _, u := range t.Undo {
		var what []string
		for _, c := range u.Clear {
			what = append(what, c+" empty")
		}
		for _, c := range slices.Sorted(maps.Keys(u.Set)) {
			what = append(what, c+" "+u.Set[c])
		}
		fmt.Fprintf(&b, "; a %s after it had not happened yet (%s)", u.Date, strings.Join(what, ", "))
	}
	b.WriteString(".\n")
	return b.String()
}

func rules(c Column) string {
	var r []string
	if len(c.Enum) > 0 {
		r = append(r, "one of `"+strings.Join(c.Enum, "`, `")+"`")
	}
	switch {
	case c.Min != nil && c.Max != nil:
		r = append(r, fmt.Sprintf("%g..%g", *c.Min, *c.Max))
	case c.Min != nil:
		r = append(r, fmt.Sprintf(">= %g", *c.Min))
	case c.Max != nil:
		r = append(r, fmt.Sprintf("<= %g", *c.Max))
	}
	if c.Ref != nil {
		r = append(r, fmt.Sprintf("must exist in %s.%s", c.Ref.Table, c.Ref.Column))
	}
	return strings.Join(r, "; ")
}
