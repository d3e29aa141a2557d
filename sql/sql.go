// Package sql holds the analysts' SQL surface of the BigQuery warehouse as
// files, one object per file, the file name being the object's name:
//
//	ddl/        CREATE TABLE per table, generated from transforms/schema
//	            (a test in functions/warehouse keeps them equal)
//	views/staging/  one view per table: typed, renamed, one snapshot per
//	                as-of date
//	views/latest/   latest_<table>: a staging view at the latest as-of
//	                date only (generated from transforms/schema)
//	views/marts/    the analyst surface, built on staging and latest views
//	views/columns.yaml  descriptions of the view columns that take none
//	                from a source (warehouse.ViewDocs); a view's own
//	                description is its file's header comment
//	queries/    worked analyst questions
//	tests/      assertions: each query must return zero rows;
//	            assert_<table>_values.sql (required columns set, enum
//	            values in their lists) are generated from transforms/schema
//	duckdb/     the same views in DuckDB's SQL over the local Parquet
//	            warehouse, each file a CREATE VIEW runnable by the DuckDB
//	            CLI from the warehouse directory: tables/ (generated: one
//	            view per table over its partitions), staging/, latest/
//	            (generated), then marts/ (functions/warehouse/local runs
//	            them for pqi sql)
//
// Table references are written `{{dataset}}.<table>`; the warehouse
// replaces {{dataset}} with the validated project.dataset
// (warehouse.RenderSQL). {{latest_as_of}} is the latest as-of date
// (warehouse.LatestPlaceholder): a date literal on BigQuery, so filters on
// it prune partitions. Files are embedded so that a deploy needs no
// checkout.
package sql

import "embed"

// Files is this directory's SQL.
//
//go:embed views/columns.yaml ddl/*.sql views/staging/*.sql views/latest/*.sql views/marts/*.sql queries/*.sql tests/*.sql duckdb/tables/*.sql duckdb/staging/*.sql duckdb/latest/*.sql duckdb/marts/*.sql
var Files embed.FS
