package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

func cmdScore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "score", "--warehouse DIR [--as-of YYYY-MM-DD] [--config FILE]")
	wh := fs.String("warehouse", "", "warehouse directory (Parquet tables)")
	asOf := e.asOfFlag(fs, "quarter-end date being scored (ingested first)")
	conf := fs.String("config", "", "scoring configuration YAML (default: the built-in one; see --print-config)")
	printConf := fs.Bool("print-config", false, "print the built-in configuration and exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *printConf {
		_, err := e.stdout.Write(settings.DefaultYAML())
		return err
	}
	if *wh == "" {
		return usagef("--warehouse is required")
	}
	day, settings, err := dateAndSettings(asOf, *conf)
	if err != nil {
		return err
	}
	sum, err := scoreWarehouse(ctx, e, *wh, schema.Day(day), settings)
	if err != nil {
		return err
	}
	printScore(e.stdout, sum, *wh)
	return nil
}

// dateAndSettings reads --as-of and --config, for the commands that score
// or report.
func dateAndSettings(a asOf, conf string) (int32, settings.Settings, error) {
	day, err := a.day()
	if err != nil {
		return 0, settings.Settings{}, err
	}
	s, err := loadSettings(conf)
	return int32(day), s, err
}

// given is the settings of --config for the report and the scorecards:
// nil when none was given, so they take the ones the score run recorded.
func given(conf string, s settings.Settings) *settings.Settings {
	if conf == "" {
		return nil
	}
	return &s
}

// loadSettings reads --config ("" = the built-in settings); a file that
// cannot be read is a usage error, one that is not valid a failed run.
func loadSettings(path string) (settings.Settings, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return settings.Settings{}, usagef("--config: %v", err)
		}
	}
	return settings.Load(path)
}

func scoreWarehouse(ctx context.Context, e *env, wh string, asOf schema.Day, settings settings.Settings) (score.Summary, error) {
	w, err := openExisting(ctx, wh)
	if err != nil {
		return score.Summary{}, err
	}
	defer w.Close()
	return score.Run(ctx, score.NewConfig(asOf, settings, codeVersion()),
		score.Deps{Warehouse: w, Alloc: memory.DefaultAllocator, Log: e.log})
}

