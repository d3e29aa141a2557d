package main

import (
	"context"
	"fmt"

	"github.com/partnerq/pqi/transforms/schema"
)

func cmdRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "--in DIR --warehouse DIR [--as-of YYYY-MM-DD] [--quarters N] [--mappings DIR] [--config FILE] [--report FILE.pdf]")
	in := fs.String("in", "", "folder holding the exports (<source>.csv|.jsonl|.parquet), or s3://BUCKET/PREFIX")
	wh := fs.String("warehouse", "", "warehouse directory (Parquet tables)")
	asOf := e.asOfFlag(fs, "quarter-end date being loaded and scored")
	mappings := fs.String("mappings", "", "folder of mapping files (*.yaml, docs/mapping.md); default: the mappings folder inside --in")
	conf := fs.String("config", "", "scoring configuration YAML (default: the built-in one)")
	out := fs.String("report", "", "board report PDF to write (default: board-report-<quarter>.pdf beside the warehouse directory)")
	quarters := fs.Int("quarters", 1, "quarters to score, ending with --as-of: the earlier ones are rebuilt point in time from the same exports (history for the trend)")
	rf := addReportFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" || *wh == "" {
		return usagef("--in and --warehouse are required")
	}
	day, settings, err := dateAndSettings(asOf, *conf)
	if err != nil {
		return err
	}
	if err := history(ctx, e, *in, *wh, *mappings, schema.Day(day), *quarters, settings); err != nil {
		return err
	}
	isum, err := ingestDir(ctx, e, *in, *wh, *mappings, schema.Day(day), schema.Day(day), 8192)
	if err != nil {
		return err
	}
	printIngest(e.stdout, isum, *wh)
	fmt.Fprintln(e.stdout)
	ssum, err := scoreWarehouse(ctx, e, *wh, schema.Day(day), settings)
	if err != nil {
		return err
	}
	printScore(e.stdout, ssum, *wh)
	fmt.Fprintln(e.stdout)
	if *out == "" {
		*out = defaultReportPath(*wh, schema.Day(day))
	}
	rsum, err := writeReport(ctx, e, *wh, *out, schema.Day(day), &settings, rf)
	if err != nil {
		return err
	}
	printReport(e, rsum, *out)
	return nil
}
