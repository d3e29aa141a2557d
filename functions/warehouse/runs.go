package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/transforms/schema"
)

// Job is a job that records its runs: what runs.job holds.
type Job string

// The jobs.
const (
	JobIngest     Job = "ingest"
	JobScore      Job = "score"
	JobReport     Job = "report"
	JobScorecards Job = "scorecards"
)

// runPrefix starts the run ids of each job's runs.
var runPrefix = map[Job]string{JobIngest: "ing-", JobScore: "sco-", JobReport: "rep-", JobScorecards: "card-"}

// RunPrefix starts the ids of the job's runs (ing-, sco-, rep-, card-).
func (j Job) RunPrefix() string { return runPrefix[j] }

// Outcome is how a run ended: what runs.outcome holds.
type Outcome string

// The outcomes.
const (
	Succeeded Outcome = "succeeded"
	Failed    Outcome = "failed"
)

// Deps are what every job talks to: the warehouse, the Arrow allocator,
// the log and the clock. Score's Deps are these; ingest, report and
// scorecards embed them beside what only they need.
type Deps struct {
	Warehouse Warehouse
	Alloc     memory.Allocator
	Log       *slog.Logger
	Now       func() time.Time
}

// Filled is d with what it was not given filled in, the same for every
// job: Go's Arrow allocator, a log that writes nothing, the clock.
func (d Deps) Filled() Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Alloc == nil {
		d.Alloc = memory.DefaultAllocator
	}
	return d
}

// Run is one row of the runs table (schema.Runs). duration_ms is derived
// from StartedAt and FinishedAt.
type Run struct {
	RunID         string
	AsOf          schema.Day
	Job           Job
	StartedAt     time.Time // stored in microseconds, UTC
	FinishedAt    time.Time
	Outcome       Outcome
	Error         string // "" = null
	CodeVersion   string
	ConfigDigest  string
	Inputs        string   // JSON text
	TablesWritten []string // stored comma-joined; empty = null
	Notes         []string // stored as a JSON array; empty = null
	Replaced      string   // run whose snapshot this run replaced; "" = null
	Config        string   // a score run's effective configuration (YAML); "" = null
}

// FileRead is one export file an ingest run read, as runs.inputs records
// it (a JSON array of them).
type FileRead struct {
	Source      string        `json:"source"`
	File        string        `json:"file"`
	SHA256      string        `json:"sha256"`
	ETag        string        `json:"etag,omitempty"` // the S3 object's entity tag, when read from S3
	Bytes       int64         `json:"bytes"`
	Read        int64         `json:"rows_read"` // = accepted + quarantined + blank + not yet known
	Accepted    int64         `json:"rows_accepted"`
	Quarantined int64         `json:"rows_quarantined"`
	Blank       int64         `json:"rows_blank"`                   // rows with every cell empty, skipped
	NotYetKnown int64         `json:"rows_not_yet_known,omitempty"` // rows dated after the as-of date of a load point in time
	Rows        int64         `json:"rows_loaded"`                  // table rows: accepted, or fewer when a grain merged rows
	Reasons     []ReasonCount `json:"reasons,omitempty"`            // quarantined rows by reason code, most first
	Ignored     []string      `json:"ignored_columns,omitempty"`
	Mapping     string        `json:"mapping,omitempty"`
}

// ReasonCount counts the quarantined rows of one reason code.
type ReasonCount struct {
	Code string `json:"code"`
	Rows int64  `json:"rows"`
}

// TableRead is one warehouse table a score run read, as runs.inputs
// records it (a JSON array of them): its rows and the ingest runs that
// loaded them.
type TableRead struct {
	Table  string   `json:"source"`
	Rows   int64    `json:"rows_read"`
	RunIDs []string `json:"ingest_run_ids"`
}

// Check refuses a run row no warehouse should store.
func (r Run) Check() error {
	if err := CheckRunID(r.RunID); err != nil {
		return fmt.Errorf("appending run: %w", err)
	}
	if r.StartedAt.IsZero() || r.FinishedAt.IsZero() {
		return fmt.Errorf("appending run %s: started and finished times are required", r.RunID)
	}
	for _, t := range r.TablesWritten {
		if strings.Contains(t, ",") {
			return fmt.Errorf("appending run %s: table name %q contains a comma", r.RunID, t)
		}
	}
	return nil
}

