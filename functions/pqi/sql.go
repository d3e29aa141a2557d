package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/partnerq/pqi/functions/duckdb"
	"github.com/partnerq/pqi/functions/warehouse"
)

func cmdSQL(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sql", "--warehouse DIR|bq://PROJECT/DATASET (--query SQL | --file FILE | --list | --describe NAME | --deploy) [--format text|csv|json]")
	wh := fs.String("warehouse", "", "warehouse: a directory (DuckDB runs the query, over the views of sql/duckdb) or bq://PROJECT/DATASET")
	query := fs.String("query", "", "SQL to run; write `{{dataset}}.table` for the warehouse's tables")
	file := fs.String("file", "", "file holding the SQL to run (e.g. sql/queries/latest_load_summary.sql)")
	list := fs.Bool("list", false, "list the warehouse's tables and views with their descriptions")
	describe := fs.String("describe", "", "describe one table or view: its columns, their types and descriptions")
	format := fs.String("format", "text", "output: text (aligned, for people: floats to six significant digits), csv or json (every row, full precision)")
	deploy := fs.Bool("deploy", false, "create or migrate the dataset, its tables (sql/ddl) and the views (sql/views)")
	maxRows := fs.Int("max-rows", 1000, "text output: print at most this many rows (csv and json print every row)")
	maxBytes := fs.Int64("max-bytes-billed", 10<<30, "fail a query, billing nothing, that would bill more bytes than this; 0 = no bound")
	dryRun := fs.Bool("dry-run", false, "print the bytes the query would process, run nothing (BigQuery's dry run)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *wh == "" {
		return usagef("--warehouse is required")
	}
	n := 0
	for _, set := range []bool{*query != "", *file != "", *deploy, *list, *describe != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return usagef("give exactly one of --query, --file, --list, --describe and --deploy")
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	text := *query
	if *file != "" {
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		text = string(b)
	}
	out := output{w: e.stdout, format: *format, maxRows: *maxRows}
	if !strings.HasPrefix(*wh, warehouse.BigQueryScheme) {
		if *deploy || *dryRun {
			return usagef("--deploy and --dry-run are for BigQuery; on the local warehouse pqi sql creates the views of sql/duckdb in memory for each query")
		}
		return localSQL(ctx, e, *wh, text, *list, *describe, out)
	}
	return bigQuerySQL(ctx, e, *wh, text, bqAsk{deploy: *deploy, list: *list, describe: *describe, dryRun: *dryRun, maxBytes: *maxBytes}, out)
}

// bqAsk is what pqi sql was asked to do on BigQuery besides a query.
type bqAsk struct {
	deploy, list, dryRun bool
	describe             string
	maxBytes             int64
}

// bigQuerySQL deploys the dataset, lists or describes its objects, dry
// runs text or runs it, on the BigQuery warehouse spec names.
func bigQuerySQL(ctx context.Context, e *env, spec, text string, ask bqAsk, out output) error {
	open := openExisting
	if ask.deploy {
		open = openWarehouse // --deploy creates the dataset
	}
	w, err := open(ctx, spec)
	if err != nil {
		return err
	}
	defer w.Close()
	bq, ok := w.Warehouse.(warehouse.Analyst)
	if !ok {
		return usagef("--warehouse %s does not answer SQL itself", spec)
	}
	switch {
	case ask.deploy:
		said, err := bq.Deploy(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, said)
		return nil
	case ask.list || ask.describe != "":
		objs, err := bq.Objects(ctx)
		if err != nil {
			return err
		}
		return out.objects(objs, ask.describe)
	case ask.dryRun:
		n, err := bq.DryRun(ctx, text)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "The query would process %d bytes (%.2f GiB); nothing ran.\n", n, float64(n)/(1<<30))
		return nil
	}
	rr, err := bq.Query(ctx, text, ask.maxBytes)
	if err != nil {
		return err
	}
	defer rr.Release()
	return out.records(rr)
}

