package sources

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Wherever encoding/csv (strict) reads a file, csvReader reads the same
// records, field positions and offsets, and fails where it fails; where
// encoding/csv stops at a quote inside a cell that is not quoted,
// csvReader reads on with the quote in the cell. `go test -fuzz
// FuzzCSVReaderMatchesEncodingCSV ./functions/sources` searches.
func FuzzCSVReaderMatchesEncodingCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a,b\r\n\"x,y\",\"q\"\"r\"\r\n", "a\n\"line\nbreak\"\n\n\nz", "a,b\n1,\"open\n2,3\n",
		"a,b\n3,\"x\"y\n", "a\n\"\"\n", "a,b\r\n1,2\r", "é,ü\n東,京\n", "a,b\n\"1\r\n2\",3\n", "a;b\n1;\"2;3\"\n",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, semicolon bool) {
		comma := ','
		if semicolon {
			comma = ';'
		}
		std := csv.NewReader(strings.NewReader(s))
		std.Comma, std.FieldsPerRecord, std.ReuseRecord = comma, -1, true
		ours := newCSVReader(bufio.NewReader(strings.NewReader(s)), comma)
		for n := 0; ; n++ {
			want, werr := std.Read()
			got, gerr := ours.Read()
			if errors.Is(werr, csv.ErrBareQuote) {
				if gerr != nil && !errors.Is(gerr, csv.ErrQuote) {
					t.Fatalf("record %d: encoding/csv found a bare quote, csvReader failed with %v", n, gerr)
				}
				return // the files part ways here: encoding/csv stopped mid-line
			}
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Fatalf("record %d: error %v, encoding/csv %v", n, gerr, werr)
			}
			if werr != nil {
				return
			}
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
				t.Fatalf("record %d: %q, encoding/csv %q", n, got, want)
			}
			for i := range want {
				wl, wc := std.FieldPos(i)
				gl, gc := ours.FieldPos(i)
				if wl != gl || wc != gc {
					t.Fatalf("record %d field %d at %d:%d, encoding/csv %d:%d", n, i, gl, gc, wl, wc)
				}
			}
			if std.InputOffset() != ours.InputOffset() {
				t.Fatalf("record %d: offset %d, encoding/csv %d", n, ours.InputOffset(), std.InputOffset())
			}
		}
	})
}

func TestCSVQuoteInsideAnUnquotedCellIsPartOfIt(t *testing.T) {
	body := "id,name,lat\np1,5'11\" Consulting,37°36'37.8\"N\np2,\"Quoted, fine\",x\"\"y\n"
	res := mustRead(t, "partners.csv", CSV, body, Options{})
	assertCells(t, res.cells, [][]*string{
		{p("p1"), p(`5'11" Consulting`), p(`37°36'37.8"N`)},
		{p("p2"), p("Quoted, fine"), p(`x""y`)},
	})
	for _, r := range res.rows {
		if r.Problem != "" {
			t.Errorf("row %d has a problem: %s", r.Number, r.Problem)
		}
	}
}