// RunRecord is r as a one-row record of the runs table's stored schema sc.
func RunRecord(alloc memory.Allocator, sc *arrow.Schema, r Run) (arrow.Record, error) {
	b := array.NewRecordBuilder(alloc, sc)
	defer b.Release()
	for i, f := range sc.Fields() {
		fb := b.Field(i)
		str := func(s string, nullIfEmpty bool) {
			if nullIfEmpty && s == "" {
				fb.AppendNull()
			} else {
				fb.(*array.StringBuilder).Append(s)
			}
		}
		ts := func(v time.Time) { fb.(*array.TimestampBuilder).Append(arrow.Timestamp(v.UnixMicro())) }
		switch f.Name {
		case schema.RunID:
			str(r.RunID, false)
		case schema.AsOfDate:
			fb.(*array.Date32Builder).Append(arrow.Date32(r.AsOf))
		case schema.Job:
			str(string(r.Job), false)
		case schema.StartedAt:
			ts(r.StartedAt)
		case schema.FinishedAt:
			ts(r.FinishedAt)
		case schema.DurationMS:
			fb.(*array.Int64Builder).Append(r.FinishedAt.Sub(r.StartedAt).Milliseconds())
		case schema.Outcome:
			str(string(r.Outcome), false)
		case schema.Error:
			str(r.Error, true)
		case schema.CodeVersion:
			str(r.CodeVersion, false)
		case schema.ConfigDigest:
			str(r.ConfigDigest, false)
		case schema.Inputs:
			str(r.Inputs, false)
		case schema.TablesWritten:
			str(strings.Join(r.TablesWritten, ","), true)
		case schema.ReplacedRunID:
			str(r.Replaced, true)
		case schema.ConfigCol:
			str(r.Config, true)
		case schema.Notes:
			notes := ""
			if len(r.Notes) > 0 {
				b, _ := json.Marshal(r.Notes) // cannot fail: a list of strings
				notes = string(b)
			}
			str(notes, true)
		default:
			return nil, fmt.Errorf("runs column %q is not known to the warehouse", f.Name)
		}
	}
	return b.NewRecord(), nil
}

// AllRuns reads every row of the runs table of any warehouse, all
// partitions, ordered by started_at then run_id.
func AllRuns(ctx context.Context, w Warehouse) ([]Run, error) {
	parts, err := w.Partitions(ctx, schema.Runs)
	if err != nil {
		return nil, err
	}
	var out []Run
	for _, p := range parts {
		runs, err := ReadRuns(ctx, w, p)
		if err != nil {
			return nil, err
		}
		out = append(out, runs...)
	}
	sortRuns(out)
	return out, nil
}

// ReadRuns reads the runs of one as-of date from any warehouse, ordered by
// started_at then run_id; none when the date has no runs.
func ReadRuns(ctx context.Context, w Warehouse, asOf schema.Day) ([]Run, error) {
	rr, err := w.Read(ctx, schema.Runs, asOf)
	if errors.Is(err, ErrNotFound) {
		return nil, nil // an empty partition
	}
	if err != nil {
		return nil, fmt.Errorf("reading runs: %w", err)
	}
	defer rr.Release()
	out, err := appendRuns(nil, rr)
	if err != nil {
		return nil, fmt.Errorf("reading runs of %s: %w", asOf.String(), err)
	}
	sortRuns(out)
	return out, nil
}

func sortRuns(out []Run) {
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartedAt.Equal(out[j].StartedAt) {
			return out[i].StartedAt.Before(out[j].StartedAt)
		}
		return out[i].RunID < out[j].RunID
	})
}

