package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/board"
	"github.com/partnerq/pqi/transforms/schema"
)

// loader reads one as-of date's tables into the report's data.
type loader struct {
	cfg    Config
	w      warehouse.Warehouse
	alloc  memory.Allocator
	inputs []Input // what was read, for the run record

	names   map[string]string      // partner_id -> partner_name
	segment map[string]schema.Tail // partner_id -> long-tail segment this quarter
	revenue map[string]float64     // partner_id -> trailing won revenue this quarter
	window  schema.Window          // the finance window (partner_roi's quarters)

	scoreRun   warehouse.Run
	ingestRuns []warehouse.Run
	settings   settings.Settings // what the score run used (readRuns)
}

// load reads everything the report shows.
func (l *loader) load(ctx context.Context) (board.Data, error) {
	d := board.Data{AsOf: l.cfg.AsOf}
	pq, err := l.readQuality(ctx)
	if err != nil {
		return d, err
	}
	if err := l.readRuns(ctx, pq.runID); err != nil {
		return d, err
	}
	d.ConfigDigest = l.scoreRun.ConfigDigest
	if err := l.readNames(ctx); err != nil {
		return d, err
	}
	steps := []func(context.Context, *board.Data) error{
		l.readFinance, // first: the partners' segments and revenue rank flags and credit
		pq.fill,
		l.readTrend, // after fill: it sets the PQI headlines' previous quarter
		l.readFlags,
		l.readConflicts,
		l.readApplicants,
		l.readDecisions,
		l.readSegments,
		l.readCohorts,
		l.readAttribution,
	}
	for _, s := range steps {
		if err := s(ctx, &d); err != nil {
			return d, err
		}
	}
	l.dataQuality(&d)
	d.Method.Columns = columnsRead()
	d.Runs = l.runRefs()
	d.Digest = l.digest()
	return d, nil
}

// resolveSettings takes the configuration the score run recorded; a
// configuration given must be that one. A score run recorded before runs
// held its configuration is checked against the one given, or the
// defaults.
func (l *loader) resolveSettings(sr warehouse.Run) error {
	given := l.cfg.Settings
	switch {
	case sr.Config != "":
		s, err := settings.Parse([]byte(sr.Config))
		if err != nil {
			return fmt.Errorf("score run %s: reading the configuration it recorded: %w", sr.RunID, err)
		}
		l.settings = s
	case given != nil:
		l.settings = *given
	default:
		s, err := settings.Default()
		if err != nil {
			return err
		}
		l.settings = s
	}
	want := sr.ConfigDigest
	if got := l.settings.Digest(); got != want {
		return fmt.Errorf("the scores as of %s were computed with configuration %s, which run %s does not record; fix: pass the --config the score run used (its digest %s)",
			l.cfg.AsOf.String(), want[:min(12, len(want))], sr.RunID, got[:12])
	}
	if given != nil && given.Digest() != want {
		return fmt.Errorf("the scores as of %s were computed with configuration %s, not the one given (%s); fix: pass the --config the score run used, or none",
			l.cfg.AsOf.String(), want[:min(12, len(want))], given.Digest()[:12])
	}
	return nil
}

// configDigest is the digest of the configuration the scores were
// computed with, once known; else of the one given; else "".
func (l *loader) configDigest() string {
	switch {
	case l.scoreRun.RunID != "":
		return l.scoreRun.ConfigDigest
	case l.cfg.Settings != nil:
		return l.cfg.Settings.Digest()
	}
	return ""
}

