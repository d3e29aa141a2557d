package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/bucket"
	"github.com/partnerq/pqi/functions/report"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

// reportFlags are the flags every command that writes the board report
// takes.
type reportFlags struct {
	company, pageSize *string
}

func addReportFlags(fs *flag.FlagSet) reportFlags {
	return reportFlags{
		company:  fs.String("company", "Partner ecosystem", "company name for the report's cover and footer"),
		pageSize: fs.String("page-size", "a4", "page size of the report: a4 or letter"),
	}
}

func cmdReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report", "--warehouse WH --out FILE.pdf [--as-of YYYY-MM-DD] [--config FILE] [--company NAME] [--page-size a4|letter]")
	wh := fs.String("warehouse", "", "warehouse: a directory (Parquet tables) or bq://project/dataset")
	asOf := e.asOfFlag(fs, "quarter-end date reported (scored first)")
	out := fs.String("out", "", "PDF file to write")
	conf := fs.String("config", "", "the scoring configuration the scores were computed with; default: the one the score run recorded")
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
	sum, err := writeReport(ctx, e, *wh, *out, schema.Day(day), given(*conf, settings), rf)
	if err != nil {
		return err
	}
	printReport(e, sum, *out)
	return nil
}

// writeReport renders the board report of asOf into the file out,
// replacing it only once the whole PDF is written (bucket.Put).
func writeReport(ctx context.Context, e *env, wh, out string, asOf schema.Day, settings *settings.Settings, rf reportFlags) (report.Summary, error) {
	size, err := pdf.ParseSize(*rf.pageSize)
	if err != nil {
		return report.Summary{}, usagef("--page-size: %v", err)
	}
	w, err := openExisting(ctx, wh)
	if err != nil {
		return report.Summary{}, err
	}
	defer w.Close()
	var pdfBytes bytes.Buffer
	sum, err := report.Run(ctx, report.Config{AsOf: asOf, Company: *rf.company, PageSize: size, Settings: settings, CodeVersion: codeVersion()},
		report.Deps{Deps: warehouse.Deps{Warehouse: w, Alloc: memory.DefaultAllocator, Log: e.log}, Output: &pdfBytes})
	if err != nil {
		return sum, err
	}
	dir, err := bucket.Open(filepath.Dir(out), nil)
	if err != nil {
		return sum, err
	}
	return sum, dir.Put(ctx, filepath.Base(out), pdfBytes.Bytes(), "application/pdf")
}

func printReport(e *env, sum report.Summary, out string) {
	fmt.Fprintf(e.stdout, "Board report for %s (%d partners, run %s): %s (%.0f kB)\n",
		schema.QuarterLabel(sum.AsOf.Quarter()), sum.Partners, sum.RunID, out, float64(sum.Bytes)/1024)
	if len(sum.Missing) > 0 {
		fmt.Fprintf(e.stdout, "  not measured: %s (the data-quality page says why)\n", strings.Join(sum.Missing, ", "))
	}
}

// defaultReportPath is where run and demo write the report: beside a
// local warehouse directory, or in the working directory for BigQuery.
func defaultReportPath(wh string, asOf schema.Day) string {
	name := "board-report-" + schema.QuarterLabel(asOf.Quarter()) + ".pdf"
	if strings.Contains(wh, "://") {
		return name
	}
	return filepath.Join(filepath.Dir(filepath.Clean(wh)), name)
}
