package bigquery

import (
	"fmt"

	"github.com/partnerq/pqi/functions/warehouse"

	"github.com/partnerq/pqi/transforms/schema"
)

// latestLiteral renders the latest as-of date (ok false: none yet) as SQL:
// a DATE literal, or a NULL date that matches no row.
func LatestLiteral(asOf schema.Day, ok bool) (string, error) {
	if !ok {
		return "CAST(NULL AS DATE)", nil
	}
	day, err := partitionDay(asOf)
	if err != nil {
		return "", err
	}
	return "DATE '" + day + "'", nil
}

// LatestView is the BigQuery view latest_<table>: the table's staging view
// at the latest as-of date, one snapshot, so joins between latest_ views
// count each row once. It is what sql/views/latest/latest_<table>.sql holds.
func LatestView(t schema.Table) (string, error) {
	return warehouse.LatestViewText(t, "bigquery.LatestView", fmt.Sprintf("SELECT * FROM `%s.stg_%s`\nWHERE %s = %s\n", warehouse.DatasetPlaceholder, t.Name, warehouse.PartitionColumn, warehouse.LatestPlaceholder))
}

// LatestViewFiles and DuckDBLatestViewFiles are the latest_ views keyed by
// file name (latest_<table>.sql), in schema.All order (LatestTables).
func LatestViewFiles() ([]string, map[string]string, error) {
	return latestFiles(LatestView)
}

func latestFiles(gen func(schema.Table) (string, error)) ([]string, map[string]string, error) {
	return warehouse.PerTable(warehouse.LatestTables(), func(t schema.Table) string { return "latest_" + t.Name + ".sql" }, gen)
}