// readRuns finds the score run that wrote the scores and the ingest runs
// it read, and checks the configuration given is the one it used.
func (l *loader) readRuns(ctx context.Context, scoreRunID string) error {
	runs, err := warehouse.ReadRuns(ctx, l.w, l.cfg.AsOf)
	if err != nil {
		return err
	}
	latest := func(job warehouse.Job, id string) (warehouse.Run, bool) {
		var out warehouse.Run
		ok := false
		for _, r := range runs { // ordered by start: the last wins
			if r.Job == job && r.RunID == id && r.Outcome == warehouse.Succeeded {
				out, ok = r, true
			}
		}
		return out, ok
	}
	sr, ok := latest(warehouse.JobScore, scoreRunID)
	if !ok {
		return fmt.Errorf("the scores as of %s were written by run %s, which the runs table does not record as succeeded; re-run pqi score",
			l.cfg.AsOf.String(), scoreRunID)
	}
	if err := l.resolveSettings(sr); err != nil {
		return err
	}
	l.scoreRun = sr
	var in []warehouse.TableRead
	if err := json.Unmarshal([]byte(sr.Inputs), &in); err != nil {
		return fmt.Errorf("score run %s: reading its inputs: %w", sr.RunID, err)
	}
	seen := map[string]bool{}
	for _, t := range in {
		for _, id := range t.RunIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			r, ok := latest(warehouse.JobIngest, id)
			if !ok {
				return fmt.Errorf("score run %s read ingest run %s, which the runs table does not record as succeeded", sr.RunID, id)
			}
			l.ingestRuns = append(l.ingestRuns, r)
		}
	}
	sort.Slice(l.ingestRuns, func(i, j int) bool { return l.ingestRuns[i].RunID < l.ingestRuns[j].RunID })
	return nil
}

func (l *loader) runRefs() []board.RunRef {
	var out []board.RunRef
	for _, r := range append(append([]warehouse.Run(nil), l.ingestRuns...), l.scoreRun) {
		out = append(out, board.RunRef{Job: string(r.Job), RunID: r.RunID, CodeVersion: r.CodeVersion})
	}
	return out
}

// digest is the sha256 of what the report is generated from: the runs
// whose tables it read (a run id covers its inputs, configuration and
// code) and the rows read of each table.
func (l *loader) digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "as_of=%s\n", l.cfg.AsOf.String())
	for _, r := range l.runRefs() {
		fmt.Fprintf(h, "%s %s\n", r.Job, r.RunID)
	}
	for _, in := range l.inputs {
		fmt.Fprintf(h, "%s rows=%d\n", in.Table, in.Rows)
	}
	fmt.Fprintf(h, "config=%s\n", l.configDigest())
	return hex.EncodeToString(h.Sum(nil))
}

// read notes a table read for the run record.
func (l *loader) read(table string, rows int) {
	l.inputs = append(l.inputs, Input{Table: table, Rows: rows, RunID: l.scoreRun.RunID})
}

// frame collects the named columns of a scored table and notes the read.
func (l *loader) frame(ctx context.Context, table string, cols []string) (*frame, error) {
	f, err := collect(ctx, l.w, table, l.cfg.AsOf, cols, nil)
	if err == nil {
		l.read(table, f.Rows())
	}
	return f, err
}

// readNames reads the partners' names.
func (l *loader) readNames(ctx context.Context) error {
	l.names = map[string]string{}
	rows := 0
	err := scan(ctx, l.w, schema.Partners, l.cfg.AsOf, func(v *schema.View) error {
		id, name := v.Str(schema.PartnerID), v.Str(schema.PartnerName)
		if v.Err() != nil {
			return nil
		}
		for i := 0; i < v.Rows(); i++ {
			l.names[id.Value(i)] = name.Value(i)
		}
		rows += v.Rows()
		return nil
	})
	l.inputs = append(l.inputs, Input{Table: schema.Partners, Rows: rows})
	return err
}

// partner is a partner as the report names it: its name, when the
// partners table has one, and its id.
func (l *loader) partner(id string) board.Partner {
	return board.Partner{ID: id, Name: l.names[id]}
}

