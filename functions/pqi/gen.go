package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/partnerq/pqi/functions/gen"
)

func cmdGen(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "gen", "--out DIR [--partners N] [--seed S] [--quarters Q] [--as-of DATE] [--bad-rows F]")
	out := fs.String("out", "", "directory to write the exports to")
	truth := fs.String("truth", "", "directory for the hidden truth (default OUT/truth; never ingested)")
	partners := fs.Int("partners", 500, "number of partners")
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same files")
	quarters := fs.Int("quarters", 8, "quarters of history ending at --as-of")
	asOf := e.asOfFlag(fs, "quarter-end date the history ends at")
	deals := fs.Float64("deals-per-partner", 40, "mean deals per partner over the history")
	bad := fs.Float64("bad-rows", 0, "share of rows per file deliberately broken (e.g. 0.01)")
	format := fs.String("format", "csv", "file format: csv or jsonl")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	day, err := asOf.day()
	if err != nil {
		return err
	}
	sum, err := gen.Run(ctx, gen.Config{
		Partners: *partners, Seed: *seed, Quarters: *quarters, AsOf: day.Time(),
		DealsPerPartner: *deals, BadRows: *bad, Format: *format, Out: *out, TruthDir: *truth,
	})
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(*out)
	fmt.Fprintf(e.stdout, "Generated %d partners and %d deals in %s\n", sum.Partners, sum.Deals, abs)
	return nil
}
