package local

import (
	"fmt"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// DuckDBLatestView is the latest_<table> view (bigquery.LatestView) in DuckDB, over the local warehouse: what
// sql/duckdb/latest/latest_<table>.sql holds.
func DuckDBLatestView(t schema.Table) (string, error) {
	return warehouse.LatestViewText(t, "local.DuckDBLatestView", fmt.Sprintf("CREATE OR REPLACE VIEW latest_%s AS\nSELECT * FROM stg_%[1]s\nWHERE %s = %s;\n", t.Name, warehouse.PartitionColumn, warehouse.LatestAsOfSQL(schema.Runs)))
}

// DuckDBLatestViewFiles are the latest_ views keyed by file name
// (latest_<table>.sql), in schema.All order.
func DuckDBLatestViewFiles() ([]string, map[string]string, error) {
	return duckDBLatestFiles(DuckDBLatestView)
}

func duckDBLatestFiles(gen func(schema.Table) (string, error)) ([]string, map[string]string, error) {
	return warehouse.PerTable(warehouse.LatestTables(), func(t schema.Table) string { return "latest_" + t.Name + ".sql" }, gen)
}
