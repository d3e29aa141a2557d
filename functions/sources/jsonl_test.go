package sources

import (
	"strings"
	"testing"
)

func TestJSONLValuesAreRenderedAsWritten(t *testing.T) {
	body := `{"partner_id":"p1","name":"Zürich Daten AG","amount": 0.10,"big":12345678901234567890,"ok":true,"tags":["a", "b"],"meta":{"x": 1},"note":null}` + "\n" +
		`{"name":"東京システム","partner_id":"p2","amount":1e3,"ok":false,"extra":1,"another":"x"}` + "\r\n" +
		"\n" +
		"   \n" +
		`not json` + "\n" +
		`[1,2]` + "\n" +
		`{"partner_id":"p3","name":"","amount":-0,"ok":null,"note":"say \"hi\"\u00e9"}` // no final newline
	res := mustRead(t, "partners.jsonl", JSONLines, body, Options{})
	if got := strings.Join(res.header, ","); got != "partner_id,name,amount,big,ok,tags,meta,note" {
		t.Errorf("header = %s (the first object's keys, in order)", got)
	}
	assertCells(t, res.cells, [][]*string{
		{p("p1"), p("Zürich Daten AG"), p("0.10"), p("12345678901234567890"), p("true"), p(`["a","b"]`), p(`{"x":1}`), nil},
		{p("p2"), p("東京システム"), p("1e3"), nil, p("false"), nil, nil, nil},
		{nil, nil, nil, nil, nil, nil, nil, nil},
		{nil, nil, nil, nil, nil, nil, nil, nil},
		{p("p3"), nil, p("-0"), nil, nil, nil, nil, p(`say "hi"é`)},
	})
	wantNumbers := []int64{1, 2, 5, 6, 7}
	for i, r := range res.rows {
		if r.Number != wantNumbers[i] {
			t.Errorf("row %d is line %d, want %d (blank lines still count)", i, r.Number, wantNumbers[i])
		}
	}
	if r := res.rows[2]; r.Raw != "not json" || !strings.HasPrefix(r.Problem, "line is not a JSON object: ") {
		t.Errorf("bad line = %+v", r)
	}
	if r := res.rows[3]; r.Raw != "[1,2]" || r.Problem != "line is not a JSON object: it is an array" {
		t.Errorf("array line = %+v", r)
	}
	if strings.Join(res.ignored, ",") != "another,extra" {
		t.Errorf("Ignored = %v", res.ignored)
	}
	if res.sha != sha([]byte(body)) || res.read != int64(len(body)) {
		t.Errorf("SHA256/progress do not cover the whole file: %s %d", res.sha, res.read)
	}
}

func TestJSONLProblemLines(t *testing.T) {
	body := `{"a":1,"b":2}` + "\n" +
		`{"a":1,"b":2` + "\n" +
		`{"a":1,"a":2}` + "\n" +
		`{"a":1} {"a":2}` + "\n" +
		`{"a":3}` + "\n"
	res := mustRead(t, "deals.jsonl", JSONLines, body, Options{BatchRows: 2})
	want := []string{"", "line is not a JSON object: it ends early (unexpected end of line)", `line has key "a" twice`, "line holds more than one JSON value", ""}
	for i, r := range res.rows {
		if r.Problem != want[i] || r.Number != int64(i+1) {
			t.Errorf("line %d: %+v, want problem %q", i+1, r, want[i])
		}
	}
	assertCells(t, res.cells[4:], [][]*string{{p("3"), nil}})
}

func TestJSONLUnreadableFilesAreFileErrors(t *testing.T) {
	cases := []struct {
		name, body string
		line       int64
		problem    string
		fix        string
	}{
		{"array file", "\n\n[{\"a\":1},\n{\"a\":2}]\n", 3, "is not JSON Lines: line is not a JSON object: it is an array", "jq -c"},
		{"pretty printed", "{\n  \"a\": 1\n}\n", 1, "is not JSON Lines", ""},
		{"csv named jsonl", "a,b\n1,2\n", 1, "is not JSON Lines", ""},
		{"latin1", "{\"a\":\"ok\"}\n{\"a\":\"Z\xfcrich\"}\n", 2, "is not valid UTF-8", "iconv"},
		{"empty", "\n\n", 0, "has no JSON objects", ""},
		{"empty object", "{}\n", 1, "the first object is empty", ""},
		{"binary", "{\"a\":\x00\x00}", 1, "is not JSON Lines", "one JSON object per line"},
		{"keys the same but for case", "{\"id\":1,\"ID\":2}\n", 1, `columns "id" and "ID", which differ only in case`, "rename or remove one"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readString(t, "deals.jsonl", JSONLines, c.body, Options{})
			fe := fileError(t, err)
			if fe.Line != c.line || !strings.Contains(fe.Problem, c.problem) || !strings.Contains(fe.Fix, c.fix) {
				t.Errorf("got %#v\nwant line %d, problem ~ %q, fix ~ %q", fe, c.line, c.problem, c.fix)
			}
		})
	}
}

