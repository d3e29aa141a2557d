package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/partnerq/pqi/functions/warehouse"
	pqisql "github.com/partnerq/pqi/sql"
)

func cmdSQL(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sql", "--warehouse bq://PROJECT/DATASET (--query SQL | --file FILE | --deploy)")
	wh := fs.String("warehouse", "", "BigQuery warehouse: bq://PROJECT/DATASET")
	query := fs.String("query", "", "SQL to run; write `{{dataset}}.table` for the warehouse's tables")
	file := fs.String("file", "", "file holding the SQL to run (e.g. sql/queries/latest_load_summary.sql)")
	deploy := fs.Bool("deploy", false, "create or migrate the dataset, its tables (sql/ddl) and the views (sql/views)")
	maxRows := fs.Int("max-rows", 1000, "print at most this many rows")
	maxBytes := fs.Int64("max-bytes-billed", 10<<30, "fail a query, billing nothing, that would bill more bytes than this; 0 = no bound")
	dryRun := fs.Bool("dry-run", false, "print the bytes the query would process, run nothing (BigQuery's dry run)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *wh == "" {
		return usagef("--warehouse is required")
	}
	n := 0
	for _, set := range []bool{*query != "", *file != "", *deploy} {
		if set {
			n++
		}
	}
	if n != 1 {
		return usagef("give exactly one of --query, --file and --deploy")
	}
	if !strings.HasPrefix(*wh, warehouse.BigQueryScheme) {
		return usagef("--warehouse %s: pqi sql runs on BigQuery (%sPROJECT/DATASET); query the local Parquet warehouse with DuckDB: SELECT * FROM '%s/deals/*/*.parquet'", *wh, warehouse.BigQueryScheme, *wh)
	}
	text := *query
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		text = string(b)
	}
	w, err := openWarehouse(ctx, *wh)
	if err != nil {
		return err
	}
	defer w.Close()
	bq, ok := w.Warehouse.(*warehouse.BigQuery)
	if !ok {
		return usagef("--warehouse %s is not a BigQuery warehouse", *wh)
	}
	if *deploy {
		if err := bq.EnsureSchema(ctx); err != nil {
			return err
		}
		views, err := bq.ApplyViews(ctx, pqisql.Files)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Deployed %s.%s: tables from sql/ddl, %d views.\n", bq.Project(), bq.Dataset(), len(views))
		return nil
	}
	if *dryRun {
		n, err := bq.DryRun(ctx, text)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "The query would process %d bytes (%.2f GiB); nothing ran.\n", n, float64(n)/(1<<30))
		return nil
	}
	rr, err := bq.Query(ctx, text, *maxBytes)
	if err != nil {
		return err
	}
	defer rr.Release()
	return printRecords(e.stdout, rr, *maxRows)
}

// printRecords writes a reader as an aligned table: a header of column
// names, one line per row, NULL for nulls, then the row count.
func printRecords(w io.Writer, rr array.RecordReader, maxRows int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	names := make([]string, rr.Schema().NumFields())
	for i, f := range rr.Schema().Fields() {
		names[i] = f.Name
	}
	fmt.Fprintln(tw, strings.Join(names, "\t"))
	rows, shown := 0, 0
	for rr.Next() {
		rec := rr.Record()
		for r := 0; r < int(rec.NumRows()); r++ {
			rows++
			if shown >= maxRows {
				continue
			}
			shown++
			cells := make([]string, rec.NumCols())
			for c := range cells {
				if rec.Column(c).IsNull(r) {
					cells[c] = "NULL"
				} else {
					cells[c] = strings.NewReplacer("\t", " ", "\n", " ").Replace(rec.Column(c).ValueStr(r))
				}
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	}
	if err := rr.Err(); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if shown < rows {
		fmt.Fprintf(w, "(%d rows, %d shown)\n", rows, shown)
	} else {
		fmt.Fprintf(w, "(%d rows)\n", rows)
	}
	return nil
}
