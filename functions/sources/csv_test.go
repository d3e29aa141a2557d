package sources

import (
	"fmt"
	"strings"
	"testing"
)

func TestCSVUnicodeNamesRoundTripAndEmptyCellsAreNull(t *testing.T) {
	body := "\xef\xbb\xbf partner_id ,partner_name,region\n" +
		"p1,Zürich Daten AG,EMEA\n" +
		"p2,東京システム,\n" +
		"p3,  Spaced Name  ,   \n"
	res := mustRead(t, "partners.csv", CSV, body, Options{})
	if got := strings.Join(res.header, "|"); got != "partner_id|partner_name|region" {
		t.Errorf("header = %q (BOM stripped, names trimmed)", got)
	}
	assertCells(t, res.cells, [][]*string{
		{p("p1"), p("Zürich Daten AG"), p("EMEA")},
		{p("p2"), p("東京システム"), nil},
		{p("p3"), p("  Spaced Name  "), nil},
	})
	for i, r := range res.rows {
		if r.Number != int64(i+2) || r.Problem != "" {
			t.Errorf("row %d = %+v, want number %d and no problem", i, r, i+2)
		}
	}
	if res.sha != sha([]byte(body)) {
		t.Errorf("SHA256 = %s, want the hash of the file bytes (BOM included)", res.sha)
	}
	if res.read != int64(len(body)) || res.size != int64(len(body)) {
		t.Errorf("Progress = %d/%d, want %d/%d", res.read, res.size, len(body), len(body))
	}
	if res.count != 3 {
		t.Errorf("RowsRead = %d", res.count)
	}
}

func TestCSVQuotedNewlineCountsRecordsNotLines(t *testing.T) {
	body := "deal_id,note\n" +
		"d1,\"first line\nsecond line\"\n" +
		"d2,\"say \"\"hi\"\"\"\n"
	res := mustRead(t, "deals.csv", CSV, body, Options{})
	assertCells(t, res.cells, [][]*string{
		{p("d1"), p("first line\nsecond line")},
		{p("d2"), p(`say "hi"`)},
	})
	if res.rows[0].Number != 2 || res.rows[1].Number != 3 {
		t.Errorf("row numbers = %d, %d; want 2, 3 (header is record 1)", res.rows[0].Number, res.rows[1].Number)
	}
}

func TestCSVRaggedRowBecomesProblemRow(t *testing.T) {
	body := "a,b,c\n1,2,3\n4,<5>\n6,7,8,9\n10,11,12\n"
	res := mustRead(t, "deals.csv", CSV, body, Options{})
	if len(res.rows) != 4 || res.count != 4 {
		t.Fatalf("got %d rows (RowsRead %d), want 4: problem rows are delivered", len(res.rows), res.count)
	}
	short, long := res.rows[1], res.rows[2]
	if short.Number != 3 || short.Problem != "row has 2 cells but the header has 3" || short.Raw != `["4","<5>"]` {
		t.Errorf("short row = %+v", short)
	}
	if long.Number != 4 || long.Problem != "row has 4 cells but the header has 3" || long.Raw != `["6","7","8","9"]` {
		t.Errorf("long row = %+v", long)
	}
	assertCells(t, res.cells, [][]*string{
		{p("1"), p("2"), p("3")},
		{nil, nil, nil},
		{nil, nil, nil},
		{p("10"), p("11"), p("12")},
	})
	if res.rows[3].Problem != "" || res.rows[3].Raw != "" {
		t.Errorf("good row after problems = %+v", res.rows[3])
	}
}

func TestCSVSemicolonDelimiter(t *testing.T) {
	res := mustRead(t, "deals.csv", CSV, "a;b\n1,5;x\n", Options{Comma: ';'})
	assertCells(t, res.cells, [][]*string{{p("1,5"), p("x")}})
}