func TestJSONLLongLines(t *testing.T) {
	long := strings.Repeat("x", 200<<10) // longer than the bufio buffer
	body := `{"a":"` + long + `"}` + "\n" + `{"a":"short"}` + "\n"
	res := mustRead(t, "deals.jsonl", JSONLines, body, Options{})
	if *res.cells[0][0] != long || *res.cells[1][0] != "short" || res.rows[1].Number != 2 {
		t.Errorf("long line not read whole")
	}
	_, err := readString(t, "deals.jsonl", JSONLines, body, Options{maxLine: 100 << 10})
	if fe := fileError(t, err); fe.Line != 1 || !strings.Contains(fe.Problem, "longer than") {
		t.Errorf("got %#v", fe)
	}
}

func TestJSONLTrickyObjects(t *testing.T) {
	body := ` { "a\u0062" : "x}y" , "n" : [ "]" , {"k":"\"}"} ] , "z":-1.5e-3 } ` + "\n" +
		`{"z":"\\","ab":"tab\tsep","n":{}}` + "\n"
	res := mustRead(t, "deals.jsonl", JSONLines, body, Options{})
	if got := strings.Join(res.header, ","); got != "ab,n,z" {
		t.Errorf("header = %q", got)
	}
	assertCells(t, res.cells, [][]*string{
		{p("x}y"), p(`["]",{"k":"\"}"}]`), p("-1.5e-3")},
		{p("tab\tsep"), p("{}"), p(`\`)},
	})
}

// A column the caller reads is a column of the file even when the first
// object leaves it out; keys match columns whatever their case.
func TestJSONLColumnsAbsentFromTheFirstObject(t *testing.T) {
	body := `{"id":"D3","status":"open"}` + "\n" +
		`{"id":"D1","status":"won","Closed_Date":"2026-03-20","amount_usd":120000.5}` + "\n" +
		`{"id":"D2","extra":1}` + "\n"
	res := mustRead(t, "deals.jsonl", JSONLines, body, Options{Columns: []string{"id", "status", "closed_date", "amount_usd"}})
	if got := strings.Join(res.header, ","); got != "id,status,closed_date,amount_usd" {
		t.Fatalf("header %s", got)
	}
	assertCells(t, res.cells, [][]*string{
		{p("D3"), p("open"), nil, nil},
		{p("D1"), p("won"), p("2026-03-20"), p("120000.5")},
		{p("D2"), nil, nil, nil},
	})
	if strings.Join(res.ignored, ",") != "extra" {
		t.Errorf("ignored %v, want [extra]", res.ignored)
	}
}

// A NUL byte makes its row a problem row, wherever it is in the file.
func TestNULByteIsAProblemRow(t *testing.T) {
	pad := strings.Repeat(`{"id":"x","name":"padding"}`+"\n", 400) // past the first 8 KB
	res := mustRead(t, "p.jsonl", JSONLines, pad+`{"id":"y","name":"a\u0000b"}`+"\n", Options{})
	if r := res.rows[400]; r.Number != 401 || !strings.Contains(r.Problem, `column "name" holds a NUL byte`) || r.Fix == "" {
		t.Errorf("JSON Lines: %+v", r)
	}
	res = mustRead(t, "p.csv", CSV, "id,name\np1,a\x00b\np2,ok\n", Options{})
	if r := res.rows[0]; r.Number != 2 || !strings.Contains(r.Problem, `column "name" holds a NUL byte`) || r.Fix == "" {
		t.Errorf("CSV: %+v", r)
	}
	assertCells(t, res.cells[1:], [][]*string{{p("p2"), p("ok")}})
}
