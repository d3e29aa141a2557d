package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/partnerq/pqi/functions/warehouse"
)

func cmdRuns(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "runs", "--warehouse DIR|bq://PROJECT/DATASET")
	wh := fs.String("warehouse", "", "warehouse directory, or bq://PROJECT/DATASET")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *wh == "" {
		return usagef("--warehouse is required")
	}
	w, err := openExisting(ctx, *wh)
	if err != nil {
		return err
	}
	defer w.Close()
	runs, err := warehouse.AllRuns(ctx, w)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "started (UTC)\tjob\tas of\trun id\toutcome\tduration\treplaced\terror")
	for _, r := range runs {
		replaced := r.Replaced
		switch replaced {
		case "":
			replaced = "-"
		case r.RunID:
			replaced = "itself (same inputs)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.StartedAt.UTC().Format("2006-01-02 15:04:05"), r.Job,
			r.AsOf.String(), r.RunID, r.Outcome, r.FinishedAt.Sub(r.StartedAt).Round(1e6), replaced, r.Error)
	}
	return tw.Flush()
}
