// Package score is the job that scores one as-of date: it reads the raw
// tables an ingest run published, computes the Partner Quality Index
// (transforms/quality) and the finance tables (attribution, roi, cohort),
// publishes partner_quality, interventions, registration_conflicts,
// qualification, attribution, partner_roi, segment_roi and cohort_metrics
// together in one warehouse transaction, and records the run with the
// configuration it used (runs.config, which the report reads).
//
// A run is a pipeline of named stages:
//   - read: the raw tables into a scoring snapshot (read, each table's
//     batches decoded ahead with pipe.Ahead), attribution starting beside
//     it (pipe.Go) as soon as partners, deals and deal_partners are in;
//   - compute and stage (computeAndStage): the PQI (quality.Compute)
//     beside the finance tables (computeFinance: attribution, ROI, cohorts),
//     each handed to the transaction as soon as it exists (the attribution
//     table streamed to its writer with pipe.Go);
//   - publish (warehouse.Publish: whose snapshot it replaces, waiting for
//     another run of the date), then record (warehouse.Finish).
package score

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/functions/pipe"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/roi"
	"github.com/partnerq/pqi/transforms/schema"
)

// GCPercent is the garbage collection target the score job runs at (the
// CLI's score, run and demo commands and the score function set it unless
// GOGC is set). The heap is almost all pointer-free column buffers, so a
// collection costs little, while every fresh page the heap grows into
// costs a page fault and counts in the peak. 50% instead of Go's 100% cut
// a 10M-deal score from 38 to 35 s and its peak from 9.0 to 7.0 GB
// (2026-11); 35% instead of 50% gave, at 40,000 partners and 10.1M deals,
// a peak of 1,965 MiB instead of 2,144 and 69.9 s instead of 76.1
// (farm-bench, medians of two pairs, 2026-12-07).
const GCPercent = 35

// Config is what one score run computes.
type Config struct {
	AsOf        schema.Day       // as-of date
	Quality     quality.Config   // PQI settings (settings.Settings.Quality)
	Finance     settings.Finance // attribution, ROI and cohort settings
	CodeVersion string
}

// NewConfig is the run configuration for one as-of date from the settings
// of a configuration file (settings.Load).
func NewConfig(asOf schema.Day, s settings.Settings, codeVersion string) Config {
	return Config{AsOf: asOf, Quality: s.Quality, Finance: s.Finance, CodeVersion: codeVersion}
}

// Deps are what a score run talks to: every job's (warehouse.Deps).
type Deps = warehouse.Deps

// Summary is the outcome of a run.
type Summary struct {
	RunID             string
	AsOf              schema.Day
	ConfigDigest      string
	Partners          int
	Scored            int
	Insufficient      int // too few closed deals
	Indistinguishable int // enough deals, interval too wide to place
	Interventions     int
	Conflicts         int                 // registration conflicts in the window
	Applicants        []quality.Applicant // applications scored, by assessed_date
	Top               []quality.Ranked
	Flags             []quality.Flag
	Segments          []SegmentLine           // long-tail segments over the window, for the finance summary
	Components        []quality.ComponentLine // each PQI component over the ecosystem
	Partial           bool                    // the weight guardrails could not hold for lack of data
	Notes             []string                // what the data lack and what it costs, in plain words
	Tables            []string
	Published         warehouse.Published // whose snapshot it replaced, whose publish it waited for
	Inputs            []warehouse.TableRead
	Duration          time.Duration
}

// inputTables are the raw tables scoring reads, in the order the run
// records them (runs.inputs, and the run id's hash).
var inputTables = []string{schema.Partners, schema.Deals, schema.DealPartners, schema.CSAT, schema.Churn, schema.CostToServe, schema.Applications}

// readOrder is the order the run reads them in: the snapshot's tables in
// the order it takes them (quality.SnapshotOrder), then the rest.
var readOrder = func() []string {
	order := slices.Clone(quality.SnapshotOrder)
	for _, t := range inputTables {
		if !slices.Contains(order, t) {
			order = append(order, t)
		}
	}
	return order
}()

