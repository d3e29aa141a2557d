package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/partnerq/pqi/transforms/schema"
)

// The readers' promises, for any bytes at all: no panic; either a
// *FileError with a fix, or rows that add up (one validate.Line per delivered row,
// numbered in file order, every cell valid UTF-8 without a NUL byte, a
// problem row with a fix and no cells); all Arrow memory released (readAll
// checks it); and the sha256 of exactly the bytes given. Seeds: the
// f.Add cases below and testdata/fuzz/<target>/, which `go test` runs
// without -fuzz; `go test -fuzz FuzzCSV ./functions/sources` searches.

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"deal_id,name,amount\nD1,Zürich,1250.00\nD2,\"a,b\",\n",
		"id;name\np1;a\n", "id,name\rp1,a\r", "\xef\xbb\xbf\xef\xbb\xbfid\n", "id,name\n\"open\n",
		"id,name\np1,a\x00b\n", "id,ID\n1,2\n", "id\n   \n\t\n1\n", "a,b\n1,2,3\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkReader(t, "deals.csv", CSV, data) })
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"id":"D3","status":"open"}` + "\n" + `{"id":"D1","closed_date":"2026-03-20","amount":1.5}` + "\n",
		`{"id":1,"ID":2}`, `{"a":{"b":[1,2]}}` + "\n" + `{"a":null}`, "[1,2]\n", `{"a":"\u0000"}`, "\n\n{}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkReader(t, "deals.jsonl", JSONLines, data) })
}

func FuzzParquet(f *testing.F) {
	f.Add(parquetFile(f, 4, 100))
	f.Add(parquetFile(f, 9, 4))
	f.Add([]byte("PAR1PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) { checkReader(t, "deals.parquet", Parquet, data) })
}

// FuzzMapping: any mapping file either loads, and then its mapping passes
// its own check again, or is refused with an error naming the file.
func FuzzMapping(f *testing.F) {
	for _, s := range []string{
		"source: deals\ncolumns:\n  deal_id: Opportunity ID\ndate_layout: 1/2/2006\nvalues:\n  status:\n    Closed Won: won\n",
		"source: deals\ndelimiter: \";\"\n", "source: deals\ngrain:\n  key: deal_id\n  aggregate:\n    amount_usd: sum\n",
		"source: deals\nlookups:\n  amount_usd: {file: p.csv, key: k, value: v, from: Product}\n",
		"source: nope\n", "columns: [1, 2]\n", "source: deals\nfile: \"[\"\n", "source: deals\ndelimiter: \";;\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := LoadMappings(fstest.MapFS{"deals.yaml": {Data: data}}, "mappings")
		if err != nil {
			if !strings.Contains(err.Error(), "mappings/deals.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, m := range ms {
			if err := m.Mapping.Check(schema.Get(m.Mapping.Source), m.Path); err != nil {
				t.Fatalf("loaded, then failed its check: %v", err)
			}
		}
	})
}

func checkReader(t *testing.T, name string, format Format, data []byte) {
	opts := Options{BatchRows: 7, Columns: []string{"deal_id", "status", "closed_date", "amount_usd"}, maxLine: 1 << 16}
	res, err := readAll(t, fstest.MapFS{name: {Data: data}}, File{Source: "deals", Path: name, Format: format, Size: int64(len(data))}, opts)
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Fatalf("not a *FileError: %v", err)
		}
		if fe.Problem == "" || fe.Fix == "" || fe.File != name {
			t.Fatalf("file error without a problem, a fix or the file: %+v", fe)
		}
		return
	}
	if res.count != int64(len(res.rows)) {
		t.Fatalf("RowsRead %d, %d rows delivered", res.count, len(res.rows))
	}
	for i, r := range res.rows {
		if i > 0 && r.Number <= res.rows[i-1].Number {
			t.Fatalf("row %d numbered %d after %d", i, r.Number, res.rows[i-1].Number)
		}
		if r.Problem != "" && r.Fix == "" {
			t.Fatalf("problem row %d without a fix: %q", r.Number, r.Problem)
		}
		for c, cell := range res.cells[i] {
			if cell == nil {
				continue
			}
			if r.Problem != "" {
				t.Fatalf("problem row %d has a cell", r.Number)
			}
			if !utf8.ValidString(*cell) || strings.IndexByte(*cell, 0) >= 0 {
				t.Fatalf("row %d column %q holds %q", r.Number, res.header[c], *cell)
			}
		}
	}
	sum := sha256.Sum256(data)
	if res.sha != hex.EncodeToString(sum[:]) {
		t.Fatalf("sha256 %s of %d bytes, want %x", res.sha, len(data), sum)
	}
}