func appendRuns(out []Run, rr array.RecordReader) ([]Run, error) {
	idx := func(name string) int {
		if is := rr.Schema().FieldIndices(name); len(is) == 1 {
			return is[0]
		}
		return -1
	}
	cols := map[string]int{}
	for _, n := range []string{schema.RunID, schema.AsOfDate, schema.Job, schema.StartedAt, schema.FinishedAt,
		schema.Outcome, schema.Error, schema.CodeVersion, schema.ConfigDigest, schema.Inputs, schema.TablesWritten} {
		if cols[n] = idx(n); cols[n] < 0 {
			return out, fmt.Errorf("column %q missing", n)
		}
	}
	// -1 in runs written before these columns existed: read as null
	for _, n := range []string{schema.Notes, schema.ReplacedRunID, schema.ConfigCol} {
		cols[n] = idx(n)
	}
	for rr.Next() {
		rec := rr.Record()
		date, ok1 := rec.Column(cols[schema.AsOfDate]).(*array.Date32)
		started, ok2 := rec.Column(cols[schema.StartedAt]).(*array.Timestamp)
		finished, ok3 := rec.Column(cols[schema.FinishedAt]).(*array.Timestamp)
		if !ok1 || !ok2 || !ok3 {
			return out, errors.New("runs columns have unexpected types")
		}
		str := map[string]*array.String{}
		for name, i := range cols {
			if i < 0 || name == schema.AsOfDate || name == schema.StartedAt || name == schema.FinishedAt {
				continue
			}
			c, ok := rec.Column(i).(*array.String)
			if !ok {
				return out, fmt.Errorf("column %q is %s, want string", name, rec.Column(i).DataType())
			}
			str[name] = c
		}
		for row := 0; row < int(rec.NumRows()); row++ {
			r, err := runAt(str, row)
			if err != nil {
				return out, err
			}
			r.AsOf = schema.Day(date.Value(row))
			r.StartedAt = time.UnixMicro(int64(started.Value(row))).UTC()
			r.FinishedAt = time.UnixMicro(int64(finished.Value(row))).UTC()
			out = append(out, r)
		}
	}
	return out, rr.Err()
}

// runAt is row's text columns as a Run (a missing column or a null is "").
func runAt(str map[string]*array.String, row int) (Run, error) {
	get := func(name string) string {
		if c := str[name]; c != nil && c.IsValid(row) {
			return c.Value(row)
		}
		return ""
	}
	r := Run{
		RunID: get(schema.RunID), Job: Job(get(schema.Job)), Outcome: Outcome(get(schema.Outcome)), Error: get(schema.Error),
		CodeVersion: get(schema.CodeVersion), ConfigDigest: get(schema.ConfigDigest), Inputs: get(schema.Inputs),
		Replaced: get(schema.ReplacedRunID), Config: get(schema.ConfigCol),
	}
	if tw := get(schema.TablesWritten); tw != "" {
		r.TablesWritten = strings.Split(tw, ",")
	}
	if notes := get(schema.Notes); notes != "" {
		if err := json.Unmarshal([]byte(notes), &r.Notes); err != nil {
			return r, fmt.Errorf("run %s: notes: %w", r.RunID, err)
		}
	}
	return r, nil
}

// Finish records a job's outcome in w's runs log: succeeded, or failed with
// jobErr (a failed run published nothing, so no tables count as written).
// It returns jobErr, joined with any failure to record the run.
func Finish(ctx context.Context, w Warehouse, r Run, jobErr error) error {
	r.Outcome = Succeeded
	if jobErr != nil {
		r.Outcome, r.Error, r.TablesWritten, r.Replaced = Failed, jobErr.Error(), nil, "" // Config stays: what the run tried
	}
	if err := w.AppendRun(ctx, r); err != nil {
		return errors.Join(jobErr, fmt.Errorf("recording the run: %w", err))
	}
	return jobErr
}

// FinishEarly records a run r (job, as-of date, code version, start and
// end) that failed before it read the inputs its id is derived from: its
// id is then the job's prefix plus a digest of those and the error, so
// each such failure is its own row.
func FinishEarly(ctx context.Context, w Warehouse, r Run, jobErr error) error {
	id := sha256.Sum256(fmt.Appendf(nil, "job=%s\nas_of=%d\ncode=%s\nstarted=%d\nerror=%s\n", r.Job, r.AsOf, r.CodeVersion, r.StartedAt.UnixNano(), jobErr))
	r.RunID, r.Inputs = r.Job.RunPrefix()+hex.EncodeToString(id[:])[:20], "[]"
	return Finish(ctx, w, r, jobErr)
}
