package board

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/reports/words"
	"github.com/partnerq/pqi/transforms/schema"
)

// funnelPoints are n partners with binomial wins at rate p (times a
// partner effect of spread sd on the odds, 0 = none).
func funnelPoints(n int, p, sd float64, r *rand.Rand) []FunnelPoint {
	pts := make([]FunnelPoint, n)
	for i := range pts {
		deals := 5 + r.IntN(200)
		q := p
		if sd > 0 {
			odds := p / (1 - p) * math.Exp(sd*r.NormFloat64())
			q = odds / (1 + odds)
		}
		wins := 0
		for d := 0; d < deals; d++ {
			if r.Float64() < q {
				wins++
			}
		}
		pts[i] = FunnelPoint{N: float64(deals), Expected: p * float64(deals), Observed: float64(wins)}
	}
	return pts
}

func TestFunnelLimits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	// Pure chance: no overdispersion, and about 10% outside the 90% limits.
	pts := funnelPoints(4000, 0.4, 0, r)
	l := limitsOf(pts)
	if math.Abs(l.pbar-0.4) > 1e-9 || l.phi != 1 {
		t.Errorf("chance alone: p̄ %.3f φ %.3f, want 0.4 and 1", l.pbar, l.phi)
	}
	out90, out998 := 0, 0
	for _, p := range pts {
		z := l.z(p) / math.Sqrt(l.phi)
		if math.Abs(z) > z90 {
			out90++
		}
		if math.Abs(z) > z998 {
			out998++
		}
	}
	if f := float64(out90) / 4000; f < 0.07 || f > 0.13 {
		t.Errorf("chance alone: %.1f%% outside the 90%% limits", 100*f)
	}
	if f := float64(out998) / 4000; f > 0.01 {
		t.Errorf("chance alone: %.1f%% outside the 99.8%% limits", 100*f)
	}
	// Real partner differences widen the limits (φ > 1).
	if l := limitsOf(funnelPoints(4000, 0.4, 0.5, r)); l.phi < 1.5 {
		t.Errorf("with partner effects φ = %.2f, want well above 1", l.phi)
	}
	if got := l.at(1, -10); got != 0 {
		t.Errorf("a lower limit below zero is %v, want 0", got)
	}
}

func TestPrintedChangesAreTheDifferenceOfPrintedValues(t *testing.T) {
	// 75.04 -> 85.36 prints 75.0 -> 85.4: the change printed is 10.4, not 10.3
	if got := words.Signed(words.PrintedDiff(85.36, 75.04, 1), 1); got != "+10.4" {
		t.Errorf("change 75.04 -> 85.36 prints %s, want +10.4", got)
	}
	ch, _ := change(Headline{Unit: Money, Now: 116.94e6, Prev: 95.86e6})
	if !strings.HasPrefix(ch, "▲ +$21.0M") { // $116.9M - $95.9M
		t.Errorf("money change %q, want +$21.0M", ch)
	}
	ch, _ = change(Headline{Unit: Share, Now: 0.5784, Prev: 0.5176})
	if !strings.HasPrefix(ch, "▲ +6.0 pp") { // 57.8% - 51.8%
		t.Errorf("share change %q, want +6.0 pp", ch)
	}
	// parts that round to a sum other than the printed change are
	// corrected by the fewest units, where rounding moved them most
	parts := roundParts([]Part{{"a", 3.12}, {"b", 1.84}, {"c", 5.37}}, words.PrintedDiff(85.36, 75.04, 1), 1)
	sum := 0.0
	for _, p := range parts {
		sum += p.Value
	}
	if math.Abs(sum-10.4) > 1e-9 || parts[0].Value != 3.1 || parts[1].Value != 1.9 || parts[2].Value != 5.4 {
		t.Errorf("roundParts = %v (sum %.2f), want 3.1, 1.9, 5.4 summing to 10.4", parts, sum)
	}
}

func TestPartnersAreNamedWithTheirID(t *testing.T) {
	for p, want := range map[Partner]string{{ID: "P1", Name: "Pinnacle Cloud"}: "Pinnacle Cloud (P1)", {ID: "P2"}: "P2", {ID: "P3", Name: "P3"}: "P3"} {
		if got := p.String(); got != want {
			t.Errorf("%#v prints %q, want %q", p, got, want)
		}
	}
}

func TestFoldPartsKeepsTheSum(t *testing.T) {
	parts := []Part{{"a", 1.5}, {"b", -0.25}, {"c", 0}, {"d", 3}, {"e", -2}, {"f", 0.125}, {"g", 0.5}, {"h", math.NaN()}}
	got := foldParts(parts, 3)
	sum := 0.0
	for _, p := range got {
		sum += p.Value
	}
	if len(got) != 4 || got[0].Label != "d" || got[3].Label != "3 other components" || math.Abs(sum-2.875) > 1e-12 {
		t.Errorf("foldParts = %v (sum %v)", got, sum)
	}
}

