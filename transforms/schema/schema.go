// Package schema is the domain model of pqi: every table of the data contract
// (docs/contract.md, generated from this package) is defined here once, with its columns, types,
// nullability, keys, rules and descriptions. The Arrow schemas, the column-name
// constants and the validation rules all derive from these definitions, so a
// column is never named or typed anywhere else. The package also holds the
// typed enumerations (enums.go), the quarter calendar (dates.go) and the
// typed column views and builders every transform reads and writes Arrow
// with (columns.go).
//
// The package imports nothing of ours; everything else imports it.
package schema

import (
	"fmt"
	"slices"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind is the logical type of a column.
type Kind uint8

const (
	String    Kind = iota // free text, UTF-8
	Enum                  // text restricted to Column.Enum
	Date                  // calendar date, YYYY-MM-DD
	Money                 // decimal USD amount, stored with MoneyScale digits after the point
	Int                   // 64-bit integer
	Bool                  // true/false
	Timestamp             // instant, microseconds, UTC
	Float                 // 64-bit float (computed outputs only)
)

// Decimal precision and scale for Money columns. 18 digits with 2 after the
// point covers amounts below 10^16 USD and maps to Parquet DECIMAL(18,2)
// stored as INT64, which DuckDB, Polars and BigQuery (NUMERIC) all read.
const (
	MoneyPrecision = 18
	MoneyScale     = 2
)

func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Enum:
		return "enum"
	case Date:
		return "date"
	case Money:
		return "decimal"
	case Int:
		return "int"
	case Bool:
		return "bool"
	case Timestamp:
		return "timestamp"
	case Float:
		return "float"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// ArrowType is the Arrow v17 type a column of this kind is stored as.
func (k Kind) ArrowType() arrow.DataType {
	switch k {
	case String, Enum:
		return arrow.BinaryTypes.String
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Money:
		return &arrow.Decimal128Type{Precision: MoneyPrecision, Scale: MoneyScale}
	case Int:
		return arrow.PrimitiveTypes.Int64
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case Float:
		return arrow.PrimitiveTypes.Float64
	}
	panic(fmt.Sprintf("schema: no arrow type for %v", k))
}

// Ref names the table and column a foreign key must exist in.
type Ref struct {
	Table  string
	Column string
}

// Column is one column of a contract table.
type Column struct {
	Name     string
	Kind     Kind
	Required bool     // false = nullable (an empty cell is null)
	Enum     []string // allowed values, for Kind == Enum
	Min, Max *float64 // inclusive bounds for numbers, nil = unbounded
	Ref      *Ref     // foreign key, checked when the value is not null
	Desc     string
	// Derive computes a derived column (Table.Derived, text kinds) from the
	// row as validated; false gives null.
	Derive func(r Row) (string, bool)
}

// Check is a rule that spans several columns of one row. Fn reports whether
// the row passes; it is only called when every column in Uses parsed.
type Check struct {
	Column string     // the column blamed when the rule fails
	Uses   []string   // columns the rule reads
	Code   ReasonCode // the quarantine reason code
	Rule   string     // the rule in plain words, used as the rejection reason
	Fix    string     // what the person fixing the export should do
	Fn     func(r Row) bool
}

// Row gives a Check typed access to one parsed row. Dates are days since
// 1970-01-01 (Arrow date32). The bool result is false when the value is null.
type Row interface {
	Str(col string) (string, bool)
	Int(col string) (int64, bool)
	Date(col string) (int32, bool)
	Money(col string) (int64, bool) // in units of 10^-MoneyScale
	Bool(col string) (bool, bool)
	AsOf() Day // the as-of date being loaded
}

// Table is one table of the contract.
type Table struct {
	Name    string
	Desc    string
	Columns []Column
	Key     []string // columns that together are unique; empty = no key
	Checks  []Check
	// Input marks the five source families (and deal_partners): tables loaded
	// from exports, as opposed to tables pqi computes.
	Input bool
	// Derived are columns of an input table that ingest computes rather
	// than reads from the export (stored last, after the lineage columns).
	Derived []Column
	// Known and Undo say what a row looked like at an earlier date, for a
	// load point in time (a past quarter rebuilt from today's exports): a
	// row whose Known date is after the as-of date did not exist yet (a
	// row referring to such a row neither), and each Undo whose date is
	// after it had not happened yet.
	Known string
	Undo  []Undo
}

// Undo is an event of a row that, after the as-of date of a load point in
// time, had not happened yet: the columns in Clear were empty then and
// those in Set held their value (a deal closed later was open).
type Undo struct {
	Date  string
	Clear []string
	Set   map[string]string
}

// Column returns the named column and whether it exists.
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Names lists the table's column names in order.
func (t Table) Names() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// Arrow returns the Arrow schema of the table's own columns.
func (t Table) Arrow() *arrow.Schema {
	return arrowSchema(t.Columns)
}

func arrowSchema(cols []Column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		md := arrow.Metadata{}
		if c.Desc != "" {
			md = arrow.NewMetadata([]string{"description"}, []string{c.Desc})
		}
		fields[i] = arrow.Field{Name: c.Name, Type: c.Kind.ArrowType(), Nullable: !c.Required, Metadata: md}
	}
	return arrow.NewSchema(fields, nil)
}

