package warehouse

import (
	"errors"
	"fmt"
	"regexp"
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

// LatestTables are the tables that get a latest_<table> view: those that
// hold one snapshot per as-of date (RequiresPartitionFilter).
func LatestTables() []schema.Table {
	var out []schema.Table
	for _, t := range schema.All() {
		if RequiresPartitionFilter(t) {
			out = append(out, t)
		}
	}
	return out
}

// LatestViewText is a generated latest_<table> view: the header saying
// so (gen names the generator) and body.
func LatestViewText(t schema.Table, gen, body string) (string, error) {
	if _, err := CheckSQLTable(t.Name); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("-- Generated from transforms/schema by " + gen + ": do not edit.\n")
	b.WriteString("-- Rewrite with: go test ./functions/warehouse/bigquery -run TestGeneratedSQLMatchesSchema -update\n")
	fmt.Fprintf(&b, "-- %s at the latest as-of date only (the newest scored one): one\n", t.Name)
	b.WriteString("-- snapshot, so joins of latest_ views count each row once.\n")
	fmt.Fprintf(&b, "-- Source: stg_%s.\n", t.Name)
	b.WriteString(body)
	return b.String(), nil
}

// CheckSQLTable checks that name is a table of the schema package and a
// plain identifier (schema names are constants, but the check is cheap and
// keeps the SQL builders honest).
func CheckSQLTable(name string) (schema.Table, error) {
	t, err := CheckTable(name)
	if err != nil {
		return t, err
	}
	if !sqlNamePattern.MatchString(t.Name) {
		return t, fmt.Errorf("table name %q is not a plain identifier", t.Name)
	}
	for _, c := range t.Stored() {
		if !sqlNamePattern.MatchString(c.Name) {
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

// PartitionColumn is the column every table is partitioned by.
const PartitionColumn = schema.AsOfDate

// RequiresPartitionFilter says whether queries of table t must filter on
// as_of_date: the raw and scored tables, which hold one full snapshot per
// as-of date, so a query that names no date would read (and count) every
// snapshot. runs and quarantine are the audit trail, read across dates
// (pqi runs, the data-quality mart) and small.
func RequiresPartitionFilter(t schema.Table) bool {
	return t.Name != schema.Runs && t.Name != schema.Quarantine
}

// PerTable generates one file per table of tables: its names in that
// order, and the text by name.
func PerTable(tables []schema.Table, name func(schema.Table) string, gen func(schema.Table) (string, error)) ([]string, map[string]string, error) {
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

// sqlNamePattern is the table and column names pqi creates: lower-case
// snake case.
var sqlNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,127}$`)

// IsSQLName says whether s is a plain identifier pqi may create.
func IsSQLName(s string) bool { return sqlNamePattern.MatchString(s) }