// qualityInputs feed the PQI (the rest of inputTables only finance:
// attribution, ROI and cohorts); requiredInputs must have rows.
var (
	qualityInputs  = map[string]bool{schema.Partners: true, schema.Deals: true, schema.DealPartners: true, schema.CSAT: true, schema.Churn: true}
	requiredInputs = map[string]bool{schema.Partners: true, schema.Deals: true}
)

// Run scores cfg.AsOf.
func Run(ctx context.Context, cfg Config, deps Deps) (Summary, error) {
	deps = deps.Filled()
	started := deps.Now()
	digest := configDigest(cfg)
	sum := Summary{AsOf: cfg.AsOf, ConfigDigest: digest}
	in, err := read(ctx, cfg, deps)
	defer in.release()
	if err != nil {
		return sum, warehouse.FinishEarly(ctx, deps.Warehouse,
			warehouse.Run{Job: warehouse.JobScore, AsOf: cfg.AsOf, CodeVersion: cfg.CodeVersion, StartedAt: started, FinishedAt: deps.Now()}, err)
	}
	sum.Inputs = in.tables
	sum.RunID = runID(cfg, digest, in.tables)
	j := &job{cfg: cfg, deps: deps, in: in, sum: &sum,
		log: deps.Log.With("run_id", sum.RunID, "as_of", cfg.AsOf.String())}
	var runErr error
	sum.Published, runErr = warehouse.Publish(ctx, deps.Warehouse, cfg.AsOf, sum.RunID, schema.PartnerQuality, j.log, func(tx warehouse.Tx) error {
		return j.computeAndStage(ctx, &stager{tx: tx})
	})
	if runErr == nil {
		sum.Tables = scoredTables
	}
	finished := deps.Now()
	sum.Duration = finished.Sub(started)
	inJSON, err := json.Marshal(in.tables)
	if err != nil {
		return sum, fmt.Errorf("recording the run's inputs: %w", err)
	}
	for _, n := range sum.Notes {
		j.log.Warn(n)
	}
	conf, err := settings.Settings{Quality: cfg.Quality, Finance: cfg.Finance}.YAML()
	if err != nil {
		return sum, err
	}
	if err := warehouse.Finish(ctx, deps.Warehouse, warehouse.Run{
		RunID: sum.RunID, AsOf: cfg.AsOf, Job: warehouse.JobScore, StartedAt: started, FinishedAt: finished,
		CodeVersion: cfg.CodeVersion, ConfigDigest: digest,
		Inputs: string(inJSON), TablesWritten: sum.Tables, Notes: sum.Notes, Replaced: sum.Published.Replaced, Config: string(conf),
	}, runErr); err != nil {
		return sum, err
	}
	j.log.Info("score finished", "partners", sum.Partners, "scored", sum.Scored, "interventions", sum.Interventions,
		"duration", sum.Duration.Round(time.Millisecond))
	return sum, nil
}

// scoredTables are the tables a score run publishes, in the order staged.
var scoredTables = []string{schema.PartnerQuality, schema.Interventions, schema.RegistrationConflicts, schema.Qualification, schema.Attribution, schema.PartnerROI, schema.SegmentROI, schema.CohortMetrics}

// job is one score run past its read stage.
type job struct {
	cfg  Config
	deps Deps
	in   *inputs
	sum  *Summary
	log  *slog.Logger
}

// configDigest covers both the PQI and the finance configuration.
func configDigest(cfg Config) string {
	return settings.Settings{Quality: cfg.Quality, Finance: cfg.Finance}.Digest()
}

// financeColumns are the columns of each raw table kept as Arrow records
// past the read: the applications the qualification scores. Partners,
// deals and deal_partners are not kept (attribution's loader decodes them
// as they are read), nor cost_to_serve (summed as it is read, roi.Costs).
var financeColumns = map[string][]string{
	schema.Applications: {schema.ApplicantID, schema.ApplicantName, schema.AssessedDate, schema.Assessor, schema.Criterion, schema.Score},
}

// readColumns are the columns of a raw table the run reads, every other
// left undecoded: what the snapshot, attribution's loader, the costs and
// the kept records use, and run_id (the loads the run scores).
func readColumns(table string) []string {
	cols := []string{schema.RunID}
	for _, use := range [][]string{quality.InputColumns[table], attribution.InputColumns[table], financeColumns[table]} {
		cols = append(cols, use...)
	}
	if table == schema.CostToServe {
		cols = append(cols, roi.CostColumns...)
	}
	slices.Sort(cols)
	return slices.Compact(cols)
}

