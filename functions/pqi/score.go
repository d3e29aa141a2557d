package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

func cmdScore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "score", "--warehouse DIR [--as-of YYYY-MM-DD] [--config FILE]")
	wh := fs.String("warehouse", "", "warehouse directory (Parquet tables)")
	asOf := fs.String("as-of", defaultAsOf, "quarter-end date being scored (ingested first)")
	conf := fs.String("config", "", "scoring configuration YAML (default: the built-in one; see --print-config)")
	printConf := fs.Bool("print-config", false, "print the built-in configuration and exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *printConf {
		_, err := e.stdout.Write(quality.DefaultConfigYAML())
		return err
	}
	if *wh == "" {
		return usagef("--warehouse is required")
	}
	day, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	cfg, err := loadQualityConfig(*conf)
	if err != nil {
		return err
	}
	sum, err := scoreWarehouse(ctx, e, *wh, day, cfg)
	if err != nil {
		return err
	}
	printScore(e.stdout, sum, *wh)
	return nil
}

// loadQualityConfig reads --config, or the built-in defaults when empty.
func loadQualityConfig(path string) (quality.Config, error) {
	if path == "" {
		return quality.DefaultConfig()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return quality.Config{}, usagef("--config: %v", err)
	}
	cfg, err := quality.ParseConfig(b)
	if err != nil {
		return quality.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

func scoreWarehouse(ctx context.Context, e *env, wh string, asOf int32, cfg quality.Config) (score.Summary, error) {
	w, err := warehouse.OpenLocal(wh, memory.DefaultAllocator)
	if err != nil {
		return score.Summary{}, err
	}
	return score.Run(ctx, score.Config{AsOf: asOf, Quality: cfg, CodeVersion: codeVersion()},
		score.Deps{Warehouse: w, Alloc: memory.DefaultAllocator, Log: e.log})
}

func printScore(w io.Writer, sum score.Summary, wh string) {
	fmt.Fprintf(w, "Scored %d partners as of %s (run %s)\n", sum.Partners, schema.FormatDate(sum.AsOf), sum.RunID)
	fmt.Fprintf(w, "%d scored, %d with insufficient evidence (not ranked)\n\n", sum.Scored, sum.Insufficient)
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
	for _, trig := range schema.InterventionTrigger {
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
	abs, err := filepath.Abs(wh)
	if err != nil {
		abs = wh
	}
	fmt.Fprintf(w, "\nTables: %s/<table>/as_of=%s/ (%s)\n", abs, schema.FormatDate(sum.AsOf), strings.Join(sum.Tables, ", "))
	fmt.Fprintln(w, "How each number is computed: docs/methodology.md")
}
