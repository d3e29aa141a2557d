package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerq/pqi/transforms/schema"
)

// The README's worked examples, run as written (their /tmp paths moved
// into the test's folder): each says what it shows, each writes its own
// warehouse and its own board report, none overwrites another's, and a
// mappings folder an example relies on holds mapping files.
func TestReadmeExamplesDoNotOverwriteEachOther(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(b)[strings.Index(string(b), "## Loading your own exports"):]
	section = section[:strings.Index(section, "\n## ")]
	block := section[strings.Index(section, "```sh\n")+6:]
	block = block[:strings.Index(block, "```")]
	tmp := t.TempDir()
	asOf, _ := schema.ParseDay("2026-09-30")
	reports := map[string]string{}
	said := false
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if strings.HasPrefix(line, "#") {
			said = true
			continue
		}
		args := strings.Fields(line)
		if len(args) < 2 || args[0] != "bin/pqi" || args[1] != "run" {
			t.Fatalf("not a pqi run: %s", line)
		}
		if !said {
			t.Errorf("no comment says what this example shows: %s", line)
		}
		said = false
		n++
		args = args[1:]
		var wh, in, mappings string
		for i := 0; i < len(args)-1; i++ {
			switch args[i] {
			case "--warehouse":
				args[i+1] = filepath.Join(tmp, args[i+1])
				wh = args[i+1]
			case "--in", "--mappings":
				if args[i] == "--in" {
					in = args[i+1]
				} else {
					mappings = args[i+1]
				}
				args[i+1] = filepath.Join("..", "..", args[i+1])
			}
		}
		if mappings == "" {
			mappings = filepath.Join(in, "mappings")
		}
		if m, _ := filepath.Glob(filepath.Join("..", "..", mappings, "*.yaml")); len(m) == 0 {
			t.Errorf("%s: no mapping files in %s", line, mappings)
		}
		report := defaultReportPath(wh, asOf)
		if prev, dup := reports[report]; dup {
			t.Errorf("%s writes %s, as %s does", line, report, prev)
		}
		reports[report] = line
		if code, _, errs := pqi(args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", line, code, errs)
		}
	}
	if n != 3 {
		t.Fatalf("%d examples, want the 3 worked ones", n)
	}
	for report := range reports {
		if b, err := os.ReadFile(report); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
			t.Errorf("%s: %v", report, err)
		}
	}
}