// project keeps the named columns of rec (sharing their arrays).
func project(rec arrow.Record, names []string) (arrow.Record, error) {
	fields := make([]arrow.Field, 0, len(names))
	cols := make([]arrow.Array, 0, len(names))
	for _, n := range names {
		idx := rec.Schema().FieldIndices(n)
		if len(idx) != 1 {
			return nil, fmt.Errorf("column %s is missing", n)
		}
		fields = append(fields, rec.Schema().Field(idx[0]))
		cols = append(cols, rec.Column(idx[0]))
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, rec.NumRows()), nil
}

// releaseAll releases and forgets the raw records (safe to call twice).
func releaseAll(raw map[string][]arrow.Record) {
	for name, recs := range raw {
		for _, r := range recs {
			r.Release()
		}
		delete(raw, name)
	}
}

// runID is the score job's prefix and a hash of everything the output depends on: the
// as-of date, the ingest runs that produced the inputs (themselves hashes of
// the export files), the configuration and the code version.
func runID(cfg Config, digest string, inputs []warehouse.TableRead) string {
	h := sha256.New()
	fmt.Fprintf(h, "as_of=%d\ncode=%s\nconfig=%s\n", cfg.AsOf, cfg.CodeVersion, digest)
	for _, in := range inputs {
		fmt.Fprintf(h, "%s rows=%d runs=%v\n", in.Table, in.Rows, in.RunIDs)
	}
	return warehouse.JobScore.RunPrefix() + hex.EncodeToString(h.Sum(nil))[:20]
}

// computeAndStage computes every scored table and stages it: the PQI
// and the finance tables read the same inputs and nothing of each other,
// so they run side by side; each table is staged as soon as it exists and
// released, so the largest (attribution) is never held while the rest is
// computed. Nothing is visible until the transaction commits.
func (j *job) computeAndStage(ctx context.Context, st *stager) error {
	var (
		res   *quality.Result
		qErr  error
		wg    sync.WaitGroup
		t0    = time.Now()
		qTook time.Duration
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		res, qErr = quality.Compute(j.deps.Alloc, j.in.snap, quality.Params{AsOf: j.cfg.AsOf, RunID: j.sum.RunID, Config: j.cfg.Quality})
		qTook = time.Since(t0)
	}()
	segments, finNotes, finErr := j.computeFinance(ctx, st)
	finTook := time.Since(t0)
	wg.Wait()
	if res != nil {
		defer res.Release()
	}
	if qErr != nil {
		return fmt.Errorf("scoring: %w", qErr)
	}
	if finErr != nil {
		return finErr
	}
	j.log.Info("scored", "partners", res.Partners, "pqi", qTook.Round(time.Millisecond), "finance", finTook.Round(time.Millisecond))
	if res.Joint != "" {
		j.log.Info(res.Joint)
	}
	j.sum.Partners, j.sum.Scored, j.sum.Insufficient, j.sum.Indistinguishable = res.Partners, res.Scored, res.Insufficient, res.Indistinguishable
	j.sum.Components, j.sum.Partial, j.sum.Notes = res.Components, res.Partial, append(res.Notes, finNotes...)
	j.sum.Interventions, j.sum.Top, j.sum.Flags = int(res.Interventions.NumRows()), res.Top, res.Flags
	j.sum.Conflicts = int(res.Conflicts.NumRows())
	j.sum.Segments = segments
	if err := st.write(schema.PartnerQuality, res.PartnerQuality); err != nil {
		return err
	}
	if err := st.write(schema.Interventions, res.Interventions); err != nil {
		return err
	}
	if err := st.write(schema.RegistrationConflicts, res.Conflicts); err != nil {
		return err
	}
	rec, apps, err := quality.Qualify(j.deps.Alloc, j.in.raw[schema.Applications], j.cfg.Quality.Intake, j.cfg.AsOf, j.sum.RunID)
	if err != nil {
		return err
	}
	defer rec.Release()
	j.sum.Applicants = apps
	return st.write(schema.Qualification, rec)
}

// stager writes computed tables into the run's transaction. Writers open
// in the order tables are handed to it.
type stager struct{ tx warehouse.Tx }