// localSQL runs text in DuckDB over the local warehouse at dir, with the
// views of sql/duckdb, and prints the rows; or lists or describes the
// tables and views.
func localSQL(ctx context.Context, e *env, dir, text string, list bool, describe string, out output) error {
	if err := warehouseError(dir, warehouse.CheckLocalWarehouse(dir)); err != nil {
		return err
	}
	db, err := duckdb.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer db.Close()
	if list || describe != "" {
		objs, err := db.Objects(ctx)
		if err != nil {
			return err
		}
		return out.objects(objs, describe)
	}
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
	s, err := out.sink(names)
	if err != nil {
		rows.Close()
		return err
	}
	cells := make([]cell, len(types))
	err = duckdb.Each(rows, func(vals []any) error {
		for i, v := range vals {
			cells[i] = duckdbCell(v, types[i].DatabaseTypeName())
		}
		return s.row(cells)
	})
	if err != nil {
		return err
	}
	return s.close()
}

// output is where and how pqi sql prints.
type output struct {
	w       io.Writer
	format  string
	maxRows int
}

func (o output) sink(names []string) (sink, error) { return newSink(o.w, o.format, names, o.maxRows) }

// objects prints the list of tables and views, or, given a name, that
// one's columns; an unknown name is a usage error naming the nearest.
func (o output) objects(objs []warehouse.Object, name string) error {
	if name == "" {
		s, err := o.sink([]string{"name", "kind", "columns", "description"})
		if err != nil {
			return err
		}
		for _, ob := range objs {
			if err := s.row([]cell{textCell(ob.Name), textCell(ob.Kind), {text: strconv.Itoa(len(ob.Columns)), kind: cellNumber}, textCell(ob.Description)}); err != nil {
				return err
			}
		}
		return s.close()
	}
	var names []string
	for _, ob := range objs {
		if ob.Name != name {
			names = append(names, ob.Name)
			continue
		}
		if o.format == "text" {
			fmt.Fprintf(o.w, "%s (%s): %s\n\n", ob.Name, ob.Kind, ob.Description)
		}
		s, err := o.sink([]string{"column", "type", "description"})
		if err != nil {
			return err
		}
		for _, c := range ob.Columns {
			if err := s.row([]cell{textCell(c.Name), textCell(c.Type), textCell(c.Description)}); err != nil {
				return err
			}
		}
		return s.close()
	}
	return usagef("--describe %s: the warehouse has no table or view of that name%s; --list lists them", name, didYouMean(name, names, ""))
}

// records prints an Arrow reader (BigQuery's results).
func (o output) records(rr array.RecordReader) error {
	names := make([]string, rr.Schema().NumFields())
	for i, f := range rr.Schema().Fields() {
		names[i] = f.Name
	}
	s, err := o.sink(names)
	if err != nil {
		return err
	}
	cells := make([]cell, len(names))
	for rr.Next() {
		rec := rr.Record()
		for r := 0; r < int(rec.NumRows()); r++ {
			for c := range cells {
				cells[c] = arrowCell(rec.Column(c), r)
			}
			if err := s.row(cells); err != nil {
				return err
			}
		}
	}
	if err := rr.Err(); err != nil {
		return err
	}
	return s.close()
}

// arrowCell is row r of an Arrow column as a cell.
func arrowCell(col arrow.Array, r int) cell {
	if col.IsNull(r) {
		return cell{}
	}
	switch c := col.(type) {
	case *array.Float64:
		return floatCell(c.Value(r))
	case *array.Float32:
		return floatCell(float64(c.Value(r)))
	case *array.Int64, *array.Int32, *array.Int16, *array.Int8, *array.Uint64, *array.Uint32, *array.Decimal128, *array.Decimal256:
		return cell{text: col.ValueStr(r), kind: cellNumber}
	case *array.Boolean:
		return cell{text: col.ValueStr(r), kind: cellBool}
	}
	return textCell(col.ValueStr(r))
}

// duckdbCell is a value scanned from DuckDB, of type dbType, as a cell.
func duckdbCell(v any, dbType string) cell {
	switch x := v.(type) {
	case nil:
		return cell{}
	case float64:
		return floatCell(x)
	case float32:
		return floatCell(float64(x))
	case bool:
		return cell{text: strconv.FormatBool(x), kind: cellBool}
	}
	switch {
	case strings.HasPrefix(dbType, "DECIMAL"), strings.HasSuffix(dbType, "INT"), strings.HasSuffix(dbType, "INTEGER"):
		return cell{text: duckdb.Text(v, dbType), kind: cellNumber}
	}
	return textCell(duckdb.Text(v, dbType))
}
