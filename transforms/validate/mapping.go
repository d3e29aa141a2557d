package validate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// Mapping says how one real export feeds one contract table. The zero
// Mapping means the export already uses the contract's names and formats.
// It is read from a YAML file (see docs/mapping.md and testdata/crm).
type Mapping struct {
	// Source is the contract table this mapping feeds.
	Source string `yaml:"source"`
	// Columns maps a contract column to the export column that feeds it.
	// Contract columns not listed are looked up by their own name,
	// case-insensitively.
	Columns map[string]string `yaml:"columns"`
	// DateLayout is the export's date layout in Go's reference-date form
	// (e.g. "1/2/2006" for US month/day/year, "02.01.2006" for German dates).
	// ISO dates (2006-01-02) are always accepted as well.
	DateLayout string `yaml:"date_layout"`
	// Values maps a contract column to export value -> contract value
	// aliases, e.g. status: {"Closed Won": won}. Matching ignores case and
	// surrounding spaces. Aliases work on any column (e.g. name clean-ups).
	Values map[string]map[string]string `yaml:"values"`
	// Defaults gives a constant for contract columns the export lacks.
	Defaults map[string]string `yaml:"defaults"`
	// ThousandsSeparator is stripped from money and integer cells
	// (e.g. "," turns "1,250.00" into "1250.00").
	ThousandsSeparator string `yaml:"thousands_separator"`
	// DecimalSeparator replaces "." in money cells (e.g. "," for "1250,00").
	DecimalSeparator string `yaml:"decimal_separator"`
	// CurrencySymbols are stripped from money cells (e.g. ["$", "USD"]).
	CurrencySymbols []string `yaml:"currency_symbols"`
}

// Check reports the first thing wrong with the mapping for its table: an
// unknown contract column, an alias for a column that cannot take one, a
// default that does not parse. name is used in messages (the mapping file).
func (m Mapping) Check(t schema.Table, name string) error {
	if m.Source != "" && m.Source != t.Name {
		return fmt.Errorf("%s: source is %q but the file maps %q; fix: name the file after its source (%s.yaml)", name, m.Source, t.Name, m.Source)
	}
	for _, col := range sortedKeys(m.Columns) {
		if _, ok := t.Column(col); !ok {
			return fmt.Errorf("%s: columns: %q is not a column of %s; fix: use one of %s", name, col, t.Name, strings.Join(t.Names(), ", "))
		}
		if strings.TrimSpace(m.Columns[col]) == "" {
			return fmt.Errorf("%s: columns: %s maps to an empty export column name", name, col)
		}
	}
	for _, col := range sortedKeys(m.Values) {
		if _, ok := t.Column(col); !ok {
			return fmt.Errorf("%s: values: %q is not a column of %s", name, col, t.Name)
		}
	}
	for _, col := range sortedKeys(m.Defaults) {
		if _, ok := t.Column(col); !ok {
			return fmt.Errorf("%s: defaults: %q is not a column of %s", name, col, t.Name)
		}
	}
	if m.DateLayout != "" {
		probe := time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)
		back, err := time.Parse(m.DateLayout, probe.Format(m.DateLayout))
		if err != nil || !back.Equal(probe) {
			return fmt.Errorf("%s: date_layout %q is not a Go reference-date layout; fix: write the date 2 January 2006 the way the export does, e.g. 1/2/2006", name, m.DateLayout)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