func printScore(w io.Writer, sum score.Summary, wh string) {
	fmt.Fprintf(w, "Scored %d partners as of %s (run %s)\n", sum.Partners, sum.AsOf.String(), sum.RunID)
	printPublished(w, sum.AsOf, sum.RunID, sum.Published)
	fmt.Fprintf(w, "%d scored, %d with insufficient evidence, %d indistinguishable from expected (neither ranked)\n", sum.Scored, sum.Insufficient, sum.Indistinguishable)
	printMeasured(w, sum)
	fmt.Fprintln(w)
	if len(sum.Top) > 0 {
		fmt.Fprintln(w, "Top partners by PQI (90% interval):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  rank\tpartner\tpeer group\tPQI\tinterval\tpeer rank")
		for _, t := range sum.Top {
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%.1f\t%.1f-%.1f\t%d\n", t.Rank, t.PartnerID, t.PeerGroup, t.PQI, t.Low, t.High, t.PeerRank)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Interventions: %d\n", sum.Interventions)
	byTrigger := map[string]int{}
	for _, f := range sum.Flags {
		byTrigger[f.Trigger+" / "+f.Outlook]++
	}
	for _, trig := range schema.InterventionTriggers {
		for _, out := range schema.Outlooks {
			if n := byTrigger[trig+" / "+out]; n > 0 {
				fmt.Fprintf(w, "  %-20s %-9s %d\n", trig, out, n)
			}
		}
	}
	shown := 0
	for _, f := range sum.Flags {
		if f.Severity != "high" || shown == 5 {
			continue
		}
		if shown == 0 {
			fmt.Fprintln(w, "  most severe:")
		}
		fmt.Fprintf(w, "  - %s %s (%s): %s\n", f.PartnerID, f.Trigger, f.Outlook, f.Evidence)
		shown++
	}
	fmt.Fprintf(w, "Registration conflicts: %d (a second partner registered a customer inside another's protection period; listed in registration_conflicts for review)\n", sum.Conflicts)
	printApplicants(w, sum)
	printFinance(w, sum.Segments)
	fmt.Fprintf(w, "\nTables: %s (%s)\n", tablesAt(wh, "<table>", sum.AsOf), strings.Join(sum.Tables, ", "))
	fmt.Fprintln(w, "How each number is computed: docs/methodology.md")
}

// printApplicants lists the applications assessed in the as-of quarter
// with their bands (every application is in the qualification table).
func printApplicants(w io.Writer, sum score.Summary) {
	q := sum.AsOf.Quarter()
	var these []quality.Applicant
	bands := make([]int, len(schema.IntakeBands))
	for _, a := range sum.Applicants {
		if a.Assessed.Quarter() == q {
			these = append(these, a)
			bands[a.Result.Band]++
		}
	}
	label := schema.QuarterLabel(q)
	if len(these) == 0 {
		fmt.Fprintf(w, "Applicants assessed in %s: none (%d applications in the qualification table)\n", label, len(sum.Applicants))
		return
	}
	var counts []string
	for b, n := range bands {
		if n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", schema.IntakeBand(b), n))
		}
	}
	fmt.Fprintf(w, "Applicants assessed in %s: %d (%s)\n", label, len(these), strings.Join(counts, ", "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, a := range these {
		missing := ""
		if len(a.Result.Missing) > 0 {
			missing = "not scored: " + strings.Join(a.Result.Missing, ", ")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d/%d\t%s\t%s\n", a.ID, a.Name, a.Assessed.String(), a.Result.Total, a.Result.Max, a.Result.Band, missing)
	}
	tw.Flush()
}

// printMeasured says which components the data measured and, in one line
// each, what the missing ones cost.
func printMeasured(w io.Writer, sum score.Summary) {
	var measured []string
	for _, c := range sum.Components {
		if c.Status == schema.Measured {
			measured = append(measured, c.Component.String())
		}
	}
	fmt.Fprintf(w, "Measured %d of %d components: %s\n", len(measured), len(sum.Components), strings.Join(measured, ", "))
	for _, n := range sum.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// printFinance is the finance summary: per long-tail segment over the
// window, cost to serve, commission (part of cost when exported, an
// estimate apart from it), pipeline created, won revenue, and the pooled
// difference-in-differences return on one more dollar with its interval.
func printFinance(w io.Writer, segs []score.SegmentLine) {
	if len(segs) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFinance: cost to serve and pipeline lift by long-tail segment (whole window)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  segment\tpartner-quarters\tcost to serve\tcommission\tpipeline created\twon revenue\tlift per extra $ (90% CI)\t")
	for _, s := range segs {
		lift := "insufficient evidence"
		switch s.State {
		case schema.ROIEstimated.String():
			lift = fmt.Sprintf("%.2f (%.2f to %.2f)", s.MarginalROI, s.MarginalLow, s.MarginalHigh)
		case schema.ROINotInvested.String():
			lift = "no step-up to measure"
		case schema.ROINotMeasured.String():
			lift = "not measured: no cost_to_serve export"
		}
		commission := "not exported"
		switch s.CommissionBasis {
		case schema.CommissionExported.String():
			commission = usd(s.CommissionUSD)
		case schema.CommissionEstimated.String():
			commission = "~" + usd(s.CommissionUSD)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", s.Segment, s.PartnerQuarters, usd(s.CostUSD), commission, usd(s.PipelineUSD), usd(s.WonUSD), lift)
	}
	tw.Flush()
	switch segs[0].CommissionBasis {
	case schema.CommissionExported.String():
		fmt.Fprintln(w, "  commission: exported in cost_to_serve, part of cost to serve")
	case schema.CommissionEstimated.String():
		fmt.Fprintln(w, "  commission: ~ an estimate (configured tier rates x attributed won revenue, no commission exported), not in cost to serve")
	default:
		fmt.Fprintln(w, "  commission: not exported and no commission_rates configured; cost to serve leaves it out")
	}
}

// usd renders an amount compactly: $12.3M, $450.0k, $900; "not measured"
// for an unknown (NaN) amount.
func usd(v float64) string {
	switch {
	case math.IsNaN(v):
		return "not measured"
	case v >= 1e6:
		return fmt.Sprintf("$%.1fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("$%.1fk", v/1e3)
	}
	return fmt.Sprintf("$%.0f", v)
}
