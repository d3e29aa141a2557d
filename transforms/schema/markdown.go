package schema

import (
	"fmt"
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
		if len(t.Checks) > 0 {
			b.WriteString("\nA row is quarantined when:\n\n")
			for _, ch := range t.Checks {
				fmt.Fprintf(&b, "- %s (fix: %s)\n", ch.Rule, ch.Fix)
			}
		}
	}
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
