package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The printed defaults are a valid file that reads back as the defaults.
func TestDefaultSettingsRoundTrip(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if def.Finance.Digest() != DefaultFinance().Digest() {
		t.Error("the printed finance section does not read back as DefaultFinance")
	}
	if def.Finance.ROI.Replicates != 400 || def.Finance.Attribution.Model != "role_weighted" {
		t.Errorf("finance defaults read back as %+v", def.Finance)
	}
}

// A file may change a finance setting alone; the rest keep their defaults.
// A misspelt key or a bad value is an error naming the file.
func TestSettingsFile(t *testing.T) {
	dir := t.TempDir()
	base := string(DefaultYAML())
	cut := strings.Index(base, "\nfinance:")
	quality := base[:cut+1]
	p := filepath.Join(dir, "model.yaml")
	if err := os.WriteFile(p, []byte(quality+"finance:\n  attribution:\n    model: shapley\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Finance.Attribution.Model != "shapley" || s.Finance.Attribution.RoleWeights.Sourced != 4 || s.Finance.ROI.Replicates != 400 {
		t.Errorf("a partial finance section gave %+v", s.Finance)
	}
	noFinance := filepath.Join(dir, "quality-only.yaml")
	if err := os.WriteFile(noFinance, []byte(quality), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Load(noFinance); err != nil || s.Finance.Digest() != DefaultFinance().Digest() {
		t.Errorf("a file without finance: %v, finance %+v", err, s.Finance)
	}
	for _, c := range []struct{ name, extra, want string }{
		{"typo.yaml", "  roi:\n    replicats: 10\n", "replicats"},
		{"bad-model.yaml", "  attribution:\n    model: last_touch\n", "last_touch"},
		{"bad-roi.yaml", "  roi:\n    replicates: 5\n", "replicates must be at least 20"},
		{"bad-commission.yaml", "  roi:\n    commission_rates: {gold: 22.5}\n", "gold must be a share of revenue in [0, 1)"},
	} {
		f := filepath.Join(dir, c.name)
		if err := os.WriteFile(f, []byte(quality+"finance:\n"+c.extra), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(f)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: %v, want an error naming the file and %q", c.name, err, c.want)
		}
	}
}

// The configuration a score run records reads back as the same settings.
func TestYAMLReproducesTheSettings(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	changed, err := Parse([]byte("window_quarters: 6\nfinance:\n  attribution:\n    model: shapley\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Settings{def, changed} {
		b, err := s.YAML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b)
		if err != nil {
			t.Fatalf("the written configuration does not read back: %v\n%s", err, b)
		}
		if back.Digest() != s.Digest() {
			t.Errorf("read back with digest %s, written from %s:\n%s", back.Digest(), s.Digest(), b)
		}
	}
	if def.Digest() == changed.Digest() {
		t.Error("a changed configuration has the default's digest")
	}
}
