package sources

import (
	"errors"
	"strings"
	"testing"
)

func TestDiscoverPicksEachSourcesFiles(t *testing.T) {
	fsys := mapFS(map[string]string{
		"partners.csv":             "partner_id\n",
		"deal_partners.csv":        "deal_id\n",
		"deals.csv":                "deal_id\n",
		"deals-2024q4.jsonl":       "{}\n",
		"csat/part-1.parquet":      "x",
		"csat/part-0.ndjson":       "{}\n",
		"csat/notes.txt":           "ignored",
		"csat/.hidden.csv":         "ignored",
		"csat/old/deep.csv":        "ignored: more than one level down",
		"Cost_To_Serve.CSV":        "partner_id\n",
		"README.md":                "ignored",
		"mappings/deals.yaml":      "ignored",
		"truth/deals.csv":          "ignored: not a source directory",
		"deals.xlsx":               "ignored: not a supported extension",
		"partners_old.csv":         "ignored: not partners or partners-*",
		"dealsx.csv":               "ignored",
		"pipeline.yaml":            "ignored",
		"churn/2024/contracts.csv": "ignored: too deep",
	})
	files, err := Discover(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Source+" "+f.Path+" "+f.Format.String())
	}
	want := []string{
		"partners partners.csv CSV",
		"deals deals-2024q4.jsonl JSON Lines",
		"deals deals.csv CSV",
		"deal_partners deal_partners.csv CSV",
		"csat csat/part-0.ndjson JSON Lines",
		"csat csat/part-1.parquet Parquet",
		"cost_to_serve Cost_To_Serve.CSV CSV",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Discover:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if files[0].Size != int64(len("partner_id\n")) {
		t.Errorf("partners.csv size = %d", files[0].Size)
	}
}

func TestDiscoverRejectsCompressedExports(t *testing.T) {
	fsys := mapFS(map[string]string{
		"deals.csv.gz":         "\x1f\x8b",
		"csat/part-0.jsonl.gz": "\x1f\x8b",
		"partners.csv":         "partner_id\n",
		"backup.tar.gz":        "ignored: not a source",
	})
	_, err := Discover(fsys)
	if err == nil {
		t.Fatal("want an error for compressed exports")
	}
	for _, name := range []string{"deals.csv.gz", "csat/part-0.jsonl.gz"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	if strings.Contains(err.Error(), "backup.tar.gz") {
		t.Errorf("error names a file that is not an export: %v", err)
	}
	fe := fileError(t, err)
	if !strings.Contains(fe.Fix, "decompress it first") {
		t.Errorf("fix = %q", fe.Fix)
	}
	var n int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FileError
		if errors.As(e, &fe) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want 2 file errors, got %d", n)
	}
}

func TestDiscoverEmptyDirHasNoFiles(t *testing.T) {
	files, err := Discover(mapFS(map[string]string{"README.md": "x"}))
	if err != nil || len(files) != 0 {
		t.Fatalf("Discover = %v, %v; want nothing", files, err)
	}
}
