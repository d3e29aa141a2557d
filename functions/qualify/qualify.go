// Package qualify scores partner applications against the qualification
// rubric (quality.Rubric): one CSV of applications, as an application
// form or CRM exports it, one row per application and one column per
// criterion, each scored 0-3, with an optional "<criterion>_evidence"
// note. Rows that cannot be read are rejected with their row, column and
// fix, never dropped.
package qualify

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

// The columns of an applications file besides the criteria are the
// applications table's (schema.ApplicantID, ApplicantName, AssessedDate,
// Assessor); a criterion's note is in <criterion>_evidence.
const evidenceSuffix = "_evidence"

// Application is one scored application.
type Application struct {
	Row      int // 1-based line of the file, the header being line 1
	ID, Name string
	Assessor string
	Assessed schema.Day
	Result   quality.IntakeResult
	Evidence []string // per criterion in rubric order, "" when none
}

// Rejected is a row that could not be scored, with the column at fault.
type Rejected struct {
	Row            int
	Column, Reason string
}

func (r Rejected) String() string {
	return fmt.Sprintf("row %d, column %s: %s", r.Row, r.Column, r.Reason)
}

// Result is a scored file.
type Result struct {
	File         string
	Applications []Application
	Rejected     []Rejected
	Ignored      []string // columns neither the rubric nor the file format knows
	Absent       []string // rubric criteria with no column: every application misses them
}

// File scores the applications in path against rubric r.
func File(path string, r quality.Rubric) (Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	res, err := read(f, r)
	res.File = path
	if err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	return res, nil
}

func read(in io.Reader, r quality.Rubric) (Result, error) {
	cr, err := sources.NewCSVRecords(in)
	if err != nil {
		return Result{}, err
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Result{}, fmt.Errorf("empty file: the first line must name the columns (%s, %s, %s, %s and one per criterion)",
			schema.ApplicantID, schema.ApplicantName, schema.AssessedDate, schema.Assessor)
	}
	if err != nil {
		return Result{}, err
	}
	col := map[string]int{}
	var res Result
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[name]; dup {
			return Result{}, fmt.Errorf("column %q appears twice in the header (columns %d and %d); keep one", name, col[name]+1, i+1)
		}
		col[name] = i
	}
	if _, ok := col[schema.ApplicantID]; !ok {
		return Result{}, fmt.Errorf("no %s column: the header must name it (found %s)", schema.ApplicantID, strings.Join(header, ", "))
	}
	known := map[string]bool{schema.ApplicantID: true, schema.ApplicantName: true, schema.AssessedDate: true, schema.Assessor: true}
	for _, c := range r.Criteria {
		known[c.Name], known[c.Name+evidenceSuffix] = true, true
		if _, ok := col[c.Name]; !ok {
			res.Absent = append(res.Absent, c.Name)
		}
	}
	for _, h := range header {
		if name := strings.ToLower(strings.TrimSpace(h)); !known[name] {
			res.Ignored = append(res.Ignored, name)
		}
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return res, fmt.Errorf("line %d: %v; fix the quoting of that line", pe.Line, pe.Err)
			}
			return res, err
		}
		line := cr.Line() // the file's own line: the reader skips empty ones
		if blank(rec) {
			continue
		}
		a, rej := application(rec, col, r, line)
		if rej == nil {
			if first, dup := seen[a.ID]; dup {
				rej = &Rejected{line, schema.ApplicantID, fmt.Sprintf("%q is also on row %d; give each application its own id", a.ID, first)}
			} else {
				seen[a.ID] = line
			}
		}
		if rej != nil {
			res.Rejected = append(res.Rejected, *rej)
			continue
		}
		res.Applications = append(res.Applications, a)
	}
	return res, nil
}

func application(rec []string, col map[string]int, r quality.Rubric, line int) (Application, *Rejected) {
	cell := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	a := Application{Row: line, ID: cell(schema.ApplicantID), Name: cell(schema.ApplicantName), Assessor: cell(schema.Assessor), Assessed: schema.Day(schema.NoDate)}
	if a.ID == "" {
		return a, &Rejected{line, schema.ApplicantID, "empty; every application needs an id"}
	}
	if d := cell(schema.AssessedDate); d != "" {
		day, err := schema.ParseDay(d)
		if err != nil {
			return a, &Rejected{line, schema.AssessedDate, fmt.Sprintf("%v; write the date as YYYY-MM-DD, or leave it empty", err)}
		}
		a.Assessed = day
	}
	scores := map[string]int{}
	for _, c := range r.Criteria {
		a.Evidence = append(a.Evidence, cell(c.Name+evidenceSuffix))
		v := cell(c.Name)
		if v == "" {
			continue
		}
		s, ok := score(v)
		if !ok {
			return a, &Rejected{line, c.Name, fmt.Sprintf("%q is not a score; write 0 (warning sign), 1, 2 or 3 (good sign), or leave it empty if not assessed", v)}
		}
		scores[c.Name] = s
	}
	res, err := r.Score(scores)
	if err != nil {
		return a, &Rejected{line, "", err.Error()}
	}
	a.Result = res
	return a, nil
}

// score reads a 0-3 score: a whole number, "2.0" as spreadsheets write
// it, or a form's label that starts with the number ("3 - good sign").
func score(v string) (int, bool) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f != float64(int(f)) || f < 0 || f > 3 {
			return 0, false
		}
		return int(f), true
	}
	if len(v) > 1 && v[0] >= '0' && v[0] <= '3' && !unicode.IsDigit(rune(v[1])) && v[1] != '.' {
		return int(v[0] - '0'), true
	}
	return 0, false
}

func blank(rec []string) bool {
	return !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" })
}
