package validate

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/partnerq/pqi/transforms/schema"
)

// Mapping says how one real export feeds one contract table. The zero
// Mapping means the export already uses the contract's names and formats.
// It is read from a YAML file (see docs/mapping.md and testdata/crm).
type Mapping struct {
	// Source is the contract table this mapping feeds.
	Source string `yaml:"source"`
	// File names the export file(s) the mapping reads: a name or a glob
	// (path.Match: "opportunities*.csv", "exports/*.parquet") in the
	// exports directory. One export may feed several sources, each through
	// its own mapping. Empty: the source's own files (<source>.csv, ...).
	File string `yaml:"file"`
	// BigQuery reads the source from a table or a query in BigQuery (e.g.
	// the opportunity table a CRM connector keeps in sync) instead of
	// export files; the other keys apply to its columns the same way.
	BigQuery *BigQuerySource `yaml:"bigquery"`
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
	// Defaults gives a constant for a contract column, used when the export
	// lacks the column and for every empty cell of it.
	Defaults map[string]string `yaml:"defaults"`
	// Lookups fill a contract column from a second file: the row's value in
	// export column From is looked up in file File's column Key, and that
	// row's column Value is the cell (e.g. a list price by product). The
	// lookup applies where the export has no value of its own.
	Lookups map[string]Lookup `yaml:"lookups"`
	// Grain declares that several export rows (order lines) make one
	// contract row: rows with the same Key (contract columns) are merged,
	// each contract column aggregated as Aggregate says (sum, min, max,
	// first or any; default first). The line count is kept in source_lines.
	Grain *Grain `yaml:"grain"`
	// ThousandsSeparator is stripped from money and integer cells
	// (e.g. "," turns "1,250.00" into "1250.00").
	ThousandsSeparator string `yaml:"thousands_separator"`
	// DecimalSeparator replaces "." in money cells (e.g. "," for "1250,00").
	DecimalSeparator string `yaml:"decimal_separator"`
	// CurrencySymbols are stripped from money cells (e.g. ["$", "USD"]).
	CurrencySymbols []string `yaml:"currency_symbols"`
	// Delimiter separates the cells of a CSV export: one character,
	// default ",". E.g. ";" for a spreadsheet saved with a European locale,
	// "\t" for a tab-separated file.
	Delimiter string `yaml:"delimiter"`
}

// ExportColumns lists the export columns a validator of t reads with m:
// each contract column's own or mapped name, and the columns lookups read
// from.
func (m Mapping) ExportColumns(t schema.Table) []string {
	out := make([]string, 0, len(t.Columns)+len(m.Lookups))
	for _, c := range t.Columns {
		name := c.Name
		if e, ok := m.Columns[c.Name]; ok {
			name = e
		}
		out = append(out, name)
	}
	for _, col := range slices.Sorted(maps.Keys(m.Lookups)) {
		out = append(out, m.Lookups[col].From)
	}
	return out
}

// BigQuerySource is Mapping.BigQuery: exactly one of Table and Query.
type BigQuerySource struct {
	// Table is PROJECT.DATASET.TABLE.
	Table string `yaml:"table"`
	// Query is a GoogleSQL query whose result is the export.
	Query string `yaml:"query"`
	// Project runs the query job and is billed for it; default the
	// table's project. Required with Query.
	Project string `yaml:"project"`
	// Location is where the data lives (US, EU, europe-west3, ...);
	// default BigQuery's.
	Location string `yaml:"location"`
}

var (
	// bigQueryProject is a project ID, or a domain-scoped one
	// (example.com:project).
	bigQueryProject = regexp.MustCompile(`^([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	bigQueryTable   = regexp.MustCompile("^(.+)\\.([A-Za-z_][A-Za-z0-9_]*)\\.([^.`\\s]+)$")
)

