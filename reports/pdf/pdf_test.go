package pdf

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"
)

func TestRunsPickTheFontThatHasEachCharacter(t *testing.T) {
	tab, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, c := range []struct {
		in   string
		want []run
	}{
		{"Zürich Daten AG", []run{{0, "Zürich Daten AG"}}},
		{"Ελληνικά Συστήματα", []run{{0, "Ελληνικά Συστήματα"}}},
		{"東京システム", []run{{1, "東京システム"}}},
		{"ACME 東京 Ltd", []run{{0, "ACME "}, {1, "東京 "}, {0, "Ltd"}}},
		{"서울 데이터", []run{{2, "서울 데이터"}}},
		{"กรุงเทพ", []run{{3, "กรุงเทพ"}}},
		{"मुंबई", []run{{4, "मुंबई"}}},
		{"Rocket 🚀 Co", []run{{0, "Rocket \uFFFD Co"}}},  // outside the BMP: replaced, never a panic
		{"tab\there\x00", []run{{0, "tab here "}}},       // control characters print as spaces
		{"bad \xff byte", []run{{0, "bad \uFFFD byte"}}}, // invalid UTF-8
		{"\uE000 private", []run{{0, "\uFFFD private"}}}, // a character no font has
		{"", nil},
	} {
		got := tab.runs(c.in, &buf)
		if len(got) != len(c.want) {
			t.Errorf("runs(%q) = %v, want %v", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("runs(%q) = %v, want %v", c.in, got, c.want)
				break
			}
		}
	}
}

func newDoc(t *testing.T) *Doc {
	t.Helper()
	d, err := New(A4, Meta{Title: "t", Date: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), Footer: "footer"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFitAndLinesStayWithinTheWidth(t *testing.T) {
	d := newDoc(t)
	long := "Integração Brasília Soluções de Tecnologia e Consultoria Empresarial Ltda 東京システム株式会社"
	for _, w := range []float64{10, 25, 60} {
		f := d.Fit(long, w, BodySize, false)
		if d.TextWidth(f, BodySize, false) > w || !strings.HasSuffix(f, "…") {
			t.Errorf("Fit to %v mm: %q is %.1f mm", w, f, d.TextWidth(f, BodySize, false))
		}
		lines := d.Lines(long, w, BodySize, true)
		if strings.Join(strings.Fields(strings.Join(lines, "")), "") != strings.Join(strings.Fields(long), "") {
			t.Errorf("Lines at %v mm lost text: %q", w, lines)
		}
		for _, l := range lines {
			if d.TextWidth(l, BodySize, true) > w+1e-9 {
				t.Errorf("Lines at %v mm: %q is %.1f mm", w, l, d.TextWidth(l, BodySize, true))
			}
		}
	}
	if s := d.Fit("short", 50, BodySize, false); s != "short" {
		t.Errorf("Fit cut a string that fits: %q", s)
	}
}

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 100, []float64{0, 20, 40, 60, 80, 100}},
		{0, 1, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-5e6, 15e6, []float64{-5e6, 0, 5e6, 10e6, 15e6}},
		{37, 52, []float64{40, 45, 50}},
		{0.003, 0.011, []float64{0.004, 0.006, 0.008, 0.01}},
	} {
		got := NiceTicks(c.lo, c.hi, 5)
		if len(got) != len(c.want) {
			t.Errorf("NiceTicks(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] || math.Signbit(got[i]) != math.Signbit(c.want[i]) {
				t.Errorf("NiceTicks(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
				break
			}
		}
	}
	if got := LogTicks(1e3, 1e7); len(got) != 5 || got[0] != 1e3 || got[4] != 1e7 {
		t.Errorf("LogTicks(1e3, 1e7) = %v", got)
	}
	if got := LogTicks(2, 50); len(got) != 5 || got[0] != 2 || got[4] != 50 { // 2 5 10 20 50
		t.Errorf("LogTicks(2, 50) = %v", got)
	}
}

