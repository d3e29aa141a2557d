package local

import (
	"fmt"
	"strings"

	"github.com/partnerq/pqi/functions/warehouse"

	"github.com/partnerq/pqi/transforms/schema"
)

// This file maps the schema package's tables to DuckDB over the Parquet
// warehouse: the files of sql/duckdb/tables (one view per table, reading
// its partitions) and, for a table with no partition yet, an empty table
// of the same columns. duckdb.go runs them.

// duckDBTypes is how DuckDB spells each kind: money is DECIMAL(18,2), the
// precision and scale of the Arrow decimal128 and Parquet DECIMAL the
// warehouse writes (BigQuery's NUMERIC(18,2), bigquery.TableSchema).
var duckDBTypes = map[schema.Kind]string{
	schema.String:    "VARCHAR",
	schema.Enum:      "VARCHAR",
	schema.Date:      "DATE",
	schema.Money:     fmt.Sprintf("DECIMAL(%d, %d)", schema.MoneyPrecision, schema.MoneyScale),
	schema.Int:       "BIGINT",
	schema.Bool:      "BOOLEAN",
	schema.Timestamp: "TIMESTAMPTZ",
	schema.Float:     "DOUBLE",
}

// duckDBType is kind k in DuckDB.
func duckDBType(k schema.Kind) (string, error) {
	typ, ok := duckDBTypes[k]
	if !ok {
		return "", fmt.Errorf("no DuckDB type for %v", k)
	}
	return typ, nil
}

// DuckDBTable is the view that exposes table t of a local warehouse to
// DuckDB: its stored columns, in order, from every partition's Parquet
// files (union_by_name, so a partition written before a column was added
// reads it as NULL). Paths are relative: run it with the warehouse
// directory as DuckDB's working directory or file_search_path. It is what
// sql/duckdb/tables/<table>.sql holds (a test keeps the files equal to it).
func DuckDBTable(t schema.Table) (string, error) {
	return DuckDBTableOver(t, nil)
}

// DuckDBTableOver is DuckDBTable over files that hold only the columns
// present says (nil: all): a nullable column added to the schema after
// every file was written reads as NULL instead of failing the view.
func DuckDBTableOver(t schema.Table, present map[string]bool) (string, error) {
	if _, err := warehouse.CheckSQLTable(t.Name); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("-- Generated from transforms/schema by local.DuckDBTable: do not edit.\n")
	b.WriteString("-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update\n")
	b.WriteString("-- " + t.Desc + "\n")
	fmt.Fprintf(&b, "CREATE OR REPLACE VIEW %s AS\nSELECT\n", t.Name)
	cols := t.Stored()
	for i, c := range cols {
		if present != nil && !present[c.Name] && !c.Required {
			typ, err := duckDBType(c.Kind)
			if err != nil {
				return "", fmt.Errorf("table %s column %s: %w", t.Name, c.Name, err)
			}
			fmt.Fprintf(&b, "  CAST(NULL AS %s) AS %s", typ, c.Name)
		} else {
			b.WriteString("  " + c.Name)
		}
		if i < len(cols)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "FROM read_parquet('%s/*/*.parquet', union_by_name = true);\n", t.Name)
	return b.String(), nil
}

// DuckDBTableFiles is every table's DuckDBTable keyed by file name
// (<table>.sql), in schema.All order.
func DuckDBTableFiles() ([]string, map[string]string, error) {
	return warehouse.PerTable(schema.All(), func(t schema.Table) string { return t.Name + ".sql" }, DuckDBTable)
}

// DuckDBEmptyTable creates table t with no rows, for a warehouse that has
// no partition of it yet (DuckDB refuses a view over files that do not
// exist): the views built on it then read nothing instead of failing.
func DuckDBEmptyTable(t schema.Table) (string, error) {
	if _, err := warehouse.CheckSQLTable(t.Name); err != nil {
		return "", err
	}
	cols := t.Stored()
	defs := make([]string, len(cols))
	for i, c := range cols {
		typ, err := duckDBType(c.Kind)
		if err != nil {
			return "", fmt.Errorf("table %s column %s: %w", t.Name, c.Name, err)
		}
		defs[i] = c.Name + " " + typ
	}
	return fmt.Sprintf("CREATE OR REPLACE TABLE %s (%s);", t.Name, strings.Join(defs, ", ")), nil
}
