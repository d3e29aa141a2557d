package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/bucket"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	"github.com/partnerq/pqi/transforms/schema"
)

func cmdIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "--in DIR --warehouse DIR [--as-of YYYY-MM-DD] [--mappings DIR]")
	in := fs.String("in", "", "folder holding the exports (<source>.csv|.jsonl|.parquet), or s3://BUCKET/PREFIX")
	wh := fs.String("warehouse", "", "warehouse directory (Parquet tables)")
	asOf := e.asOfFlag(fs, "quarter-end date being loaded")
	mappings := fs.String("mappings", "", "folder of mapping files (*.yaml, docs/mapping.md); default: the mappings folder inside --in")
	batch := fs.Int("batch-rows", 8192, "rows per Arrow batch")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" || *wh == "" {
		return usagef("--in and --warehouse are required")
	}
	day, err := asOf.day()
	if err != nil {
		return err
	}
	sum, err := ingestDir(ctx, e, *in, *wh, *mappings, day, day, *batch)
	if err != nil {
		return err
	}
	printIngest(e.stdout, sum, *wh)
	return nil
}

// ingestDir loads the exports in for asOf; knownBy after asOf loads it
// point in time from exports taken at knownBy (history).
func ingestDir(ctx context.Context, e *env, in, wh, mappings string, asOf, knownBy schema.Day, batch int) (ingest.Summary, error) {
	exports, err := openExports(ctx, in)
	if err != nil {
		return ingest.Summary{}, err
	}
	cfg := ingest.Config{AsOf: asOf, KnownBy: knownBy, Exports: exports.FS, ExportsName: in, CodeVersion: codeVersion(), BatchRows: batch}
	if mappings != "" && strings.HasPrefix(in, bucket.Scheme) {
		return ingest.Summary{}, usagef("--mappings with an s3:// --in: put the mapping files in the export prefix's mappings/ folder")
	}
	if mappings != "" {
		dir, err := mappingsDir(in, mappings)
		if err != nil {
			return ingest.Summary{}, err
		}
		cfg.Mappings, cfg.MappingsName = os.DirFS(dir), dir
	}
	w, err := openWarehouse(ctx, wh)
	if err != nil {
		return ingest.Summary{}, err
	}
	defer w.Close()
	p := newProgress(e)
	defer p.done()
	// BigQuery sources run their jobs with the warehouse's client, or, on
	// the local warehouse, with one of Application Default Credentials.
	var own *bigquery.Sources
	defer func() { own.Close() }()
	sourceQuerier := func(ctx context.Context, project string) (sources.Querier, error) {
		if s := bigquery.SourcesOf(w); s != nil {
			return s, nil
		}
		var err error
		own, err = bigquery.NewSources(ctx, project)
		return own, err
	}
	return ingest.Run(ctx, cfg, ingest.Deps{Deps: warehouse.Deps{Warehouse: w, Alloc: memory.DefaultAllocator, Log: e.log}, Progress: p.update, BigQuery: sourceQuerier})
}

