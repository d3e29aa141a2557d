package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/transforms/schema"
)

// demoAsOf is the demo's own as-of date: the demo is the same on any day.
const demoAsOf = "2026-09-30"

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[--dir DIR] [--partners N] [--seed S] [--quarters N]")
	dir := fs.String("dir", "demo", "directory for the demo's exports, truth and warehouse")
	partners := fs.Int("partners", 500, "number of partners to generate")
	seed := fs.Uint64("seed", 1, "random seed")
	bad := fs.Float64("bad-rows", 0.01, "share of deliberately broken rows, to show quarantine at work")
	quarters := fs.Int("quarters", 8, "quarters to score, ending 2026-09-30, each rebuilt point in time from the same exports")
	rf := addReportFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	day, _ := schema.ParseDay(demoAsOf)
	exports := filepath.Join(*dir, "exports")
	wh := filepath.Join(*dir, "warehouse")
	e.log.Info("generating a synthetic ecosystem", "partners", *partners, "seed", *seed, "dir", exports)
	g, err := gen.Run(ctx, gen.Config{
		Partners: *partners, Seed: *seed, Quarters: 8, AsOf: day.Time(), DealsPerPartner: 40,
		BadRows: *bad, Format: "csv", Out: exports, TruthDir: filepath.Join(*dir, "truth"),
	})
	if err != nil {
		return fmt.Errorf("generating: %w", err)
	}
	fmt.Fprintf(e.stdout, "Generated %d partners and %d deals in %s\n\n", g.Partners, g.Deals, exports)
	settings, err := settings.Default()
	if err != nil {
		return err
	}
	if err := history(ctx, e, exports, wh, "", day, *quarters, settings); err != nil {
		return err
	}
	sum, err := ingestDir(ctx, e, exports, wh, "", day, day, 8192)
	if err != nil {
		return err
	}
	printIngest(e.stdout, sum, wh)
	fmt.Fprintln(e.stdout)
	ssum, err := scoreWarehouse(ctx, e, wh, day, settings)
	if err != nil {
		return err
	}
	printScore(e.stdout, ssum, wh)
	fmt.Fprintln(e.stdout)
	out := defaultReportPath(wh, day)
	rsum, err := writeReport(ctx, e, wh, out, day, &settings, rf)
	if err != nil {
		return err
	}
	printReport(e, rsum, out)
	return nil
}