// Stored returns the columns of the table as the warehouse stores it. Input
// tables gain lineage columns (as_of_date, run_id, source_file, source_row)
// so that every loaded row traces back to the export line it came from,
// then the columns ingest derives. Computed tables are stored as defined
// (they carry as_of_date and run_id).
func (t Table) Stored() []Column {
	if !t.Input {
		return t.Columns
	}
	cols := make([]Column, 0, len(t.Columns)+len(lineage)+len(t.Derived))
	cols = append(cols, t.Columns...)
	cols = append(cols, lineage...)
	return append(cols, t.Derived...)
}

// StoredColumn returns the named column of the stored table (contract,
// lineage or derived).
func (t Table) StoredColumn(name string) (Column, bool) {
	for _, c := range t.Stored() {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// StoredArrow is the Arrow schema of Stored.
func (t Table) StoredArrow() *arrow.Schema { return arrowSchema(t.Stored()) }

// StoredArrowOf is the Arrow schema of the stored columns named, in the
// stored order (every one when names is empty): what a read of only those
// columns returns. A name the table does not store is an error.
func (t Table) StoredArrowOf(names []string) (*arrow.Schema, error) {
	if len(names) == 0 {
		return t.StoredArrow(), nil
	}
	var cols []Column
	for _, c := range t.Stored() {
		if slices.Contains(names, c.Name) {
			cols = append(cols, c)
		}
	}
	if len(cols) < len(names) {
		for _, n := range names {
			if _, ok := t.StoredColumn(n); !ok {
				return nil, fmt.Errorf("table %s has no column %s", t.Name, n)
			}
		}
		return nil, fmt.Errorf("table %s: a column is named twice in %v", t.Name, names)
	}
	return arrowSchema(cols), nil
}

var lineage = []Column{
	{Name: AsOfDate, Kind: Date, Required: true, Desc: "Quarter-end date this load is for."},
	{Name: RunID, Kind: String, Required: true, Desc: "Run that loaded the row (see the runs table)."},
	{Name: SourceFile, Kind: String, Required: true, Desc: "Export file the row was read from; bigquery:PROJECT.DATASET.TABLE (or bigquery:<mapping file> for a query) for a BigQuery source."},
	{Name: SourceRow, Kind: Int, Required: true, Desc: "Row number in that file (CSV: the header is row 1; JSON Lines: line number; Parquet: 1-based row index; BigQuery: place in the ordered result); for rows merged by a mapping's grain, the first."},
	{Name: SourceLines, Kind: Int, Required: true, Desc: "Export rows this row was made of: 1, or the lines a mapping's grain merged (e.g. the items of one order)."},
}

// tables indexes All by name, built once: the definitions never change.
var tables = sync.OnceValue(func() map[string]Table {
	m := map[string]Table{}
	for _, t := range All() {
		m[t.Name] = t
	}
	return m
})

// Lookup returns the table with the given name, for names that come from
// outside (a mapping file, a command line). The table is shared: do not
// modify it.
func Lookup(name string) (Table, bool) {
	t, ok := tables()[name]
	return t, ok
}

// Get returns the table named by one of this package's table constants.
// Any other name is a bug in the caller, and Get panics.
func Get(name string) Table {
	t, ok := tables()[name]
	if !ok {
		panic(fmt.Sprintf("schema: no table %q", name))
	}
	return t
}

func f(v float64) *float64 { return &v }