func TestSentencesSayOnlyWhatTheDataSay(t *testing.T) {
	empty := Data{Tiers: Tiers{Counts: make([]int, len(schema.TierRecommendations))}}
	for _, s := range sentences(empty, "(page 9)") {
		if s.text == "" {
			t.Errorf("%s: empty", s.lead)
		}
	}
	if s := risk(empty); !strings.Contains(s.text, "No partner crossed") {
		t.Errorf("risk without flags: %q", s.text)
	}
	if s := improvement(empty); !strings.Contains(s.text, "No scored partner") {
		t.Errorf("improvement without rises: %q", s.text)
	}
	if s := decision(empty, "(page 9)"); !strings.Contains(s.text, "None") {
		t.Errorf("decision without changes: %q", s.text)
	}
	atRiskOnly := Data{Tiers: Tiers{Counts: []int{0, 4, 0, 0, 1}}}
	if s := decision(atRiskOnly, "(page 9)"); s.text != "None: every partner's evidence supports its current tier. At risk, no decision yet: 1 partner keeps its tier but is short of a requirement." {
		t.Errorf("decision with one partner at risk: %q", s.text)
	}
	d := Data{
		Flags: Flags{Total: 4, Partners: 3, Lines: []Flag{{Partner: Partner{ID: "P-0042", Name: "Zürich Daten AG"}, Trigger: schema.TriggerChurnVsDirect, Severity: schema.SeverityHigh,
			Outlook: schema.OutlookNotEver, Evidence: "customers churn at 2.1x the direct rate; more", Revenue: 1.26e6}}},
		Rises: []Mover{{Partner: Partner{ID: "P-0007", Name: "東京システム"}, Prev: 40.04, Now: 52.56, Diff: 12.52, Parts: []Part{{"win_rate", 9}, {"csat", 4}, {"lead_quality", -0.5}}}},
		Tiers: Tiers{Counts: []int{2, 10, 0, 1, 3}},
	}
	want := []string{
		"Zürich Daten AG (P-0042), trailing won revenue $1.3M, is flagged for churning customers faster than direct, high severity, decide: customers churn at 2.1x the direct rate. 2 other partners are also flagged.",
		"東京システム (P-0007) rose 12.6 points, from 40.0 to 52.6, the largest part on win rate (+9.0).",
		"Approve or overrule 1 partner for exit review and 2 promotions this quarter; each is listed with its evidence, the revenue at stake and what would change it under decisions to approve (page 9). At risk, no decision yet: 3 partners keep their tier but are short of a requirement.",
	}
	for i, s := range sentences(d, "(page 9)") {
		if s.text != want[i] {
			t.Errorf("%s:\n got %s\nwant %s", s.lead, s.text, want[i])
		}
	}
}

func TestRenderWithNothingScoredStillWritesEverySection(t *testing.T) {
	var b bytes.Buffer
	d := Data{AsOf: 20726, Flags: Flags{Counts: [][]int{{0, 0}, {0, 0}, {0, 0}}}}
	if err := Render(&b, d, Options{Company: "Empty Co", PageSize: pdf.Letter}); err != nil {
		t.Fatal(err)
	}
	pdfBytes := b.Bytes()
	if !bytes.HasPrefix(pdfBytes, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	// one outline entry per section, besides the document's own title
	if n := bytes.Count(pdfBytes, []byte("/Title ")) - 1; n != len(Sections) {
		t.Errorf("%d outline entries, want %d", n, len(Sections))
	}
	if !bytes.Contains(pdfBytes, []byte("/MediaBox [0 0 612.00 792.00]")) {
		t.Error("Letter was asked for, the pages are not 8.5 x 11 in")
	}
}

func TestCohortHeadlineComparesOnlyCohortsInsideTheData(t *testing.T) {
	nan := math.NaN()
	c := Cohorts{Periods: 5, Rows: []CohortRow{
		{Cohort: "2023-Q4", Partners: 17, Rate: []float64{nan, nan, nan, nan, nan}, Reached: 5, BeforeData: true},
		{Cohort: "2024-Q4", Partners: 17, Rate: []float64{0.12, 0.82, 0.94, 1, 1}, Reached: 5},
		{Cohort: "2025-Q3", Partners: 18, Rate: []float64{0.17, 0.72, 0.78, 0.83, nan}, Reached: 4},
		{Cohort: "2026-Q1", Partners: 19, Rate: []float64{0, 0.53, 0.89, nan, nan}, Reached: 3},
	}}
	want := "Of the partners who joined in 2025-Q3, 83% had registered a deal within a year, against 100% of those who joined in 2024-Q4."
	if got := cohortSentence(c); got != want {
		t.Errorf("cohort headline:\n got %s\nwant %s", got, want)
	}
	c.Rows = c.Rows[:1]
	if got := cohortSentence(c); got != "" {
		t.Errorf("a cohort before the data makes a headline: %s", got)
	}
}