// dataQuality is what the ingest runs read and kept, by source, and what
// the scores could not measure.
func (l *loader) dataQuality(d *board.Data) {
	bySource := map[string]*board.SourceLine{}
	reasons := map[[2]string]int64{}
	for _, r := range l.ingestRuns {
		var files []warehouse.FileRead
		if err := json.Unmarshal([]byte(r.Inputs), &files); err != nil {
			continue // a run written before inputs were recorded: its rows are unknown, and the table says not exported
		}
		for _, f := range files {
			s := bySource[f.Source]
			if s == nil {
				s = &board.SourceLine{Source: f.Source}
				bySource[f.Source] = s
			}
			s.Files++
			s.Read += f.Read
			s.Accepted += f.Accepted
			s.Quarantine += f.Quarantined
			for _, rc := range f.Reasons {
				reasons[[2]string{f.Source, rc.Code}] += rc.Rows
			}
		}
	}
	for _, t := range schema.All() {
		if !t.Input {
			continue
		}
		if s := bySource[t.Name]; s != nil {
			d.DataQuality.Sources = append(d.DataQuality.Sources, *s)
		} else {
			d.DataQuality.Sources = append(d.DataQuality.Sources, board.SourceLine{Source: t.Name})
		}
	}
	for k, n := range reasons {
		code, ok := schema.ParseReasonCode(k[1])
		if !ok {
			continue // a code from a newer pqi: counted in the source's quarantined rows
		}
		d.DataQuality.Reasons = append(d.DataQuality.Reasons, board.ReasonLine{Source: k[0], Code: code, Rows: int(n)})
	}
	sort.Slice(d.DataQuality.Reasons, func(i, j int) bool {
		a, b := d.DataQuality.Reasons[i], d.DataQuality.Reasons[j]
		if a.Rows != b.Rows {
			return a.Rows > b.Rows
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Code < b.Code
	})
	if len(d.DataQuality.Reasons) > maxReasons {
		d.DataQuality.Reasons = d.DataQuality.Reasons[:maxReasons]
	}
	d.DataQuality.Notes = l.scoreRun.Notes
}

// Caps on the report's lists: it shows the most important and says how
// many more the tables hold.
const (
	maxReasons = 12
	maxFlags   = 20
	maxMovers  = 5
	maxShifts  = 10
	maxCohorts = 12
	leagueSize = 10
)

// columnsRead are the scored tables and the columns the report's figures
// are read from, for the methodology page: the one place the report
// names columns.
func columnsRead() [][2]string {
	join := func(cols ...string) string { return strings.Join(cols, ", ") }
	return [][2]string{
		{schema.PartnerQuality, join(qualityColumns()[1:]...)},
		{schema.Interventions, join(schema.PartnerID, schema.Trigger, schema.Severity, schema.Outlook, schema.Evidence)},
		{schema.RegistrationConflicts, join(schema.CustomerID, schema.FirstPartnerID, schema.FirstRegistered, schema.ProtectionDays,
			schema.DealID, schema.PartnerID, schema.RegisteredDate)},
		{schema.Qualification, join(schema.ApplicantID, schema.ApplicantName, schema.AssessedDate, schema.Assessor, schema.Total,
			schema.Maximum, schema.Band, schema.MissingCriteria)},
		{schema.PartnerROI, join(schema.PartnerID, schema.QuarterStart, schema.TailSegment, schema.TrailingWonUSD, schema.CostTotalUSD,
			schema.PipelineCreatedUSD, schema.PipelineLiftUSD, schema.IncrementalSpend)},
		{schema.SegmentROI, join(schema.Quarter, schema.TailSegment, schema.PartnerQuarters, schema.CostTotalUSD, schema.CostCommissionUSD,
			schema.InvestmentUSD, schema.PipelineCreatedUSD, schema.WonRevenueUSD, schema.InvestedPartnerQuarters,
			schema.MarginalROI, schema.MarginalROILow, schema.MarginalROIHigh, schema.ROIState)},
		{schema.CohortMetrics, join(schema.CohortType, schema.Cohort, schema.Period, schema.PartnerCount, schema.ActivationRate, schema.BeforeData)},
		{schema.Attribution, join(append([]string{schema.PartnerID, schema.Status, schema.ClosedDate}, creditColumns[:]...)...)},
		{schema.Partners, join(schema.PartnerID, schema.PartnerName)},
		{schema.Decisions, join(schema.DecisionID, schema.PartnerID, schema.DecisionKind, schema.DecidedDate, schema.Deciders,
			schema.DecisionText, schema.DecidedTier, schema.DecisionStat, schema.ReviewDate)},
	}
}