// TableProject splits Table into its project, dataset and table; ok is
// false when it is not PROJECT.DATASET.TABLE.
func (b BigQuerySource) TableProject() (project, dataset, table string, ok bool) {
	m := bigQueryTable.FindStringSubmatch(b.Table)
	if m == nil || !bigQueryProject.MatchString(m[1]) {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// JobProject is the project the source's query job runs in.
func (b BigQuerySource) JobProject() string {
	if b.Project != "" {
		return b.Project
	}
	p, _, _, _ := b.TableProject()
	return p
}

func (b *BigQuerySource) check(m Mapping, name string) error {
	if b == nil {
		return nil
	}
	switch {
	case m.File != "":
		return fmt.Errorf("%s: bigquery and file are both set; fix: read the source from BigQuery or from export files, not both", name)
	case m.Delimiter != "":
		return fmt.Errorf("%s: delimiter applies to CSV exports, not to a BigQuery source; fix: remove it", name)
	case (b.Table == "") == (strings.TrimSpace(b.Query) == ""):
		return fmt.Errorf("%s: bigquery needs exactly one of table and query; fix: e.g. bigquery: {table: my-project.crm.opportunity}", name)
	case b.Project != "" && !bigQueryProject.MatchString(b.Project):
		return fmt.Errorf("%s: bigquery: project %q is not a Google Cloud project ID; fix: the ID (lower case, 6-30 characters), not the project's name", name, b.Project)
	case b.Query != "" && b.Project == "":
		return fmt.Errorf("%s: bigquery: a query needs project, the project its job runs in and is billed to; fix: add project: my-project", name)
	}
	if _, _, _, ok := b.TableProject(); b.Table != "" && !ok {
		return fmt.Errorf("%s: bigquery: table %q is not PROJECT.DATASET.TABLE; fix: e.g. table: my-project.crm.opportunity", name, b.Table)
	}
	return nil
}

// Lookup is one lookup of Mapping.Lookups.
type Lookup struct {
	File  string `yaml:"file"`  // the file holding the values, in the exports directory
	Key   string `yaml:"key"`   // its column of keys
	Value string `yaml:"value"` // its column of values
	From  string `yaml:"from"`  // the export column whose value is looked up
	// Aliases correct export values before the lookup (matched ignoring
	// case and surrounding spaces), e.g. a product spelled two ways.
	Aliases map[string]string `yaml:"aliases"`
}

// Grain is Mapping.Grain.
type Grain struct {
	Key       Columns           `yaml:"key"`       // contract columns that identify one contract row
	Aggregate map[string]string `yaml:"aggregate"` // contract column -> sum, min, max, first or any
}

// Columns is one or several contract column names: a YAML string or list.
type Columns []string

// UnmarshalYAML reads a single name or a list of names.
func (c *Columns) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = Columns{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*c = list
	return nil
}

// Aggregations a grain may use.
const (
	AggSum   = "sum"   // money and counts: the total
	AggMin   = "min"   // the smallest value (the earliest date)
	AggMax   = "max"   // the largest value (the latest date)
	AggFirst = "first" // the first row's value, empty or not
	AggAny   = "any"   // the first non-empty value
)

// Check reports the first thing wrong with the mapping for its table: an
// unknown contract column, an alias for a column that cannot take one, a
// default that does not parse. name is used in messages (the mapping file).
func (m Mapping) Check(t schema.Table, name string) error {
	if m.Source != "" && m.Source != t.Name {
		return fmt.Errorf("%s: source is %q but it is checked against %q (a bug in pqi)", name, m.Source, t.Name)
	}
	for _, col := range slices.Sorted(maps.Keys(m.Columns)) {
		if _, ok := t.Column(col); !ok {
			return fmt.Errorf("%s: columns: %q is not a column of %s; fix: use one of %s", name, col, t.Name, strings.Join(t.Names(), ", "))
		}
		if strings.TrimSpace(m.Columns[col]) == "" {
			return fmt.Errorf("%s: columns: %s maps to an empty export column name", name, col)
		}
	}
	for _, col := range slices.Sorted(maps.Keys(m.Values)) {
		if _, ok := t.Column(col); !ok {
			return fmt.Errorf("%s: values: %q is not a column of %s", name, col, t.Name)
		}
		for from := range m.Values[col] {
			if strings.TrimSpace(from) == "" {
				return fmt.Errorf("%s: values: %s: an alias for the empty cell (\"\") changes nothing; fix: fill empty cells with defaults: %s: <value>", name, col, col)
			}
		}
	}
	for _, col := range slices.Sorted(maps.Keys(m.Defaults)) {
		if _, ok := t.Column(col); !ok {
			return fmt.Errorf("%s: defaults: %q is not a column of %s", name, col, t.Name)
		}
	}
	for _, col := range slices.Sorted(maps.Keys(m.Lookups)) {
		l := m.Lookups[col]
		if _, ok := t.Column(col); !ok {
			return fmt.Errorf("%s: lookups: %q is not a column of %s", name, col, t.Name)
		}
		if l.File == "" || l.Key == "" || l.Value == "" || l.From == "" {
			return fmt.Errorf("%s: lookups: %s needs file, key, value and from; fix: e.g. {file: products.csv, key: product, value: list_price, from: Product}", name, col)
		}
	}
	if err := m.Grain.check(t, name); err != nil {
		return err
	}
	if d := []rune(m.Delimiter); len(d) > 1 || (len(d) == 1 && (d[0] == '"' || d[0] == '\r' || d[0] == '\n' || d[0] == utf8.RuneError)) {
		return fmt.Errorf("%s: delimiter %q is not one character other than a quote or line break; fix: e.g. delimiter: \";\"", name, m.Delimiter)
	}
	if err := m.BigQuery.check(m, name); err != nil {
		return err
	}
	if m.File != "" {
		if _, err := path.Match(m.File, "x"); err != nil {
			return fmt.Errorf("%s: file %q is not a valid glob: %v", name, m.File, err)
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

func (g *Grain) check(t schema.Table, name string) error {
	if g == nil {
		return nil
	}
	if len(g.Key) == 0 {
		return fmt.Errorf("%s: grain: key names no column; fix: the contract column(s) that identify one %s row, e.g. key: %s", name, t.Name, strings.Join(t.Key, ", "))
	}
	for _, k := range g.Key {
		if _, ok := t.Column(k); !ok {
			return fmt.Errorf("%s: grain: key %q is not a column of %s", name, k, t.Name)
		}
	}
	for _, col := range slices.Sorted(maps.Keys(g.Aggregate)) {
		c, ok := t.Column(col)
		if !ok {
			return fmt.Errorf("%s: grain: aggregate: %q is not a column of %s", name, col, t.Name)
		}
		switch agg := g.Aggregate[col]; agg {
		case AggFirst, AggAny:
		case AggSum:
			if c.Kind != schema.Money && c.Kind != schema.Int {
				return fmt.Errorf("%s: grain: %s is %s: sum adds money and counts only; fix: use first, any, min or max", name, col, c.Kind)
			}
		case AggMin, AggMax:
			if c.Kind != schema.Money && c.Kind != schema.Int && c.Kind != schema.Date {
				return fmt.Errorf("%s: grain: %s is %s: %s compares money, counts and dates only; fix: use first or any", name, col, c.Kind, agg)
			}
		default:
			return fmt.Errorf("%s: grain: %s: %q is not an aggregation; fix: use sum, min, max, first or any", name, col, agg)
		}
	}
	return nil
}
