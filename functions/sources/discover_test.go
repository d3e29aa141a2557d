package sources

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/validate"
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
	files, err := Discover(fsys, nil)
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
	_, err := Discover(fsys, nil)
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
	files, err := Discover(mapFS(map[string]string{"README.md": "x"}), nil)
	if err != nil || len(files) != 0 {
		t.Fatalf("Discover = %v, %v; want nothing", files, err)
	}
}

// A mapping names its source or is named after it, and with file: reads the
// exports its glob matches: one export feeds several sources, and a source
// with a file: mapping is read only through it.
func TestMappingsNameTheirFiles(t *testing.T) {
	maps := mapFS(map[string]string{
		"pipeline-deals.yaml": "source: deals\nfile: \"sales_pipeline*.csv\"\ncolumns: {deal_id: opportunity_id}\n",
		"pipeline-reps.yaml":  "source: deal_partners\nfile: sales_pipeline.csv\ncolumns: {deal_id: opportunity_id, partner_id: sales_agent}\ndefaults: {role: sourced}\n",
		"partners.yml":        "columns: {partner_id: Account ID}\n",
		"notes.txt":           "not a mapping",
	})
	mf, err := LoadMappings(maps, "mappings")
	if err != nil {
		t.Fatal(err)
	}
	if len(mf) != 3 || mf[0].Path != "mappings/partners.yml" || mf[0].Mapping.Source != "partners" {
		t.Fatalf("loaded %+v", mf)
	}
	exports := mapFS(map[string]string{
		"sales_pipeline.csv":        "opportunity_id\n",
		"sales_pipeline-2025q4.csv": "opportunity_id\n",
		"partners.csv":              "Account ID\n",
		"deals.csv":                 "deal_id\n", // deals come through the file: mapping only
		"csat.csv":                  "response_id\n",
	})
	files, err := Discover(exports, mf)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		m := "-"
		if f.Mapping != nil {
			m = f.Mapping.Path
		}
		got = append(got, f.Source+" "+f.Path+" "+m)
	}
	want := []string{
		"partners partners.csv mappings/partners.yml",
		"deals sales_pipeline-2025q4.csv mappings/pipeline-deals.yaml",
		"deals sales_pipeline.csv mappings/pipeline-deals.yaml",
		"deal_partners sales_pipeline.csv mappings/pipeline-reps.yaml",
		"csat csat.csv -",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("discovered\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for name, body := range map[string]string{
		"two.yaml":   "source: deals\n",
		"three.yaml": "source: deals\n",
	} {
		maps[name] = mapFS(map[string]string{name: body})[name]
	}
	if _, err := LoadMappings(maps, "mappings"); err == nil || !strings.Contains(err.Error(), "two mappings read the deals export") {
		t.Errorf("two mappings of deals' own files: %v", err)
	}
	if _, err := LoadMappings(mapFS(map[string]string{"x.yaml": "source: quarantine\n"}), "m"); err == nil || !strings.Contains(err.Error(), "not an input table") {
		t.Errorf("a mapping of a computed table: %v", err)
	}
}

func TestReadLookup(t *testing.T) {
	fsys := mapFS(map[string]string{
		"products.csv": "product,series,sales_price\nGTX Pro, GTX ,4821\nMG Special,MG,55\nGTX Pro,GTX,4821\n",
		"clash.csv":    "product,sales_price\nA,1\nA,2\n",
	})
	l := validate.Lookup{File: "products.csv", Key: "Product", Value: "sales_price", From: "product"}
	got, sha, err := ReadLookup(context.Background(), fsys, l, memory.NewGoAllocator())
	if err != nil || len(got) != 2 || got["GTX Pro"] != "4821" || got["MG Special"] != "55" || len(sha) != 64 {
		t.Fatalf("lookup %v (%s), %v", got, sha, err)
	}
	l.File = "clash.csv"
	if _, _, err := ReadLookup(context.Background(), fsys, l, memory.NewGoAllocator()); err == nil || !strings.Contains(err.Error(), `key "A" has two values`) {
		t.Errorf("a key with two values: %v", err)
	}
}

// deniedFS refuses to describe one file, as a file the user running pqi
// may not read (a test as root cannot make one on disk).
type deniedFS struct {
	fstest.MapFS
	name string
}

func (d deniedFS) Stat(name string) (fs.FileInfo, error) {
	if name == d.name {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrPermission}
	}
	return d.MapFS.Stat(name)
}

func TestDiscoverNamesAnUnreadableFileAndTheFix(t *testing.T) {
	fsys := deniedFS{mapFS(map[string]string{"partners.csv": "partner_id\n", "deals.csv": "deal_id\n"}), "deals.csv"}
	_, err := Discover(fsys, nil)
	fe := fileError(t, err)
	if fe.File != "deals.csv" || fe.Problem != "cannot be read: permission denied" || !strings.Contains(fe.Fix, "chmod a+r deals.csv") {
		t.Errorf("got %+v", fe)
	}
}

// A mapping named after one source that declares another is not taken at
// its word: the error names both.
func TestMappingNamedAfterAnotherSourceIsRefused(t *testing.T) {
	_, err := LoadMappings(mapFS(map[string]string{"deals.yaml": "source: partners\ncolumns: {partner_id: Account ID}\n"}), "mappings")
	if err == nil || !strings.Contains(err.Error(), "mappings/deals.yaml declares source: partners, but its name says deals") || !strings.Contains(err.Error(), "partners.yaml") {
		t.Errorf("deals.yaml declaring partners: %v", err)
	}
	for name, body := range map[string]string{
		"deals.YML":          "source: deals\n",              // the same source, any case
		"crm-pipeline.yaml":  "source: deals\n",              // a name that is no source's
		"deal_partners.yaml": "columns: {deal_id: Opp ID}\n", // no source: named after it
	} {
		if _, err := LoadMappings(mapFS(map[string]string{name: body}), "mappings"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