func TestCSVUnreadableFilesAreFileErrors(t *testing.T) {
	many := "a,b\n" + strings.Repeat("x,y\n", 50)
	cases := []struct {
		name, body string
		line       int64
		problem    string
		fix        string
	}{
		{"latin1", "id,name\np1,ok\np2,Z\xfcrich\n", 3, "is not valid UTF-8", "iconv"},
		{"latin1 in a later batch", many + "x,\xe9\n", 52, "is not valid UTF-8", "iconv"},
		{"latin1 header", "id,n\xe4me\n", 1, "is not valid UTF-8", "iconv"},
		{"binary header", "\x00\x01id,name\n", 1, "header column 1 holds NUL bytes", "UTF-8 text"},
		{"utf-16 without a byte-order mark", "i\x00d\x00,\x00n\x00\n\x00", 1, "UTF-16 without a byte-order mark", "UTF-8 text"},
		{"columns the same but for case", "deal_id,x,DEAL_ID\n", 1, `columns "deal_id" and "DEAL_ID", which differ only in case`, "rename or remove one"},
		{"old Mac line endings", "id,name\rp1,a\rp2,b\r", 0, "carriage return alone", `tr '\r' '\n'`},
		{"two byte-order marks", "\xef\xbb\xbf\xef\xbb\xbfid,name\n", 1, "starts with an invisible byte-order mark", "at most one byte-order mark"},
		{"semicolons", "id;name;region\np1;a;EMEA\n", 1, "look separated by semicolons", `delimiter: ";"`},
		{"tabs", "id\tname\np1\ta\n", 1, "look separated by tabs", `delimiter: "\t"`},
		{"too wide", strings.Repeat("c,", MaxColumns) + "c\n", 1, "more than the 4096 an export may have", "only the columns the contract reads"},
		{"gzip named csv", "\x1f\x8b\x08\x00rest", 0, "gzip", "decompress"},
		{"xlsx named csv", "PK\x03\x04rest", 0, "Excel", "save it as CSV"},
		{"utf-16", "\xff\xfei\x00d\x00\n\x00", 0, "UTF-16", "iconv -f utf-16"},
		{"empty", "", 0, "has no header row", ""},
		{"blank header", " , ,\n1,2,3\n", 1, "has no header row", ""},
		{"duplicate header", "a,b,a\n1,2,3\n", 1, `header has duplicate column "a"`, "unique"},
		{"duplicate after trim", "a, a\n1,2\n", 1, `header has duplicate column "a"`, ""},
		{"empty header name", "a,,c\n1,2,3\n", 1, "empty column name (column 2)", ""},
		{"quote left open in a quoted cell", "a,b\n1,2\n3,\"x\"y\n", 3, "CSV quote error at column 5", "double every quote"},
		{"unclosed quote", "a,b\n1,\"open\n2,3\n", 2, "is not closed properly (read to line 3)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readString(t, "deals.csv", CSV, c.body, Options{BatchRows: 10})
			fe := fileError(t, err)
			if fe.File != "deals.csv" || fe.Line != c.line || !strings.Contains(fe.Problem, c.problem) || !strings.Contains(fe.Fix, c.fix) {
				t.Errorf("got %#v\nwant line %d, problem ~ %q, fix ~ %q", fe, c.line, c.problem, c.fix)
			}
			if !strings.HasPrefix(err.Error(), "deals.csv") {
				t.Errorf("message does not start with the file: %v", err)
			}
		})
	}
}

func TestFileErrorMessage(t *testing.T) {
	err := &FileError{File: "deals.csv", Line: 7, Problem: "is not valid UTF-8", Fix: "re-export as UTF-8"}
	if got := err.Error(); got != "deals.csv line 7: is not valid UTF-8; fix: re-export as UTF-8" {
		t.Errorf("Error() = %q", got)
	}
	err = &FileError{File: "x.parquet", Problem: "is not a Parquet file"}
	if got := err.Error(); got != "x.parquet: is not a Parquet file" {
		t.Errorf("Error() = %q", got)
	}
}

func TestCSVRunawayRecordIsBounded(t *testing.T) {
	// An unclosed quote would otherwise pull the rest of the file into one record.
	body := "a,b\n1,\"" + strings.Repeat("0123456789\n", 20000) // ~220 KB
	_, err := readString(t, "deals.csv", CSV, body, Options{maxLine: 64 << 10})
	fe := fileError(t, err)
	if !strings.Contains(fe.Problem, "longer than") {
		t.Errorf("problem = %q", fe.Problem)
	}
}

func TestCSVBatchesKeepRowNumbers(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,v\n")
	for i := 1; i <= 8; i++ {
		if i == 5 {
			b.WriteString("ragged\n")
			continue
		}
		fmt.Fprintf(&b, "r%d,%d\n", i, i)
	}
	res := mustRead(t, "deals.csv", CSV, b.String(), Options{BatchRows: 3})
	if fmt.Sprint(res.batches) != "[3 3 2]" {
		t.Errorf("batches = %v, want [3 3 2]", res.batches)
	}
	for i, r := range res.rows {
		if r.Number != int64(i+2) {
			t.Errorf("row %d has number %d, want %d", i, r.Number, i+2)
		}
		if (r.Problem != "") != (i == 4) {
			t.Errorf("row %d problem = %q", i, r.Problem)
		}
	}
	if *res.cells[7][0] != "r8" {
		t.Errorf("last row = %v", *res.cells[7][0])
	}
	if res.sha != sha([]byte(b.String())) {
		t.Error("SHA256 differs from the file's")
	}
}