// write stages one record as a whole table.
func (s *stager) write(table string, rec arrow.Record) error {
	rec.Retain() // the caller's still
	return s.writeAll(table, func(emit func(arrow.Record) error) error { return emit(rec) })
}

// writeAll stages every record produce emits as one table, releasing each
// once written.
func (s *stager) writeAll(table string, produce func(emit func(arrow.Record) error) error) error {
	w, err := s.tx.Writer(table)
	if err != nil {
		return fmt.Errorf("opening table %s: %w", table, err)
	}
	return fill(w, table, produce)
}

// stream opens the table's writer now and, beside the caller, writes
// every record produce emits, releasing each; the job's Wait gives the
// outcome.
func (s *stager) stream(table string, produce func(emit func(arrow.Record) error) error) *pipe.Job[struct{}] {
	w, err := s.tx.Writer(table)
	return pipe.Go(context.Background(), func(context.Context) (struct{}, error) {
		if err != nil {
			return struct{}{}, fmt.Errorf("opening table %s: %w", table, err)
		}
		return struct{}{}, fill(w, table, produce)
	})
}

// fill writes every record produce emits to w, releasing each, and
// closes w.
func fill(w warehouse.TableWriter, table string, produce func(emit func(arrow.Record) error) error) error {
	err := produce(func(rec arrow.Record) error {
		defer rec.Release()
		return w.Write(rec)
	})
	if err != nil {
		w.Close()
		return fmt.Errorf("writing %s: %w", table, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", table, err)
	}
	return nil
}

// inputs is what the read stage gives the rest of the run: the scoring
// snapshot, the raw records kept past the read (financeColumns), the
// attribution already running on the first three tables, the costs to
// serve summed, and what was read from each table.
type inputs struct {
	snap   *quality.Snapshot
	raw    map[string][]arrow.Record
	att    *pipe.Job[*attribution.Pending]
	tables []warehouse.TableRead

	// While partners, deals and deal_partners are read, attribution's
	// loader decodes each record behind the snapshot, on the other core;
	// the costs to serve are summed per partner and quarter as they are read.
	loader *attribution.Loader
	feed   *pipe.Sink[tableRecord]
	costs  *roi.Costs
}

// release stops the attribution if it still runs and frees every record
// (safe to call twice, and on a partly read inputs).
func (in *inputs) release() {
	in.closeFeed()
	in.att.Discard(nil)
	in.att = nil
	if in.loader != nil {
		in.loader.Release() // partner records, if the read stopped before the deals
	}
	releaseAll(in.raw)
}

// closeFeed waits for the loader to decode what it was fed; its first
// error (safe to call twice).
func (in *inputs) closeFeed() error {
	if in.feed == nil {
		return nil
	}
	err := in.feed.Close()
	in.feed = nil
	return err
}

// read streams every raw table of the as-of partition into a scoring
// snapshot and attribution's loader, releasing each record once copied,
// and starts attribution as soon as partners, deals and deal_partners are
// in. A missing required table is an error (run ingest first); an optional
// one is read as empty.
func read(ctx context.Context, cfg Config, deps Deps) (*inputs, error) {
	in := &inputs{snap: quality.NewSnapshot(), raw: map[string][]arrow.Record{}}
	loader, err := attribution.NewLoader(deps.Alloc, cfg.Finance.Attribution, cfg.AsOf,
		attribution.Shared{DealIndex: in.snap.DealIndex(), DealDates: in.snap.DealDates})
	if err != nil {
		return in, err
	}
	in.loader = loader
	in.feed = pipe.Behind(4, func(b tableRecord) { b.rec.Release() }, func(b tableRecord) error {
		return loader.Add(b.table, b.rec)
	})
	for _, name := range readOrder {
		t0 := time.Now()
		tin, err := in.readTable(ctx, deps.Warehouse, name, cfg.AsOf)
		deps.Log.Debug("read", "table", name, "rows", tin.Rows, "took", time.Since(t0).Round(time.Millisecond))
		switch {
		case errors.Is(err, warehouse.ErrNotFound) && !requiredInputs[name]:
			// An optional source published empty: BigQuery keeps no empty
			// partitions, so it reads as absent there.
			tin = warehouse.TableRead{Table: name}
		case errors.Is(err, warehouse.ErrNotFound):
			return in, fmt.Errorf("no %s table for %s in the warehouse; fix: run pqi ingest --as-of %s first", name, cfg.AsOf.String(), cfg.AsOf.String())
		case err != nil:
			return in, fmt.Errorf("reading %s: %w", name, err)
		}
		in.tables = append(in.tables, tin)
		if name == schema.CSAT { // the last table whose rows name deals: from here deals are only named
			in.snap.DealIndex().Freeze()
		}
		if name == quality.SnapshotOrder[len(quality.SnapshotOrder)-1] {
			in.snap.Seal()
		}
		if name == schema.DealPartners {
			if err := in.closeFeed(); err != nil {
				return in, err
			}
			if in.costs, err = roi.NewCosts(loader.Partners(), cfg.Finance.ROI, cfg.AsOf); err != nil {
				return in, err
			}
			in.att = pipe.Go(ctx, loader.Start)
		}
	}
	slices.SortStableFunc(in.tables, func(a, b warehouse.TableRead) int {
		return slices.Index(inputTables, a.Table) - slices.Index(inputTables, b.Table)
	})
	return in, nil
}

// tableRecord is one record of a raw table, on its way to the loader.
type tableRecord struct {
	table string
	rec   arrow.Record
}

// attributionTables are the tables attribution's loader reads.
var attributionTables = map[string]bool{schema.Partners: true, schema.Deals: true, schema.DealPartners: true}

func (in *inputs) readTable(ctx context.Context, wh warehouse.Warehouse, name string, asOf schema.Day) (warehouse.TableRead, error) {
	tin := warehouse.TableRead{Table: name}
	rr, err := wh.Read(ctx, name, asOf, readColumns(name)...)
	if err != nil {
		return tin, err
	}
	defer rr.Release()
	if sized, ok := rr.(warehouse.Sized); ok {
		in.snap.Reserve(name, int(sized.NumRows()))
		in.loader.Reserve(name, int(sized.NumRows()))
	}
	runs := map[string]bool{}
	idx := rr.Schema().FieldIndices(schema.RunID)
	// Decoding the next batch (on one core) overlaps with indexing this
	// one into the snapshot (on the other).
	batches := pipe.Ahead(4, arrow.Record.Release, func(emit func(arrow.Record) bool) error {
		for rr.Next() {
			rec := rr.Record()
			rec.Retain()
			if !emit(rec) {
				rec.Release()
				return nil
			}
		}
		return rr.Err()
	})
	for rec, ok := batches.Next(); ok; rec, ok = batches.Next() {
		err := in.addBatch(name, rec, idx, runs, &tin)
		rec.Release()
		if err != nil {
			batches.Stop()
			return tin, err
		}
	}
	if err := batches.Err(); err != nil {
		return tin, err
	}
	for r := range runs {
		tin.RunIDs = append(tin.RunIDs, r)
	}
	sort.Strings(tin.RunIDs)
	return tin, nil
}

// addBatch hands one record to the snapshot, to attribution's loader
// (after the snapshot, which numbers the deal ids the loader looks up) and
// to the raw records kept for finance.
func (in *inputs) addBatch(name string, rec arrow.Record, idx []int, runs map[string]bool, tin *warehouse.TableRead) error {
	tin.Rows += rec.NumRows()
	if len(idx) == 1 {
		if col, ok := rec.Column(idx[0]).(*array.String); ok {
			last := ""
			for i := 0; i < col.Len(); i++ {
				if v := col.Value(i); v != last {
					last = v
					if !runs[v] {
						runs[strings.Clone(v)] = true
					}
				}
			}
		}
	}
	if qualityInputs[name] {
		if err := in.snap.Add(name, rec); err != nil {
			return err
		}
	}
	if name == schema.CostToServe {
		if err := in.costs.Add(rec); err != nil {
			return err
		}
	}
	if attributionTables[name] {
		rec.Retain()
		if !in.feed.Put(tableRecord{name, rec}) {
			return in.closeFeed()
		}
	}
	if keep, ok := financeColumns[name]; ok {
		p, err := project(rec, keep)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		in.raw[name] = append(in.raw[name], p)
	}
	return nil
}