// render draws one page with every primitive and returns the PDF.
func render(t *testing.T) []byte {
	t.Helper()
	d := newDoc(t)
	d.Section("Charts")
	p := d.Plot(d.Left(), d.Y, d.Width(), 60, Axis{Min: 1, Max: 1000, Log: true, Label: "x"}, Axis{Min: 0, Max: 3, Label: "y"})
	p.Points([]float64{1, 10, 100, 0, math.NaN()}, []float64{1, 2, 3, 1, 1}, Marker{Shape: Triangle, Color: Vermillion, Size: 2})
	p.Curve([]float64{1, 10, 1000}, []float64{0.5, 1, 2}, LineStyle{Color: Grey, Dash: []float64{1, 1}})
	p.Label(10, 2, "Zürich Daten AG", Style{})
	p.Label(10, 2, "placed over the first", Style{})
	d.Y += 62
	d.Table(Table{Cols: []Col{{Title: "name"}, {Title: "note", Wrap: true}}, Rows: [][]string{{"東京システム 😀", "a b c"}}})
	var b bytes.Buffer
	if err := d.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestOutputIsDeterministic(t *testing.T) {
	a, b := render(t), render(t)
	if !bytes.Equal(a, b) {
		t.Fatal("the same drawing gave different bytes")
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.Contains(a, []byte("/CreationDate (D:20260930")) {
		t.Errorf("not a PDF with the creation date given: %q", a[:min(len(a), 200)])
	}
}

func TestLabelsNeverOverlap(t *testing.T) {
	d := newDoc(t)
	d.Section("Labels")
	p := d.Plot(d.Left(), d.Y, 120, 60, Axis{Min: 0, Max: 10}, Axis{Min: 0, Max: 10})
	placed := 0
	for i := 0; i < 200; i++ {
		if p.Label(float64(i%10), float64(i/20), "Partner name", Style{Size: SmallSize}) {
			placed++
		}
	}
	if placed == 0 || placed == 200 {
		t.Fatalf("placed %d of 200 crowded labels: want some, not all", placed)
	}
	for i, a := range p.taken {
		for _, b := range p.taken[i+1:] {
			if a.overlaps(b) {
				t.Fatalf("labels overlap: %v and %v", a, b)
			}
		}
		if a.x0 < p.X || a.x1 > p.X+p.W || a.y0 < p.Y || a.y1 > p.Y+p.H {
			t.Fatalf("label %v outside the plot", a)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]Size{"a4": A4, "A4": A4, "letter": Letter} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseSize("a5"); err == nil || !strings.Contains(err.Error(), "a4 or letter") {
		t.Errorf("ParseSize(a5): %v", err)
	}
}

// The embedded fonts are the Debian packages' files, unchanged
// (fonts/README.md): their licences and provenance hold.
func TestFontsAreTheDebianPackagesFiles(t *testing.T) {
	debian := map[string]string{
		"DejaVuSans.ttf":            "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		"DejaVuSans-Bold.ttf":       "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
		"DroidSansFallbackFull.ttf": "fonts-droid-fallback:/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"NanumSquareR.ttf":          "fonts-nanum:/usr/share/fonts/truetype/nanum/NanumSquareR.ttf",
		"NotoSansThai-Regular.ttf":  "fonts-noto-core:/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
		"Lohit-Devanagari.ttf":      "fonts-lohit-deva:/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf",
	}
	for _, f := range faces {
		for _, file := range []string{f.file, f.bold} {
			if file == "" {
				continue
			}
			pkg, path, _ := strings.Cut(debian[file], ":")
			if path == "" {
				t.Errorf("%s: no Debian package recorded", file)
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: %v (apt-get install %s; .ci/run does)", file, err, pkg)
				continue
			}
			got, err := fontFiles.ReadFile("fonts/" + file)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("fonts/%s differs from %s of %s (%v)", file, path, pkg, err)
			}
		}
	}
}
