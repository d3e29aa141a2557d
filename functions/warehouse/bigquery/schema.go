package bigquery

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/partnerq/pqi/functions/warehouse"

	bq "cloud.google.com/go/bigquery"

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

// RenderSQL replaces DatasetPlaceholder with project.dataset after
// validating both. Nothing else in the text is touched.
func RenderSQL(text, project, dataset string) (string, error) {
	if err := ValidateProject(project); err != nil {
		return "", err
	}
	if err := ValidateDataset(dataset); err != nil {
		return "", err
	}
	return strings.ReplaceAll(text, warehouse.DatasetPlaceholder, project+"."+dataset), nil
}

// sqlType is how each engine spells a kind: BigQuery in DDL and in the
// client library, DuckDB (duckdb_sql.go). Money is NUMERIC(18,2) /
// DECIMAL(18,2): the same precision and scale as the Arrow decimal128(18,2)
// and the Parquet DECIMAL(18,2) the warehouse writes, so BigQuery refuses a
// value the contract could not hold.
type sqlType struct {
	bigQuery string
	field    bq.FieldType
	duckDB   string
}

var sqlTypes = map[schema.Kind]sqlType{
	schema.String:    {"STRING", bq.StringFieldType, "VARCHAR"},
	schema.Enum:      {"STRING", bq.StringFieldType, "VARCHAR"},
	schema.Date:      {"DATE", bq.DateFieldType, "DATE"},
	schema.Money:     {fmt.Sprintf("NUMERIC(%d, %d)", schema.MoneyPrecision, schema.MoneyScale), bq.NumericFieldType, fmt.Sprintf("DECIMAL(%d, %d)", schema.MoneyPrecision, schema.MoneyScale)},
	schema.Int:       {"INT64", bq.IntegerFieldType, "BIGINT"},
	schema.Bool:      {"BOOL", bq.BooleanFieldType, "BOOLEAN"},
	schema.Timestamp: {"TIMESTAMP", bq.TimestampFieldType, "TIMESTAMPTZ"},
	schema.Float:     {"FLOAT64", bq.FloatFieldType, "DOUBLE"},
}

// typeOf is kind k's sqlType.
func typeOf(k schema.Kind) (sqlType, error) {
	st, ok := sqlTypes[k]
	if !ok {
		return st, fmt.Errorf("no SQL type for %v", k)
	}
	return st, nil
}

// TableSchema is the table's stored columns as a BigQuery schema: types,
// REQUIRED for required columns, descriptions from the schema package.
func TableSchema(t schema.Table) (bq.Schema, error) {
	cols := t.Stored()
	out := make(bq.Schema, len(cols))
	for i, c := range cols {
		st, err := typeOf(c.Kind)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name, c.Name, err)
		}
		f := &bq.FieldSchema{Name: c.Name, Type: st.field, Required: c.Required, Description: c.Desc}
		if c.Kind == schema.Money {
			f.Precision, f.Scale = schema.MoneyPrecision, schema.MoneyScale
		}
		out[i] = f
	}
	return out, nil
}

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

// tableMetadata is what EnsureSchema creates table t with: the same
// schema, partitioning, clustering, partition-filter rule and description
// as its DDL (sql/ddl/<table>.sql), through the API, so that the table
// BigQuery holds can be compared with it.
func tableMetadata(t schema.Table) (*bq.TableMetadata, error) {
	sc, err := TableSchema(t)
	if err != nil {
		return nil, err
	}
	md := &bq.TableMetadata{
		Description:            t.Desc,
		Schema:                 sc,
		TimePartitioning:       &bq.TimePartitioning{Type: bq.DayPartitioningType, Field: warehouse.PartitionColumn},
		RequirePartitionFilter: warehouse.RequiresPartitionFilter(t),
	}
	if cl := clustering(t); len(cl) > 0 {
		md.Clustering = &bq.Clustering{Fields: cl}
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
	if _, err := warehouse.CheckSQLTable(t.Name); err != nil {
		return "", err
	}
	if !hasColumn(t, warehouse.PartitionColumn) {
		return "", fmt.Errorf("table %s has no %s column to partition by", t.Name, warehouse.PartitionColumn)
	}
	var b strings.Builder
	b.WriteString("-- Generated from transforms/schema by bigquery.DDL: do not edit.\n")
	b.WriteString("-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update\n")
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS `%s.%s` (\n", warehouse.DatasetPlaceholder, t.Name)
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
	b.WriteString("PARTITION BY " + warehouse.PartitionColumn + "\n")
	if cl := clustering(t); len(cl) > 0 {
		b.WriteString("CLUSTER BY " + strings.Join(cl, ", ") + "\n")
	}
	b.WriteString("OPTIONS(description = " + sqlString(t.Desc))
	if warehouse.RequiresPartitionFilter(t) {
		b.WriteString(", require_partition_filter = TRUE")
	}
	b.WriteString(")\n")
	return b.String(), nil
}

// DDLFiles is every table's DDL keyed by file name (<table>.sql), in
// schema.All order.
func DDLFiles() ([]string, map[string]string, error) {
	return warehouse.PerTable(schema.All(), func(t schema.Table) string { return t.Name + ".sql" }, DDL)
}

// ValuesAssertion is the dbt-style assertion of table t's values, what
// sql/tests/assert_<table>_values.sql holds (a test keeps the file equal
// to it): every required column is set and every enum column holds one of
// its values. It returns the offending rows' as-of date, column and value,
// and must return none.
func ValuesAssertion(t schema.Table) (string, error) {
	if _, err := warehouse.CheckSQLTable(t.Name); err != nil {
		return "", err
	}
	// A snapshot table is checked at the latest as-of date: one
	// partition, after each load (and BigQuery requires the filter).
	where := "WHERE "
	if warehouse.RequiresPartitionFilter(t) {
		where += warehouse.PartitionColumn + " = " + warehouse.LatestPlaceholder + " AND "
	}
	var parts []string
	for _, c := range t.Stored() {
		if c.Required {
			parts = append(parts, fmt.Sprintf("SELECT %s, '%s' AS column_name, CAST(NULL AS STRING) AS value FROM `%s.%s` %s%s IS NULL",
				warehouse.PartitionColumn, c.Name, warehouse.DatasetPlaceholder, t.Name, where, c.Name))
		}
		if c.Kind == schema.Enum {
			vals := make([]string, len(c.Enum))
			for i, v := range c.Enum {
				vals[i] = sqlString(v)
			}
			parts = append(parts, fmt.Sprintf("SELECT %s, '%s', %s FROM `%s.%s` %s%s NOT IN (%s)",
				warehouse.PartitionColumn, c.Name, c.Name, warehouse.DatasetPlaceholder, t.Name, where, c.Name, strings.Join(vals, ", ")))
		}
	}
	var b strings.Builder
	b.WriteString("-- Generated from transforms/schema by bigquery.ValuesAssertion: do not edit.\n")
	b.WriteString("-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update\n")
	fmt.Fprintf(&b, "-- %s: every required column is set and every enum column holds one of\n-- its values. Returns the offending rows' as-of date, column and value.\n", t.Name)
	b.WriteString(strings.Join(parts, "\nUNION ALL\n"))
	b.WriteString("\n")
	return b.String(), nil
}

// ValuesAssertionFiles is every table's ValuesAssertion keyed by file name
// (assert_<table>_values.sql), in schema.All order.
func ValuesAssertionFiles() ([]string, map[string]string, error) {
	return warehouse.PerTable(schema.All(), func(t schema.Table) string { return "assert_" + t.Name + "_values.sql" }, ValuesAssertion)
}
