package main

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/report"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

func cmdScorecards(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "scorecards", "--warehouse WH --out DIR|s3://BUCKET/PREFIX [--as-of YYYY-MM-DD] [--config FILE] [--company NAME] [--page-size a4|letter] [--workers N]")
	wh := fs.String("warehouse", "", "warehouse: a directory (Parquet tables) or bq://project/dataset")
	asOf := e.asOfFlag(fs, "quarter-end date of the scores")
	out := fs.String("out", "", "folder or s3://BUCKET/PREFIX to write <partner_id>/scorecard-<quarter>.pdf under, one folder per partner")
	conf := fs.String("config", "", "the scoring configuration the scores were computed with; default: the one the score run recorded")
	workers := fs.Int("workers", 0, "scorecards rendered at once (default: one per CPU)")
	rf := addReportFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *wh == "" || *out == "" {
		return usagef("--warehouse and --out are required")
	}
	day, settings, err := dateAndSettings(asOf, *conf)
	if err != nil {
		return err
	}
	size, err := pdf.ParseSize(*rf.pageSize)
	if err != nil {
		return usagef("--page-size: %v", err)
	}
	dest, err := openBucket(ctx, "--out", *out)
	if err != nil {
		return err
	}
	w, err := openExisting(ctx, *wh)
	if err != nil {
		return err
	}
	defer w.Close()
	sum, err := report.Scorecards(ctx, report.ScorecardsConfig{AsOf: schema.Day(day), Company: *rf.company, PageSize: size, Settings: given(*conf, settings),
		CodeVersion: codeVersion(), Workers: *workers},
		report.ScorecardsDeps{
			Deps: warehouse.Deps{Warehouse: w, Alloc: memory.DefaultAllocator, Log: e.log},
			Put: func(ctx context.Context, name string, b []byte) error {
				return dest.Put(ctx, name, b, "application/pdf")
			},
		})
	if err != nil {
		return err
	}
	per := 0.0
	if sum.Partners > 0 {
		per = float64(sum.Duration.Milliseconds()) / float64(sum.Partners)
	}
	fmt.Fprintf(e.stdout, "Scorecards for %s: %d partners, %.0f kB, %.1f ms a scorecard (run %s), under %s\n",
		schema.QuarterLabel(schema.Day(day).Quarter()), sum.Partners, float64(sum.Bytes)/1024, per, sum.RunID, dest.Where("<partner_id>/"))
	return nil
}
