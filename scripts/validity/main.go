// Command validity measures the PQI against the generator's planted truth
// over several seeds and prints, per seed and as mean (min-max), the
// figures docs/methodology.md reports: Spearman with true quality (and of
// the naive scorecard and the unadjusted ablation), low-evidence partners in
// the extreme deciles, the insufficient-evidence share, interval coverage per component,
// intervention precision and recall, and demotions. It measures; the bars
// live in functions/validity's TestValidity.
//
//	go run ./scripts/validity --partners 2000 --deals-per 40 --seeds 1,2,3,4,5
//	go run ./scripts/validity --config my.yaml   # a pqi score --config file to compare
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/validity"
)

func main() {
	partners := flag.Int("partners", 2000, "partners per ecosystem")
	dealsPer := flag.Float64("deals-per", 40, "mean deals per partner over the two generated years")
	seeds := flag.String("seeds", "1,2,3,4,5", "generator seeds, comma-separated")
	equal := flag.Bool("equal", false, "the null ecosystem: every partner truly equal, so every flag is a false alarm (compare <trigger>_share with <trigger>_stated)")
	config := flag.String("config", "", "scoring configuration file (default: the built-in defaults)")
	flag.Parse()
	if err := run(*partners, *dealsPer, *seeds, *config, *equal); err != nil {
		fmt.Fprintln(os.Stderr, "validity:", err)
		os.Exit(1)
	}
}

func run(partners int, dealsPer float64, seedList, config string, equal bool) error {
	set, err := settings.Load(config) // the file pqi score --config reads
	if err != nil {
		return err
	}
	cfg := set.Quality
	var rows []validity.Figures
	for _, s := range strings.Split(seedList, ",") {
		seed, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("--seeds: %q is not a seed", s)
		}
		dir, err := os.MkdirTemp("", "validity-")
		if err != nil {
			return err
		}
		f, err := validity.Measure(context.Background(), validity.Params{Partners: partners, Seed: seed, DealsPer: dealsPer, Quality: cfg, Dir: dir, Equal: equal})
		os.RemoveAll(dir)
		if err != nil {
			return fmt.Errorf("seed %d: %w", seed, err)
		}
		rows = append(rows, f)
		fmt.Printf("seed %d: %s\n", seed, line(f))
	}
	fmt.Println()
	fmt.Println("| figure | mean | min | max |")
	fmt.Println("|---|---|---|---|")
	for _, m := range metrics(rows[0]) {
		var sum, lo, hi float64
		for i, f := range rows {
			v := valueOf(f, m)
			sum += v
			if i == 0 || v < lo {
				lo = v
			}
			if i == 0 || v > hi {
				hi = v
			}
		}
		fmt.Printf("| %s | %.3f | %.3f | %.3f |\n", m, sum/float64(len(rows)), lo, hi)
	}
	return nil
}

func line(f validity.Figures) string {
	var b strings.Builder
	for _, m := range metrics(f) {
		fmt.Fprintf(&b, "%s %.3f; ", m, valueOf(f, m))
	}
	return strings.TrimSuffix(b.String(), "; ")
}

// metrics are the reported figures, in order.
func metrics(f validity.Figures) []string {
	out := []string{"spearman_scored", "spearman_all", "naive_scored", "naive_all", "ablation_scored", "ablation_all",
		"low_evidence_base", "low_evidence_top", "low_evidence_bottom", "low_evidence_true_top", "low_evidence_true_bottom", "insufficient_share", "flagged_share", "flagged_insufficient",
		"intervention_precision", "intervention_recall", "demote_share", "demote_insufficient", "at_risk_share"}
	for _, t := range f.Triggers {
		out = append(out, t.Name+"_share", t.Name+"_stated", t.Name+"_precision", t.Name+"_recall")
	}
	for _, c := range f.Coverage {
		out = append(out, "coverage_"+c.Component)
	}
	return append(out, "coverage_pooled")
}

func valueOf(f validity.Figures, m string) float64 {
	n := float64(f.Partners)
	switch m {
	case "spearman_scored":
		return f.RhoScored
	case "spearman_all":
		return f.RhoAll
	case "naive_scored":
		return f.RhoCountsScored
	case "naive_all":
		return f.RhoCountsAll
	case "ablation_scored":
		return f.RhoObsScored
	case "ablation_all":
		return f.RhoObsAll
	case "low_evidence_base":
		return f.LowEvBase
	case "low_evidence_top":
		return f.LowEvTop
	case "low_evidence_bottom":
		return f.LowEvBottom
	case "low_evidence_true_top":
		return f.LowEvTrueTop
	case "low_evidence_true_bottom":
		return f.LowEvTrueBottom
	case "insufficient_share":
		return float64(f.Insufficient) / n
	case "flagged_share":
		return float64(f.Flagged) / n
	case "flagged_insufficient":
		return float64(f.FlaggedInsufficient)
	case "intervention_precision":
		return f.Precision
	case "intervention_recall":
		return f.Recall
	case "demote_share":
		return float64(f.Demote) / n
	case "demote_insufficient":
		return float64(f.DemoteInsufficient)
	case "at_risk_share":
		return float64(f.AtRisk) / n
	case "coverage_pooled":
		return f.Pooled
	}
	for _, c := range f.Coverage {
		if "coverage_"+c.Component == m {
			return c.Share
		}
	}
	for _, t := range f.Triggers {
		switch m {
		case t.Name + "_share":
			return float64(t.Flagged) / n
		case t.Name + "_stated":
			return t.Stated
		case t.Name + "_precision":
			return t.Precision
		case t.Name + "_recall":
			return t.Recall
		}
	}
	return 0
}
