package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/partnerq/pqi/functions/duckdb"
	"github.com/partnerq/pqi/functions/warehouse"
)

func cmdSQL(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sql", "--warehouse DIR|bq://PROJECT/DATASET (--query SQL | --file FILE | --deploy)")
	wh := fs.String("warehouse", "", "warehouse: a directory (DuckDB runs the query, over the views of sql/duckdb) or bq://PROJECT/DATASET")
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
	text := *query
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		text = string(b)
	}
	if !strings.HasPrefix(*wh, warehouse.BigQueryScheme) {
		if *deploy || *dryRun {
			return usagef("--deploy and --dry-run are for BigQuery; on the local warehouse pqi sql creates the views of sql/duckdb in memory for each query")
		}
		return localSQL(ctx, e, *wh, text, *maxRows)
	}
	open := openExisting
	if *deploy {
		open = openWarehouse // --deploy creates the dataset
	}
	w, err := open(ctx, *wh)
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
		views, err := bq.ApplyViews(ctx)
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

// localSQL runs text in DuckDB over the local warehouse at dir, with the
// views of sql/duckdb, and prints the rows.
func localSQL(ctx context.Context, e *env, dir, text string, maxRows int) error {
	if err := warehouseError(dir, warehouse.CheckLocalWarehouse(dir)); err != nil {
		return err
	}
	db, err := duckdb.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(db.Empty) > 0 {
		fmt.Fprintf(e.stderr, "No partition yet of %s: read as empty tables.\n", strings.Join(db.Empty, ", "))
	}
	rows, err := db.Query(ctx, text)
	if err != nil {
		return err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		rows.Close()
		return err
	}
	names := make([]string, len(types))
	for i, ct := range types {
		names[i] = ct.Name()
	}
	g := newGrid(e.stdout, names, maxRows)
	err = duckdb.Each(rows, func(vals []any) error {
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = duckdb.Text(v, types[i].DatabaseTypeName())
		}
		g.add(cells)
		return nil
	})
	if err != nil {
		return err
	}
	return g.close()
}

// printRecords writes a reader as an aligned table (grid).
func printRecords(w io.Writer, rr array.RecordReader, maxRows int) error {
	names := make([]string, rr.Schema().NumFields())
	for i, f := range rr.Schema().Fields() {
		names[i] = f.Name
	}
	g := newGrid(w, names, maxRows)
	for rr.Next() {
		rec := rr.Record()
		for r := 0; r < int(rec.NumRows()); r++ {
			cells := make([]string, rec.NumCols())
			for c := range cells {
				if rec.Column(c).IsNull(r) {
					cells[c] = "NULL"
				} else {
					cells[c] = rec.Column(c).ValueStr(r)
				}
			}
			g.add(cells)
		}
	}
	if err := rr.Err(); err != nil {
		return err
	}
	return g.close()
}

// grid prints query results as an aligned table: a header of column
// names, one line per row (at most max), NULL for nulls, then the row
// count.
type grid struct {
	w           io.Writer
	tw          *tabwriter.Writer
	rows, shown int
	max         int
}

func newGrid(w io.Writer, names []string, max int) *grid {
	g := &grid{w: w, tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0), max: max}
	fmt.Fprintln(g.tw, strings.Join(names, "\t"))
	return g
}

var oneLine = strings.NewReplacer("\t", " ", "\n", " ")

func (g *grid) add(cells []string) {
	g.rows++
	if g.shown >= g.max {
		return
	}
	g.shown++
	for i, c := range cells {
		cells[i] = oneLine.Replace(c)
	}
	fmt.Fprintln(g.tw, strings.Join(cells, "\t"))
}

func (g *grid) close() error {
	if err := g.tw.Flush(); err != nil {
		return err
	}
	if g.shown < g.rows {
		fmt.Fprintf(g.w, "(%d rows, %d shown)\n", g.rows, g.shown)
	} else {
		fmt.Fprintf(g.w, "(%d rows)\n", g.rows)
	}
	return nil
}
