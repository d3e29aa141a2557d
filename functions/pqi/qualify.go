package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/partnerq/pqi/functions/qualify"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

func cmdQualify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "qualify", "--file APPLICATIONS.csv [--config FILE]")
	file := fs.String("file", "", "applications CSV: applicant_id, applicant_name, assessed_date, assessor, one column per rubric criterion "+
		"scored 0-3, and optional <criterion>_evidence notes")
	conf := fs.String("config", "", "scoring configuration YAML whose intake rubric to apply (default: the built-in one)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return usagef("--file is required")
	}
	if _, err := os.Stat(*file); err != nil {
		return usagef("--file: %v", err)
	}
	settings, err := loadSettings(*conf)
	if err != nil {
		return err
	}
	r := settings.Quality.Intake
	res, err := qualify.File(*file, r)
	if err != nil {
		return err
	}
	printQualify(e.stdout, res, r)
	if n := len(res.Rejected); n > 0 {
		return fmt.Errorf("%d of %d applications in %s rejected (listed above); fix those rows and run again",
			n, n+len(res.Applications), res.File)
	}
	return nil
}

func printQualify(w io.Writer, res qualify.Result, r quality.Rubric) {
	b := r.Bands
	apps := fmt.Sprintf("%d applications", len(res.Applications))
	if len(res.Applications) == 1 {
		apps = "1 application"
	}
	fmt.Fprintf(w, "Qualification of %s in %s: %d criteria, maximum %d points; %s %d+, %s %d-%d, %s %d-%d, %s under %d\n",
		apps, res.File, len(r.Criteria), r.Max(), schema.BandTier1, b.Tier1, schema.BandStandard, b.Standard, b.Tier1-1,
		schema.BandProbationary, b.Probationary, b.Standard-1, schema.BandDecline, b.Probationary)
	if len(res.Absent) > 0 {
		fmt.Fprintf(w, "  no column for %s: every application is incomplete until it is scored\n", strings.Join(res.Absent, ", "))
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintf(w, "  ignored columns (not in the rubric): %s\n", strings.Join(res.Ignored, ", "))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "applicant\tname\tassessed\tassessor\ttotal\tband\tmissing")
	for _, a := range res.Applications {
		assessed := ""
		if a.Assessed != schema.Day(schema.NoDate) {
			assessed = a.Assessed.String()
		}
		missing := strings.Join(a.Result.Missing, ", ")
		if len(a.Result.Missing) > 0 {
			lo, hi := r.Band(a.Result.Total), r.Band(r.Reach(a.Result))
			if lo == hi {
				missing += fmt.Sprintf(" (%s whatever it scores)", lo)
			} else {
				missing += fmt.Sprintf(" (%d-%d when scored: %s to %s)", a.Result.Total, r.Reach(a.Result), lo, hi)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\n", a.ID, a.Name, assessed, a.Assessor, a.Result.Total, a.Result.Max, a.Result.Band, missing)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nPoints per criterion (score x weight):")
	for _, a := range res.Applications {
		var parts []string
		for i, c := range r.Criteria {
			p := "not scored"
			if pts := a.Result.Points[i]; pts >= 0 {
				p = fmt.Sprintf("%d x%d = %d", pts/c.Weight, c.Weight, pts)
			}
			if ev := a.Evidence[i]; ev != "" {
				p += " (" + ev + ")"
			}
			parts = append(parts, c.Name+" "+p)
		}
		fmt.Fprintf(w, "  %s: %s\n", a.ID, strings.Join(parts, "; "))
	}
	if len(res.Rejected) > 0 {
		fmt.Fprintf(w, "\nRejected (not scored, %d):\n", len(res.Rejected))
		for _, rj := range res.Rejected {
			fmt.Fprintf(w, "  %s: %s\n", res.File, rj)
		}
	}
}
