package warehouse

import (
	"fmt"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

// This file is the latest pointer: the as-of date analysts mean by "now",
// written {{latest_as_of}} in the SQL of sql/, and the latest_<table> views
// built on it.
//
// The latest as-of date is the newest one with a succeeded score run, or,
// before anything was scored, the newest with a succeeded ingest: the
// snapshot the scorecard shows. On BigQuery the placeholder is rendered as
// a date literal (DATE 'YYYY-MM-DD'), so a filter on it prunes to one
// partition and satisfies require_partition_filter (a MAX(as_of_date)
// subquery does neither); views that use it are re-created after every
// succeeded ingest and score run, so the pointer moves with the data. In
// DuckDB it is the subquery itself, evaluated per query.

// LatestPlaceholder is where SQL in sql/ writes the latest as-of date.
const LatestPlaceholder = "{{latest_as_of}}"

// LatestAsOfSQL is the query of the latest as-of date over the runs table
// named runs (NULL when nothing succeeded yet).
func LatestAsOfSQL(runs string) string {
	one := func(job Job) string {
		return fmt.Sprintf("(SELECT MAX(%s) FROM %s WHERE %s = '%s' AND %s = '%s')",
			schema.AsOfDate, runs, schema.Job, job, schema.Outcome, Succeeded)
	}
	return "COALESCE(" + one(JobScore) + ", " + one(JobIngest) + ")"
}

// latestLiteral renders the latest as-of date (ok false: none yet) as SQL:
// a DATE literal, or a NULL date that matches no row.
func latestLiteral(asOf int32, ok bool) (string, error) {
	if !ok {
		return "CAST(NULL AS DATE)", nil
	}
	day, err := partitionDay(asOf)
	if err != nil {
		return "", err
	}
	return "DATE '" + day + "'", nil
}

// latestTables are the tables that get a latest_<table> view: those that
// hold one snapshot per as-of date (RequiresPartitionFilter).
func latestTables() []schema.Table {
	var out []schema.Table
	for _, t := range schema.All() {
		if RequiresPartitionFilter(t) {
			out = append(out, t)
		}
	}
	return out
}

// LatestView is the BigQuery view latest_<table>: the table's staging view
// at the latest as-of date, one snapshot, so joins between latest_ views
// count each row once. It is what sql/views/latest/latest_<table>.sql holds.
func LatestView(t schema.Table) (string, error) {
	return latestView(t, "LatestView", fmt.Sprintf("SELECT * FROM `%s.stg_%s`\nWHERE %s = %s\n", DatasetPlaceholder, t.Name, partitionColumn, LatestPlaceholder))
}

// DuckDBLatestView is LatestView in DuckDB, over the local warehouse: what
// sql/duckdb/latest/latest_<table>.sql holds.
func DuckDBLatestView(t schema.Table) (string, error) {
	return latestView(t, "DuckDBLatestView", fmt.Sprintf("CREATE OR REPLACE VIEW latest_%s AS\nSELECT * FROM stg_%[1]s\nWHERE %s = %s;\n", t.Name, partitionColumn, LatestAsOfSQL(schema.Runs)))
}

func latestView(t schema.Table, gen, body string) (string, error) {
	if _, err := validateTable(t.Name); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("-- Generated from transforms/schema by warehouse." + gen + ": do not edit.\n")
	b.WriteString("-- Rewrite with: go test ./functions/warehouse -run TestGeneratedSQLMatchesSchema -update\n")
	fmt.Fprintf(&b, "-- %s at the latest as-of date only (the newest scored one): one\n", t.Name)
	b.WriteString("-- snapshot, so joins of latest_ views count each row once.\n")
	fmt.Fprintf(&b, "-- Source: stg_%s.\n", t.Name)
	b.WriteString(body)
	return b.String(), nil
}

// LatestViewFiles and DuckDBLatestViewFiles are the latest_ views keyed by
// file name (latest_<table>.sql), in schema.All order (latestTables).
func LatestViewFiles() ([]string, map[string]string, error) {
	return latestFiles(LatestView)
}

// DuckDBLatestViewFiles: see LatestViewFiles.
func DuckDBLatestViewFiles() ([]string, map[string]string, error) {
	return latestFiles(DuckDBLatestView)
}

func latestFiles(gen func(schema.Table) (string, error)) ([]string, map[string]string, error) {
	return perTable(latestTables(), func(t schema.Table) string { return "latest_" + t.Name + ".sql" }, gen)
}
