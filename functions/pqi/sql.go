package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
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
	local := !bigquery.IsSpec(*wh)
	if local && (*deploy || *dryRun) {
		return usagef("--deploy and --dry-run are for BigQuery; on the local warehouse pqi sql creates the views of sql/duckdb in memory for each query")
	}
	return runSQL(ctx, e, *wh, text, sqlAsk{deploy: *deploy, list: *list, describe: *describe, dryRun: *dryRun, maxBytes: *maxBytes}, out)
}

// sqlAsk is what pqi sql was asked to do besides a query.
type sqlAsk struct {
	deploy, list, dryRun bool
	describe             string
	maxBytes             int64
}

// runSQL deploys the dataset, lists or describes the warehouse's objects,
// dry runs text or runs it, through the warehouse's analyst surface: on
// BigQuery the dataset's views, on the local warehouse DuckDB over the
// views of sql/duckdb.
func runSQL(ctx context.Context, e *env, spec, text string, ask sqlAsk, out output) error {
	openWh := openExisting
	if ask.deploy {
		openWh = openWarehouse // --deploy creates the dataset
	}
	w, err := openWh(ctx, spec)
	if err != nil {
		return err
	}
	defer w.Close()
	a, ok := w.Analyst()
	if !ok {
		return usagef("--warehouse %s does not answer SQL", spec)
	}
	switch {
	case ask.deploy:
		said, err := a.Deploy(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, said)
		return nil
	case ask.list || ask.describe != "":
		objs, err := a.Objects(ctx)
		if err != nil {
			return err
		}
		return out.objects(objs, ask.describe)
	case ask.dryRun:
		n, err := a.DryRun(ctx, text)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "The query would process %d bytes (%.2f GiB); nothing ran.\n", n, float64(n)/(1<<30))
		return nil
	}
	if u, ok := w.Warehouse.(interface{ Unpartitioned() ([]string, error) }); ok {
		if empty, err := u.Unpartitioned(); err == nil && len(empty) > 0 {
			sort.Strings(empty)
			fmt.Fprintf(e.stderr, "No partition yet of %s: read as empty tables.\n", strings.Join(empty, ", "))
		}
	}
	rr, err := a.Query(ctx, text, ask.maxBytes)
	if err != nil {
		return err
	}
	defer rr.Release()
	return out.records(rr)
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

// records prints an Arrow reader (a query's result).
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
	case *array.Decimal128:
		scale := c.DataType().(*arrow.Decimal128Type).Scale
		return cell{text: c.Value(r).ToString(scale), kind: cellNumber}
	case *array.Int64, *array.Int32, *array.Int16, *array.Int8, *array.Uint64, *array.Uint32, *array.Decimal256:
		return cell{text: col.ValueStr(r), kind: cellNumber}
	case *array.Date32:
		return textCell(c.Value(r).FormattedString())
	case *array.Timestamp:
		unit := c.DataType().(*arrow.TimestampType).Unit
		return textCell(c.Value(r).ToTime(unit).UTC().Format(time.RFC3339Nano))
	case *array.Boolean:
		return cell{text: col.ValueStr(r), kind: cellBool}
	}
	return textCell(col.ValueStr(r))
}
