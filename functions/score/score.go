// Package score is the job that computes the Partner Quality Index for one
// as-of date: it reads the raw tables an ingest run published, scores every
// partner (transforms/quality), and publishes partner_quality and
// interventions together in one warehouse transaction, then records the run.
package score

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
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/quality"
	"github.com/partnerq/pqi/transforms/schema"
)

// Config is what one score run computes.
type Config struct {
	AsOf        int32          // as-of date, days since epoch
	Quality     quality.Config // scoring configuration (quality.DefaultConfig, or a --config file)
	Finance     Finance        // attribution, ROI and cohort configuration (DefaultFinance)
	CodeVersion string
}

// Deps are the things a run talks to.
type Deps struct {
	Warehouse warehouse.Warehouse
	Alloc     memory.Allocator
	Log       *slog.Logger
	Now       func() time.Time
}

// Summary is the outcome of a run.
type Summary struct {
	RunID         string
	AsOf          int32
	ConfigDigest  string
	Partners      int
	Scored        int
	Insufficient  int
	Interventions int
	Top           []quality.Ranked
	Flags         []quality.Flag
	Segments      []SegmentLine // long-tail segments over the window, for the finance summary
	Tables        []string
	Inputs        []Input
	Duration      time.Duration
}

// Input is one raw table the run read.
type Input struct {
	Table  string   `json:"source"`
	Rows   int64    `json:"rows_read"`
	RunIDs []string `json:"ingest_run_ids"`
}

// inputTables are the raw tables scoring reads.
var inputTables = []string{schema.Partners, schema.Deals, schema.DealPartners, schema.CSAT, schema.Churn, schema.CostToServe}

// qualityTables feed the PQI; financeColumns are kept as Arrow records for
// attribution, ROI and cohorts.
var (
	qualityInputs  = map[string]bool{schema.Partners: true, schema.Deals: true, schema.DealPartners: true, schema.CSAT: true, schema.Churn: true}
	requiredInputs = map[string]bool{schema.Partners: true, schema.Deals: true}
)

// Run scores cfg.AsOf.
func Run(ctx context.Context, cfg Config, deps Deps) (Summary, error) {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Alloc == nil {
		deps.Alloc = memory.DefaultAllocator
	}
	started := deps.Now()
	digest := configDigest(cfg)
	sum := Summary{AsOf: cfg.AsOf, ConfigDigest: digest}
	// Attribution needs only partners, deals and deal_partners: it starts
	// as soon as they are read, alongside the reading of the rest.
	var att *attJob
	snap, raw, inputs, err := readInputs(ctx, deps.Warehouse, cfg.AsOf, deps.Log, func(in attribution.Inputs) {
		att = startAttribution(ctx, deps.Alloc, cfg.Finance.Attribution, cfg.AsOf, in)
	})
	defer releaseAll(raw)
	defer att.discard() // before releaseAll: the job reads the raw records
	if err != nil {
		return sum, err
	}
	sum.Inputs = inputs
	sum.RunID = runID(cfg, digest, inputs)
	log := deps.Log.With("run_id", sum.RunID, "as_of", schema.FormatDate(cfg.AsOf))

	runErr := scoreAndPublish(ctx, cfg, deps, snap, raw, att, &sum, log)
	finished := deps.Now()
	sum.Duration = finished.Sub(started)
	inJSON, _ := json.Marshal(inputs)
	if runErr != nil {
		sum.Tables = nil
	}
	if err := warehouse.Finish(ctx, deps.Warehouse, warehouse.Run{
		RunID: sum.RunID, AsOf: cfg.AsOf, Job: "score", StartedAt: started, FinishedAt: finished,
		CodeVersion: cfg.CodeVersion, ConfigDigest: digest,
		Inputs: string(inJSON), TablesWritten: sum.Tables,
	}, runErr); err != nil {
		return sum, err
	}
	log.Info("score finished", "partners", sum.Partners, "scored", sum.Scored, "interventions", sum.Interventions,
		"duration", sum.Duration.Round(time.Millisecond))
	return sum, nil
}

// configDigest covers both the PQI and the finance configuration.
func configDigest(cfg Config) string {
	s := sha256.Sum256([]byte("quality=" + cfg.Quality.Digest() + "\nfinance=" + cfg.Finance.Digest() + "\n"))
	return hex.EncodeToString(s[:])
}