func printIngest(w io.Writer, sum ingest.Summary, wh string) {
	fmt.Fprintf(w, "Ingested as of %s (run %s)\n", sum.AsOf.String(), sum.RunID)
	printPublished(w, sum.AsOf, sum.RunID, sum.Published)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "source\tfiles\trows read\taccepted\tquarantined\tblank\ttable rows\t")
	var tr, ta, tq, tb, tt int64
	for _, s := range sum.Sources {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", s.Source, len(s.Files), s.Read, s.Accepted, s.Quarantined, s.Blank, s.Rows)
		tr, ta, tq, tb, tt = tr+s.Read, ta+s.Accepted, tq+s.Quarantined, tb+s.Blank, tt+s.Rows
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%d\t%d\t\n", tr, ta, tq, tb, tt)
	tw.Flush()
	if tq > 0 {
		fmt.Fprintln(w, "\nTop quarantine reasons (reason_code: rows):")
		for _, s := range sum.Sources {
			if len(s.Reasons) == 0 {
				continue
			}
			var top []string
			for _, r := range s.Reasons[:min(3, len(s.Reasons))] {
				top = append(top, fmt.Sprintf("%s %d", r.Code, r.Rows))
			}
			more := ""
			if len(s.Reasons) > 3 {
				more = fmt.Sprintf(" (+%d more codes)", len(s.Reasons)-3)
			}
			fmt.Fprintf(w, "  %-14s %s%s\n", s.Source, strings.Join(top, ", "), more)
		}
	}
	if tt < ta {
		fmt.Fprintln(w, "(a mapping's grain merged export rows: table rows count the merged rows)")
	}
	for _, m := range sum.Missing {
		fmt.Fprintf(w, "\nno %s export: the %s table is empty", m, m)
	}
	fmt.Fprintf(w, "\nTables: %s (%s)\n", tablesAt(wh, "<table>", sum.AsOf), strings.Join(sum.Tables, ", "))
	if tq > 0 {
		fmt.Fprintf(w, "Rejected rows and reasons: %s\n", tablesAt(wh, schema.Quarantine, sum.AsOf))
	}
}

// openExports opens --in: a local folder, or an S3 prefix
// (s3://BUCKET/PREFIX, with the AWS credentials of the environment).
func openExports(ctx context.Context, in string) (*bucket.Bucket, error) {
	if !strings.HasPrefix(in, bucket.Scheme) && !strings.Contains(in, "://") {
		if st, err := os.Stat(in); err != nil || !st.IsDir() {
			return nil, usagef("--in %s is not a directory", in)
		}
	}
	return openBucket(ctx, "--in", in)
}

// openBucket opens a flag's folder or s3://BUCKET/PREFIX (with the AWS
// credentials of the environment).
func openBucket(ctx context.Context, flag, spec string) (*bucket.Bucket, error) {
	if !strings.HasPrefix(spec, bucket.Scheme) {
		if strings.Contains(spec, "://") {
			return nil, usagef("%s %s: use a folder or %sBUCKET/PREFIX", flag, spec, bucket.Scheme)
		}
		return bucket.Open(spec, nil)
	}
	c, _, err := bucket.NewS3Client(ctx)
	if err != nil {
		return nil, err
	}
	b, err := bucket.Open(spec, c)
	if err != nil {
		return nil, usagef("%s: %v", flag, err)
	}
	return b, nil
}

// mappingsDir is the folder --mappings names: a path on disk, or, when no
// such folder exists, one inside --in (how earlier versions read it). A
// folder holding no mapping file is a usage error.
func mappingsDir(in, mappings string) (string, error) {
	for _, dir := range []string{mappings, filepath.Join(in, mappings)} {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			entries, err := os.ReadDir(dir)
			if err != nil {
				return "", usagef("--mappings: %v", err)
			}
			for _, e := range entries {
				if !e.IsDir() && sources.IsMappingName(e.Name()) {
					return dir, nil
				}
			}
			return "", usagef("--mappings %s holds no mapping files (*.yaml, *.yml); fix: give the folder that holds them (docs/mapping.md), or leave --mappings out to use the mappings folder inside --in", dir)
		}
	}
	return "", usagef("--mappings %s is not a folder (nor is %s); fix: give --mappings the folder that holds the mapping files (*.yaml)", mappings, filepath.Join(in, mappings))
}

// tablesAt says where a table's as-of partition is, for the summaries.
func tablesAt(wh, table string, asOf schema.Day) string {
	if strings.HasPrefix(wh, bigquery.Scheme) {
		return fmt.Sprintf("%s %s WHERE as_of_date = '%s'", wh, table, asOf.String())
	}
	abs, err := filepath.Abs(wh)
	if err != nil {
		abs = wh
	}
	return fmt.Sprintf("%s/as_of=%s/", filepath.Join(abs, table), asOf.String())
}
