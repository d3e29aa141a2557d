package board

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

func TestMoneyAsPeopleWriteIt(t *testing.T) {
	for v, want := range map[float64]string{
		1.6e9: "$1.6B", 509.8e6: "$509.8M", 12_500: "$12.5k", 900: "$900", 0: "$0", math.Copysign(0, -1): "$0",
		-1.2e6: "−$1.2M", 999_960: "$1.0M", 999_949: "$999.9k", 1598.2e6: "$1.6B", math.NaN(): "not measured",
	} {
		if got := usd(v); got != want {
			t.Errorf("usd(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{1e3: "$1k", 2.5e6: "$2.5M", 1e8: "$100M"} {
		if got := usdTick(v); got != want {
			t.Errorf("usdTick(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{3.14: "+3.1", -0.04: "0.0", -2.25: "−2.2", 0: "0.0"} {
		if got := signed(v, 1); got != want {
			t.Errorf("signed(%v) = %q, want %q", v, got, want)
		}
	}
	if got := count(40000); got != "40,000" {
		t.Errorf("count(40000) = %q", got)
	}
}

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
	for _, s := range sentences(empty) {
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
	if s := decision(empty); !strings.Contains(s.text, "None") {
		t.Errorf("decision without changes: %q", s.text)
	}
	atRiskOnly := Data{Tiers: Tiers{Counts: []int{0, 4, 0, 0, 1}}}
	if s := decision(atRiskOnly); s.text != "None: every partner's evidence supports its current tier. At risk, no decision yet: 1 partner keeps its tier but is short of a requirement." {
		t.Errorf("decision with one partner at risk: %q", s.text)
	}
	d := Data{
		Flags: Flags{Total: 3, Lines: []Flag{{Name: "Zürich Daten AG", Trigger: schema.TriggerChurnVsDirect, Severity: schema.SeverityHigh,
			Outlook: schema.OutlookNotEver, Evidence: "customers churn at 2.1x the direct rate; more", Revenue: 1.26e6}}},
		Rises: []Mover{{Name: "東京システム", Prev: 40, Now: 52.5, Diff: 12.5, Parts: []Part{{"win_rate", 9}, {"csat", 4}, {"lead_quality", -0.5}}}},
		Tiers: Tiers{Counts: []int{2, 10, 0, 1, 3}},
	}
	want := []string{
		"Zürich Daten AG (trailing won revenue $1.3M) is flagged for churning customers faster than direct, high severity, not ever (enough evidence, consistently poor): customers churn at 2.1x the direct rate. 2 other partners are also flagged.",
		"東京システム rose 12.5 points, from 40.0 to 52.5, the largest part on win rate (+9.0).",
		"Approve or overrule 1 partner for exit review and 2 promotions this quarter; each is listed with its reason under interventions and tiers. At risk, no decision yet: 3 partners keep their tier but are short of a requirement.",
	}
	for i, s := range sentences(d) {
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