// financeColumns are the columns of each raw table that the finance
// transforms read (attribution, ROI, cohorts; deal ids come from the
// quality snapshot's index). Only these are kept past the read: at ten
// million deals the rest is gigabytes.
var financeColumns = map[string][]string{
	schema.Partners:     {schema.PartnerID, schema.JoinedDate, schema.Vertical, schema.Capability, schema.ProgramTier},
	schema.Deals:        {schema.CreatedDate, schema.ClosedDate, schema.RegisteredDate, schema.Status, schema.AmountUSD, schema.AEInvited, schema.ViaMarketplace},
	schema.DealPartners: {schema.DealID, schema.PartnerID, schema.Role},
	schema.CostToServe:  {schema.PartnerID, schema.PeriodStart, schema.Category, schema.AmountUSD, schema.Hours},
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

// runID is "sco-" and a hash of everything the output depends on: the
// as-of date, the ingest runs that produced the inputs (themselves hashes of
// the export files), the configuration and the code version.
func runID(cfg Config, digest string, inputs []Input) string {
	h := sha256.New()
	fmt.Fprintf(h, "as_of=%d\ncode=%s\nconfig=%s\n", cfg.AsOf, cfg.CodeVersion, digest)
	for _, in := range inputs {
		fmt.Fprintf(h, "%s rows=%d runs=%v\n", in.Table, in.Rows, in.RunIDs)
	}
	return "sco-" + hex.EncodeToString(h.Sum(nil))[:20]
}

func scoreAndPublish(ctx context.Context, cfg Config, deps Deps, snap *quality.Snapshot, raw map[string][]arrow.Record, att *attJob, sum *Summary, log *slog.Logger) error {
	err := warehouse.Publish(ctx, deps.Warehouse, cfg.AsOf, sum.RunID, func(tx warehouse.Tx) error {
		return scoreInto(ctx, cfg, deps, snap, raw, att, sum, log, tx)
	})
	if err == nil {
		sum.Tables = []string{schema.PartnerQuality, schema.Interventions, schema.Attribution, schema.PartnerROI, schema.SegmentROI, schema.CohortMetrics}
	}
	return err
}

// scoreInto computes every scored table and stages it in tx.
func scoreInto(ctx context.Context, cfg Config, deps Deps, snap *quality.Snapshot, raw map[string][]arrow.Record, att *attJob, sum *Summary, log *slog.Logger, tx warehouse.Tx) error {
	// Tables are staged as soon as they are computed and their records
	// released, so the largest (attribution) is not held while the rest is
	// computed; nothing is visible until Commit.
	stage := func(table string, rec arrow.Record) error {
		w, err := tx.Writer(table)
		if err != nil {
			return fmt.Errorf("opening table %s: %w", table, err)
		}
		if err := w.Write(rec); err != nil {
			w.Close()
			return fmt.Errorf("writing %s: %w", table, err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", table, err)
		}
		return nil
	}

	// stageAsync opens the writer now (writers open in a fixed order) and,
	// in the background, writes every record produce emits, releasing each;
	// wait returns the outcome.
	stageAsync := func(table string, produce func(emit func(arrow.Record) error) error) (wait func() error) {
		w, err := tx.Writer(table)
		if err != nil {
			err = fmt.Errorf("opening table %s: %w", table, err)
			return func() error { return err }
		}
		done := make(chan error, 1)
		go func() {
			err := produce(func(rec arrow.Record) error {
				defer rec.Release()
				return w.Write(rec)
			})
			if err != nil {
				w.Close()
				done <- fmt.Errorf("writing %s: %w", table, err)
				return
			}
			if err := w.Close(); err != nil {
				done <- fmt.Errorf("writing %s: %w", table, err)
				return
			}
			done <- nil
		}()
		return func() error { return <-done }
	}

	// The PQI and the finance tables read the same inputs and nothing of
	// each other: compute them side by side.
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
		res, qErr = quality.Compute(deps.Alloc, snap, quality.Params{AsOf: cfg.AsOf, RunID: sum.RunID, Config: cfg.Quality})
		qTook = time.Since(t0)
	}()
	segments, finErr := computeFinance(ctx, deps.Alloc, cfg.Finance, raw, att, cfg.AsOf, sum.RunID, log, stage, stageAsync)
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
	log.Info("scored", "partners", res.Partners, "pqi", qTook.Round(time.Millisecond), "finance", finTook.Round(time.Millisecond))
	sum.Partners, sum.Scored, sum.Insufficient = res.Partners, res.Scored, res.Insufficient
	sum.Interventions, sum.Top, sum.Flags = int(res.Interventions.NumRows()), res.Top, res.Flags
	sum.Segments = segments
	if err := stage(schema.PartnerQuality, res.PartnerQuality); err != nil {
		return err
	}
	return stage(schema.Interventions, res.Interventions)
}

// readInputs streams every raw table of the as-of partition into a scoring
// snapshot, releasing each record once copied. A missing table is an error
// (run ingest first); ingest always publishes all of them, empty or not.
// Once the attribution inputs are read, startAttribution (if not nil) is
// called with them; the records stay in raw, unreleased, until the caller
// releases raw.
func readInputs(ctx context.Context, wh warehouse.Warehouse, asOf int32, log *slog.Logger, startAttribution func(attribution.Inputs)) (*quality.Snapshot, map[string][]arrow.Record, []Input, error) {
	snap := quality.NewSnapshot()
	raw := map[string][]arrow.Record{}
	var inputs []Input
	for _, name := range inputTables {
		started := func() {
			if name == schema.DealPartners && startAttribution != nil {
				startAttribution(attribution.Inputs{Partners: raw[schema.Partners], Deals: raw[schema.Deals], DealPartners: raw[schema.DealPartners],
					DealIndex: snap.DealIndex()})
			}
		}
		t0 := time.Now()
		in, err := readTable(ctx, wh, name, asOf, snap, raw)
		log.Debug("read", "table", name, "rows", in.Rows, "took", time.Since(t0).Round(time.Millisecond))
		if errors.Is(err, warehouse.ErrNotFound) && !requiredInputs[name] {
			// An optional source published empty: BigQuery keeps no empty
			// partitions, so it reads as absent there.
			inputs = append(inputs, Input{Table: name})
			started()
			continue
		}
		if err != nil {
			if errors.Is(err, warehouse.ErrNotFound) {
				return nil, raw, nil, fmt.Errorf("no %s table for %s in the warehouse; fix: run pqi ingest --as-of %s first", name, schema.FormatDate(asOf), schema.FormatDate(asOf))
			}
			return nil, raw, nil, fmt.Errorf("reading %s: %w", name, err)
		}
		inputs = append(inputs, in)
		started()
	}
	return snap, raw, inputs, nil
}

func readTable(ctx context.Context, wh warehouse.Warehouse, name string, asOf int32, snap *quality.Snapshot, raw map[string][]arrow.Record) (Input, error) {
	in := Input{Table: name}
	rr, err := wh.Read(ctx, name, asOf)
	if err != nil {
		return in, err
	}
	defer rr.Release()
	if sized, ok := rr.(warehouse.Sized); ok && qualityInputs[name] {
		snap.Reserve(name, int(sized.NumRows()))
	}
	runs := map[string]bool{}
	idx := rr.Schema().FieldIndices(schema.RunID)
	// Decoding the next batch (on one core) overlaps with indexing this
	// one into the snapshot (on the other).
	batches, readErr := prefetch(rr, 4)
	for rec := range batches {
		err := func() error {
			defer rec.Release()
			return addBatch(name, rec, idx, runs, snap, raw, &in)
		}()
		if err != nil {
			for rest := range batches {
				rest.Release()
			}
			return in, err
		}
	}
	if err := readErr(); err != nil {
		return in, err
	}
	for r := range runs {
		in.RunIDs = append(in.RunIDs, r)
	}
	sort.Strings(in.RunIDs)
	return in, nil
}

// prefetch reads rr ahead in its own goroutine, handing over up to n
// retained records; the caller releases each. err is valid once the channel
// is drained.
func prefetch(rr array.RecordReader, n int) (<-chan arrow.Record, func() error) {
	out := make(chan arrow.Record, n)
	var err error
	go func() {
		defer close(out)
		for rr.Next() {
			rec := rr.Record()
			rec.Retain()
			out <- rec
		}
		err = rr.Err()
	}()
	return out, func() error { return err }
}

func addBatch(name string, rec arrow.Record, idx []int, runs map[string]bool, snap *quality.Snapshot, raw map[string][]arrow.Record, in *Input) error {
	in.Rows += rec.NumRows()
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
		if err := snap.Add(name, rec); err != nil {
			return err
		}
	}
	if keep, ok := financeColumns[name]; ok {
		p, err := project(rec, keep)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		raw[name] = append(raw[name], p)
	}
	return nil
}

// attJob is an attribution running in its own goroutine.
type attJob struct {
	cancel context.CancelFunc
	done   chan struct{}
	p      *attribution.Pending
	err    error
}

func startAttribution(ctx context.Context, alloc memory.Allocator, cfg attribution.Config, asOf int32, in attribution.Inputs) *attJob {
	ctx, cancel := context.WithCancel(ctx)
	j := &attJob{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(j.done)
		j.p, j.err = attribution.Start(ctx, alloc, in, cfg, asOf)
	}()
	return j
}

// wait returns the attribution, which the caller then owns.
func (j *attJob) wait() (*attribution.Pending, error) {
	<-j.done
	p := j.p
	j.p = nil
	return p, j.err
}

// discard stops the job if it still runs and frees what nobody took (safe
// on nil and after wait).
func (j *attJob) discard() {
	if j == nil {
		return
	}
	j.cancel()
	<-j.done
	j.p.Release()
	j.p = nil
}
