package warehouse

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"cloud.google.com/go/bigquery"

	"github.com/partnerq/pqi/transforms/schema"
)

// This file maps the schema package's tables to BigQuery: column types,
// the load schema, the CREATE TABLE statements of sql/ddl, and the checks
// that keep names from configuration out of SQL unless they are plain
// identifiers.

// Identifier rules. A name that fails them is refused before any request:
// it is never quoted, escaped or spliced into SQL.
var (
	// Google Cloud project IDs: 6 to 30 lower-case letters, digits and
	// hyphens, starting with a letter, not ending with a hyphen. Legacy
	// domain-scoped projects (example.com:proj) are not supported.
	projectPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	// BigQuery dataset names: letters, digits and underscores, at most 1024.
	datasetPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// Table and column names pqi creates: lower-case snake case.
	tablePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,127}$`)
	// Job IDs: letters, digits, underscores and dashes, at most 1024.
	jobIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// ValidateProject checks a Google Cloud project ID from configuration.
func ValidateProject(p string) error {
	if !projectPattern.MatchString(p) {
		return fmt.Errorf("project %q is not a valid Google Cloud project ID (6-30 characters: a-z, 0-9, '-', starting with a letter)", p)
	}
	return nil
}

// ValidateDataset checks a BigQuery dataset name from configuration.
func ValidateDataset(d string) error {
	if len(d) > 1024 || !datasetPattern.MatchString(d) {
		return fmt.Errorf("dataset %q is not a valid BigQuery dataset name (letters, digits and '_', not starting with a digit, at most 1024)", d)
	}
	return nil
}

// validateTable checks that name is a table of the schema package and a
// plain identifier (schema names are constants, but the check is cheap and
// keeps the SQL builders honest).
func validateTable(name string) (schema.Table, error) {
	t, err := checkTable(name)
	if err != nil {
		return t, err
	}
	if !tablePattern.MatchString(t.Name) {
		return t, fmt.Errorf("table name %q is not a plain identifier", t.Name)
	}
	for _, c := range t.Stored() {
		if !tablePattern.MatchString(c.Name) {
			return t, fmt.Errorf("column %s.%s is not a plain identifier", t.Name, c.Name)
		}
	}
	return t, nil
}

// DatasetPlaceholder is what the SQL files in sql/ write where the
// fully qualified dataset goes: FROM `{{dataset}}.partners` becomes
// FROM `my-project.pqi.partners`. BigQuery views must name their tables
// with the dataset, so the files cannot rely on a default dataset.
const DatasetPlaceholder = "{{dataset}}"

// RenderSQL replaces DatasetPlaceholder with project.dataset after
// validating both. Nothing else in the text is touched.
func RenderSQL(text, project, dataset string) (string, error) {
	if err := ValidateProject(project); err != nil {
		return "", err
	}
	if err := ValidateDataset(dataset); err != nil {
		return "", err
	}
	return strings.ReplaceAll(text, DatasetPlaceholder, project+"."+dataset), nil
}

// sqlType is how each engine spells a kind: BigQuery in DDL and in the
// client library, DuckDB (duckdb_sql.go). Money is NUMERIC(18,2) /
// DECIMAL(18,2): the same precision and scale as the Arrow decimal128(18,2)
// and the Parquet DECIMAL(18,2) the warehouse writes, so BigQuery refuses a
// value the contract could not hold.
type sqlType struct {
	bigQuery string
	field    bigquery.FieldType
	duckDB   string
}

var sqlTypes = map[schema.Kind]sqlType{
	schema.String:    {"STRING", bigquery.StringFieldType, "VARCHAR"},
	schema.Enum:      {"STRING", bigquery.StringFieldType, "VARCHAR"},
	schema.Date:      {"DATE", bigquery.DateFieldType, "DATE"},
	schema.Money:     {fmt.Sprintf("NUMERIC(%d, %d)", schema.MoneyPrecision, schema.MoneyScale), bigquery.NumericFieldType, fmt.Sprintf("DECIMAL(%d, %d)", schema.MoneyPrecision, schema.MoneyScale)},
	schema.Int:       {"INT64", bigquery.IntegerFieldType, "BIGINT"},
	schema.Bool:      {"BOOL", bigquery.BooleanFieldType, "BOOLEAN"},
	schema.Timestamp: {"TIMESTAMP", bigquery.TimestampFieldType, "TIMESTAMPTZ"},
	schema.Float:     {"FLOAT64", bigquery.FloatFieldType, "DOUBLE"},
}

// typeOf is kind k's sqlType.
func typeOf(k schema.Kind) (sqlType, error) {
	st, ok := sqlTypes[k]
	if !ok {
		return st, fmt.Errorf("no SQL type for %v", k)
	}
	return st, nil
}

// BigQuerySchema is the table's stored columns as a BigQuery schema: types,
// REQUIRED for required columns, descriptions from the schema package.
func BigQuerySchema(t schema.Table) (bigquery.Schema, error) {
	cols := t.Stored()
	out := make(bigquery.Schema, len(cols))
	for i, c := range cols {
		st, err := typeOf(c.Kind)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name, c.Name, err)
		}
		f := &bigquery.FieldSchema{Name: c.Name, Type: st.field, Required: c.Required, Description: c.Desc}
		if c.Kind == schema.Money {
			f.Precision, f.Scale = schema.MoneyPrecision, schema.MoneyScale
		}
		out[i] = f
	}
	return out, nil
}

// partitionColumn is the column every table is partitioned by.
const partitionColumn = schema.AsOfDate

// clustering is the clustering columns of a table: partner_id where the
// table has it, so a partner's rows sit together within a partition;
// otherwise its key (deals by deal_id, the column every join to it uses),
// at most the four columns BigQuery allows.
func clustering(t schema.Table) []string {
	if hasColumn(t, schema.PartnerID) {
		return []string{schema.PartnerID}
	}
	return t.Key[:min(len(t.Key), 4)]
}

// RequiresPartitionFilter says whether queries of table t must filter on
// as_of_date: the raw and scored tables, which hold one full snapshot per
// as-of date, so a query that names no date would read (and count) every
// snapshot. runs and quarantine are the audit trail, read across dates
// (pqi runs, the data-quality mart) and small.
func RequiresPartitionFilter(t schema.Table) bool {
	return t.Name != schema.Runs && t.Name != schema.Quarantine
}

// tableMetadata is what EnsureSchema creates table t with: the same
// schema, partitioning, clustering, partition-filter rule and description
// as its DDL (sql/ddl/<table>.sql), through the API, so that the table
// BigQuery holds can be compared with it.
func tableMetadata(t schema.Table) (*bigquery.TableMetadata, error) {
	sc, err := BigQuerySchema(t)
	if err != nil {
		return nil, err
	}
	md := &bigquery.TableMetadata{
		Description:            t.Desc,
		Schema:                 sc,
		TimePartitioning:       &bigquery.TimePartitioning{Type: bigquery.DayPartitioningType, Field: partitionColumn},
		RequirePartitionFilter: RequiresPartitionFilter(t),
	}
	if cl := clustering(t); len(cl) > 0 {
		md.Clustering = &bigquery.Clustering{Fields: cl}
	}
	return md, nil
}

func hasColumn(t schema.Table, name string) bool {
	for _, c := range t.Stored() {
		if c.Name == name {
			return true
		}
	}
	return false
}

// sqlString renders s as a GoogleSQL double-quoted string literal.
func sqlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// columnDDL is one column definition: name, type, NOT NULL, description.
func columnDDL(c schema.Column) (string, error) {
	st, err := typeOf(c.Kind)
	if err != nil {
		return "", fmt.Errorf("column %s: %w", c.Name, err)
	}
	s := c.Name + " " + st.bigQuery
	if c.Required {
		s += " NOT NULL"
	}
	if c.Desc != "" {
		s += " OPTIONS(description = " + sqlString(c.Desc) + ")"
	}
	return s, nil
}

// DDL is the CREATE TABLE statement of one table, with the dataset left as
// DatasetPlaceholder. It is what sql/ddl/<table>.sql holds (a test keeps
// the files equal to it). Every table is partitioned by as_of_date (one
// partition per quarter-end load) and clustered (clustering); the raw and
// scored tables require a partition filter (RequiresPartitionFilter).
func DDL(t schema.Table) (string, error) {
	if _, err := validateTable(t.Name); err != nil {
		return "", err
	}
	if !hasColumn(t, partitionColumn) {
		return "", fmt.Errorf("table %s has no %s column to partition by", t.Name, partitionColumn)
	}
	var b strings.Builder
	b.WriteString("-- Generated from transforms/schema by warehouse.DDL: do not edit.\n")
	b.WriteString("-- Rewrite with: go test ./functions/warehouse -run TestGeneratedSQLMatchesSchema -update\n")
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS `%s.%s` (\n", DatasetPlaceholder, t.Name)
	cols := t.Stored()
	for i, c := range cols {
		s, err := columnDDL(c)
		if err != nil {
			return "", fmt.Errorf("table %s: %w", t.Name, err)
		}
		b.WriteString("  " + s)
		if i < len(cols)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(")\n")
	b.WriteString("PARTITION BY " + partitionColumn + "\n")
	if cl := clustering(t); len(cl) > 0 {
		b.WriteString("CLUSTER BY " + strings.Join(cl, ", ") + "\n")
	}
	b.WriteString("OPTIONS(description = " + sqlString(t.Desc))
	if RequiresPartitionFilter(t) {
		b.WriteString(", require_partition_filter = TRUE")
	}
	b.WriteString(")\n")
	return b.String(), nil
}

// DDLFiles is every table's DDL keyed by file name (<table>.sql), in
// schema.All order.
func DDLFiles() ([]string, map[string]string, error) {
	return perTable(schema.All(), func(t schema.Table) string { return t.Name + ".sql" }, DDL)
}

// perTable generates one file per table of tables: its names in that
// order, and the text by name.
func perTable(tables []schema.Table, name func(schema.Table) string, gen func(schema.Table) (string, error)) ([]string, map[string]string, error) {
	var names []string
	out := map[string]string{}
	var errs []error
	for _, t := range tables {
		s, err := gen(t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		names = append(names, name(t))
		out[name(t)] = s
	}
	return names, out, errors.Join(errs...)
}

// ValuesAssertion is the dbt-style assertion of table t's values, what
// sql/tests/assert_<table>_values.sql holds (a test keeps the file equal
// to it): every required column is set and every enum column holds one of
// its values. It returns the offending rows' as-of date, column and value,
// and must return none.
func ValuesAssertion(t schema.Table) (string, error) {
	if _, err := validateTable(t.Name); err != nil {
		return "", err
	}
	// A snapshot table is checked at the latest as-of date: one
	// partition, after each load (and BigQuery requires the filter).
	where := "WHERE "
	if RequiresPartitionFilter(t) {
		where += partitionColumn + " = " + LatestPlaceholder + " AND "
	}
	var parts []string
	for _, c := range t.Stored() {
		if c.Required {
			parts = append(parts, fmt.Sprintf("SELECT %s, '%s' AS column_name, CAST(NULL AS STRING) AS value FROM `%s.%s` %s%s IS NULL",
				partitionColumn, c.Name, DatasetPlaceholder, t.Name, where, c.Name))
		}
		if c.Kind == schema.Enum {
			vals := make([]string, len(c.Enum))
			for i, v := range c.Enum {
				vals[i] = sqlString(v)
			}
			parts = append(parts, fmt.Sprintf("SELECT %s, '%s', %s FROM `%s.%s` %s%s NOT IN (%s)",
				partitionColumn, c.Name, c.Name, DatasetPlaceholder, t.Name, where, c.Name, strings.Join(vals, ", ")))
		}
	}
	var b strings.Builder
	b.WriteString("-- Generated from transforms/schema by warehouse.ValuesAssertion: do not edit.\n")
	b.WriteString("-- Rewrite with: go test ./functions/warehouse -run TestGeneratedSQLMatchesSchema -update\n")
	fmt.Fprintf(&b, "-- %s: every required column is set and every enum column holds one of\n-- its values. Returns the offending rows' as-of date, column and value.\n", t.Name)
	b.WriteString(strings.Join(parts, "\nUNION ALL\n"))
	b.WriteString("\n")
	return b.String(), nil
}

// ValuesAssertionFiles is every table's ValuesAssertion keyed by file name
// (assert_<table>_values.sql), in schema.All order.
func ValuesAssertionFiles() ([]string, map[string]string, error) {
	return perTable(schema.All(), func(t schema.Table) string { return "assert_" + t.Name + "_values.sql" }, ValuesAssertion)
}
