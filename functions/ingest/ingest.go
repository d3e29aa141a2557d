// Package ingest is the job that loads partner, deal, CSAT, churn and
// cost-to-serve exports into the warehouse's raw tables for one as-of date.
// Every row read is either loaded or quarantined with its reason; a file
// that cannot be read at all fails the run and nothing is published.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/pipe"
	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
	"github.com/partnerq/pqi/transforms/validate"
)

// Config is what one ingest run loads.
type Config struct {
	AsOf schema.Day // quarter-end date
	// KnownBy, when after AsOf, loads AsOf point in time from exports
	// taken at KnownBy (a past quarter rebuilt by pqi backfill): rows
	// dated after AsOf did not exist yet and are counted as not yet known,
	// not quarantined; a deal closed after AsOf was open then. 0 = AsOf.
	KnownBy     schema.Day
	Exports     fs.FS  // the export files
	ExportsName string // where Exports is, for messages (a path or URL)
	// Mappings holds the mapping files (*.yaml, docs/mapping.md); nil =
	// the exports' own "mappings" folder. MappingsName says where it is.
	Mappings     fs.FS
	MappingsName string
	CodeVersion  string
	BatchRows    int // rows per Arrow batch; default 8192
	// SpoolMax bounds the temp-folder copy of a Parquet export read
	// without random access (from S3); 0 = no bound (sources.Options).
	SpoolMax int64
}

// Deps are the things a run talks to.
type Deps struct {
	warehouse.Deps
	// BigQuery gives what runs the jobs of the sources a mapping reads
	// from BigQuery (bigquery:, docs/mapping.md; the BigQuery driver's
	// Sources), project being the first such source's job project (each
	// job names its own). It is called once, only when there is such a
	// source; the caller closes what it gave. Nil: such a source is an
	// error saying what to do.
	BigQuery func(ctx context.Context, project string) (sources.Querier, error)
	// Progress, when set, is called after every batch with the bytes of
	// the current file read so far and its size.
	Progress func(file string, read, size int64)
}

// ErrExportChanged is an export that changed while the run read it (an
// upload still going on): running again once it is done loads it.
var ErrExportChanged = errors.New("changed while it was being loaded")

// Required sources: a run without them fails. The other sources may be
// absent; their tables are then published empty and the summary says so.
var required = []string{schema.Partners, schema.Deals}

// SourceSummary adds up the files of one source.
type SourceSummary struct {
	Source                             string
	Files                              []warehouse.FileRead
	Read, Accepted, Quarantined, Blank int64
	NotYetKnown                        int64                   // rows dated after the as-of date of a load point in time
	Rows                               int64                   // table rows (fewer than Accepted when a grain merged lines)
	Reasons                            []warehouse.ReasonCount // quarantined rows by reason code, most first
}

// Summary is the outcome of a run.
type Summary struct {
	RunID        string
	AsOf         schema.Day
	ConfigDigest string
	Sources      []SourceSummary
	Missing      []string             // optional sources with no export
	Lookups      []warehouse.FileRead // files the mappings' lookups read
	Tables       []string             // tables published
	Published    warehouse.Published
	Duration     time.Duration
}

// Run loads the exports into the warehouse for cfg.AsOf.
func Run(ctx context.Context, cfg Config, deps Deps) (Summary, error) {
	mappingsGiven := cfg.Mappings != nil
	if cfg.Mappings == nil {
		sub, err := fs.Sub(cfg.Exports, "mappings")
		if err != nil {
			return Summary{}, fmt.Errorf("opening the mappings in %s: %w", cfg.ExportsName, err)
		}
		cfg.Mappings, cfg.MappingsName = sub, path.Join(cfg.ExportsName, "mappings")
	}
	if cfg.BatchRows <= 0 {
		cfg.BatchRows = 8192
	}
	deps.Deps = deps.Deps.Filled()
	started := deps.Now()
	plan, err := prepare(ctx, cfg, deps)
	if err == nil && mappingsGiven && len(plan.mappings) == 0 {
		err = fmt.Errorf("the mappings folder %s holds no mapping files (*.yaml, *.yml); fix: name the folder that holds them, or give none to use the mappings folder inside the exports", cfg.MappingsName)
	}
	if err != nil {
		// Nothing was read, but the run started: record it.
		return Summary{AsOf: cfg.AsOf}, warehouse.FinishEarly(ctx, deps.Warehouse,
			warehouse.Run{Job: warehouse.JobIngest, AsOf: cfg.AsOf, CodeVersion: cfg.CodeVersion, StartedAt: started, FinishedAt: deps.Now()}, err)
	}
	sum := Summary{RunID: plan.runID, AsOf: cfg.AsOf, ConfigDigest: plan.configDigest, Missing: plan.missing, Lookups: plan.lookupFiles}
	log := deps.Log.With("run_id", plan.runID, "as_of", cfg.AsOf.String())
	for _, m := range plan.missing {
		log.Warn("no export for source; its table will be empty", "source", m)
	}

	loadErr := load(ctx, cfg, deps, plan, &sum, log)
	finished := deps.Now()
	sum.Duration = finished.Sub(started)
	if loadErr != nil {
		sum.Tables = nil
	}
	if err := warehouse.Finish(ctx, deps.Warehouse, warehouse.Run{
		RunID: plan.runID, AsOf: cfg.AsOf, Job: warehouse.JobIngest, StartedAt: started, FinishedAt: finished,
		CodeVersion: cfg.CodeVersion, ConfigDigest: plan.configDigest,
		Inputs: inputsJSON(sum), TablesWritten: sum.Tables, Replaced: sum.Published.Replaced,
	}, loadErr); err != nil {
		return sum, err
	}
	log.Info("ingest finished", "tables", len(sum.Tables), "duration", sum.Duration.Round(time.Millisecond))
	return sum, nil
}

// plan is what is known before any row is read.
type plan struct {
	files        []sources.File
	hashes       map[string]string // path -> sha256, taken before reading
	mappings     []sources.MappingFile
	lookups      map[*sources.MappingFile]map[string]map[string]string // mapping -> contract column -> key -> value
	lookupFiles  []warehouse.FileRead
	missing      []string
	runID        string
	configDigest string
	bigquery     sources.Querier // runs the BigQuery sources' jobs; nil without such a source
}

// prepare finds the exports and mappings and derives the run's identity
// from their contents: the same inputs, configuration and code always get
// the same run id, so re-running an as-of date writes byte-identical tables.
func prepare(ctx context.Context, cfg Config, deps Deps) (plan, error) {
	mappings, err := sources.LoadMappings(cfg.Mappings, cfg.MappingsName)
	if err != nil {
		return plan{}, err
	}
	files, err := sources.Discover(cfg.Exports, mappings)
	if err != nil {
		return plan{}, fmt.Errorf("finding exports in %s: %w", cfg.ExportsName, err)
	}
	p := plan{files: files, mappings: mappings, hashes: map[string]string{}}
	if i := slices.IndexFunc(files, func(f sources.File) bool { return f.Format == sources.BigQuery }); i >= 0 && deps.BigQuery != nil {
		project := files[i].Mapping.Mapping.BigQuery.JobProject()
		if p.bigquery, err = deps.BigQuery(ctx, project); err != nil {
			return plan{}, fmt.Errorf("%s: %w; fix: run with Application Default Credentials that may run jobs in %s", files[i].Mapping.Path, err, project)
		}
	}
	have := map[string]bool{}
	for _, f := range files {
		have[f.Source] = true
	}
	for _, src := range schema.InputOrder {
		if have[src] {
			continue
		}
		for _, r := range required {
			if r == src {
				return plan{}, fmt.Errorf("no %s export in %s; fix: add %s.csv (or .jsonl, .parquet) there, or a mapping whose file: names the export or whose bigquery: names a table or query", src, cfg.ExportsName, src)
			}
		}
		p.missing = append(p.missing, src)
	}
	if err := p.loadLookups(ctx, cfg, deps); err != nil {
		return plan{}, err
	}
	id := sha256.New()
	fmt.Fprintf(id, "as_of=%d\ncode=%s\n", cfg.AsOf, cfg.CodeVersion)
	conf := sha256.New()
	fmt.Fprintf(conf, "as_of=%s\n", cfg.AsOf.String())
	if cfg.KnownBy > cfg.AsOf {
		fmt.Fprintf(conf, "known_by=%s\n", cfg.KnownBy.String())
	}
	for _, m := range p.mappings {
		fmt.Fprintf(conf, "mapping %s %x\n", m.Path, sha256.Sum256(m.Bytes))
	}
	for _, l := range p.lookupFiles {
		fmt.Fprintf(conf, "lookup %s %s\n", l.File, l.SHA256)
	}
	p.configDigest = hex.EncodeToString(conf.Sum(nil))
	fmt.Fprintf(id, "config=%s\n", p.configDigest)
	for _, f := range files {
		h, ok := p.hashes[f.Path]
		if !ok {
			if h, err = hashSource(ctx, cfg.Exports, f, deps.Alloc, p.bigquery); err != nil {
				return plan{}, err
			}
			p.hashes[f.Path] = h
		}
		fmt.Fprintf(id, "%s %s %s\n", f.Source, f.Path, h)
	}
	p.runID = warehouse.JobIngest.RunPrefix() + hex.EncodeToString(id.Sum(nil))[:20]
	return p, nil
}

// loadLookups reads the files the mappings' lookups name, each once.
func (p *plan) loadLookups(ctx context.Context, cfg Config, deps Deps) error {
	p.lookups = map[*sources.MappingFile]map[string]map[string]string{}
	type read struct {
		values map[string]string
		sha    string
	}
	type source struct{ file, key, value string }
	done := map[source]read{}
	for i := range p.mappings {
		m := &p.mappings[i]
		for _, col := range slices.Sorted(maps.Keys(m.Mapping.Lookups)) {
			l := m.Mapping.Lookups[col]
			at := source{l.File, l.Key, l.Value}
			r, ok := done[at]
			if !ok {
				values, sha, err := sources.ReadLookup(ctx, cfg.Exports, l, deps.Alloc)
				if err != nil {
					return fmt.Errorf("%s: lookups: %s: %w", m.Path, col, err)
				}
				r = read{values, sha}
				done[at] = r
				p.lookupFiles = append(p.lookupFiles, warehouse.FileRead{Source: m.Mapping.Source + "." + col + " lookup", File: l.File, SHA256: sha, Read: int64(len(values))})
			}
			if p.lookups[m] == nil {
				p.lookups[m] = map[string]map[string]string{}
			}
			p.lookups[m][col] = r.values
		}
	}
	return nil
}

// hashSource is the sha256 of an export file's bytes, or of a BigQuery
// source's cells (read once here, as a file is, and again to load: a
// source that changed in between fails the run with ErrExportChanged).
func hashSource(ctx context.Context, fsys fs.FS, src sources.File, alloc memory.Allocator, client sources.Querier) (string, error) {
	if src.Format != sources.BigQuery {
		return hashFile(ctx, fsys, src.Path)
	}
	r, err := sources.Open(ctx, fsys, src, sources.Options{Alloc: alloc, BigQuery: client})
	if err != nil {
		return "", err
	}
	defer r.Close()
	for r.Next() {
	}
	return r.SHA256(), r.Err()
}

func hashFile(ctx context.Context, fsys fs.FS, name string) (string, error) {
	f, err := sources.OpenFile(ctx, fsys, name)
	if err != nil {
		return "", fmt.Errorf("opening %s: %w", name, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// load streams every export through validation into one warehouse
// transaction, and commits it only if every file was readable.
func load(ctx context.Context, cfg Config, deps Deps, p plan, sum *Summary, log *slog.Logger) error {
	var err error
	sum.Published, err = warehouse.Publish(ctx, deps.Warehouse, cfg.AsOf, p.runID, schema.Partners, log, func(tx warehouse.Tx) error {
		return stageAll(ctx, cfg, deps, p, sum, tx, log)
	})
	return err
}

// stageAll writes every source's table and the quarantine into tx.
func stageAll(ctx context.Context, cfg Config, deps Deps, p plan, sum *Summary, tx warehouse.Tx, log *slog.Logger) error {
	q, err := newQuarantine(deps.Alloc, tx, cfg.AsOf, p.runID)
	if err != nil {
		return err
	}
	defer q.release()
	keys := validate.NewKeys()
	defer keys.Release()
	jd := newJoinedDates(deps.Alloc, keys)
	defer jd.release()
	var partners warehouse.TableWriter
	for i, src := range schema.InputOrder {
		w, err := tx.Writer(src)
		if err != nil {
			return fmt.Errorf("opening table %s: %w", src, err)
		}
		ld := loader{cfg: cfg, deps: deps, p: p, q: q, keys: keys, log: log, sink: w}
		switch src {
		case schema.Partners: // held until the deals can date those without a joined_date
			partners, ld.sink = w, jd
		case schema.Deals:
			if jd.needed() {
				ld.keyAux = schema.CreatedDate
			}
		case schema.DealPartners:
			ld.tap = jd.see
		}
		ss, err := ld.source(ctx, src)
		if err == nil && src == schema.DealPartners {
			err = jd.flush(partners)
			if cerr := partners.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("writing table %s: %w", schema.Partners, cerr)
			}
		}
		if src != schema.Partners {
			if cerr := w.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("writing table %s: %w", src, cerr)
			}
		}
		if err != nil {
			return err
		}
		sum.Sources = append(sum.Sources, ss)
		sum.Tables = append(sum.Tables, src)
		forgetUnreferenced(keys, i)
	}
	if err := q.close(); err != nil {
		return err
	}
	sum.Tables = append(sum.Tables, schema.Quarantine)
	return nil
}

// forgetUnreferenced frees the key sets of the sources loaded so far
// (InputOrder up to done) that no source still to load refers to: only
// the partners and the deals are kept past their own load, frozen
// (validate.Keys.Freeze), the deals until the last table that names a
// deal is in.
func forgetUnreferenced(keys *validate.Keys, done int) {
	for _, src := range schema.InputOrder[:done+1] {
		needed := false
		for _, later := range schema.InputOrder[done+1:] {
			for _, c := range schema.Get(later).Columns {
				needed = needed || (c.Ref != nil && c.Ref.Table == src)
			}
		}
		if needed {
			keys.Freeze(src)
		} else {
			keys.Forget(src)
		}
	}
}

// sink takes a source's accepted batches: its table's writer, or a holder.
type sink interface{ Write(arrow.Record) error }

// loader loads the export files of one source.
type loader struct {
	cfg    Config
	deps   Deps
	p      plan
	q      *quarantine
	keys   *validate.Keys
	log    *slog.Logger
	sink   sink
	keyAux string             // validate.Config.KeyAux
	tap    func(arrow.Record) // sees every accepted batch before the sink, when set
}

func (ld *loader) source(ctx context.Context, src string) (SourceSummary, error) {
	t := schema.Get(src)
	ss := SourceSummary{Source: src}
	for _, f := range ld.p.files {
		if f.Source != src {
			continue
		}
		if err := ctx.Err(); err != nil {
			return ss, err
		}
		fsum, err := ld.file(ctx, t, f)
		if err != nil {
			return ss, err
		}
		if len(fsum.Ignored) > 0 {
			ld.log.Warn("export columns not in the contract were ignored", "file", f.Path, "columns", strings.Join(fsum.Ignored, ", "))
		}
		ld.log.Info("loaded", "source", src, "file", f.Path, "read", fsum.Read, "accepted", fsum.Accepted, "quarantined", fsum.Quarantined)
		ss.Files = append(ss.Files, fsum)
		ss.Read += fsum.Read
		ss.Accepted += fsum.Accepted
		ss.Quarantined += fsum.Quarantined
		ss.Blank += fsum.Blank
		ss.NotYetKnown += fsum.NotYetKnown
		ss.Rows += fsum.Rows
		ss.Reasons = addReasons(ss.Reasons, fsum.Reasons)
	}
	return ss, nil
}

func (ld *loader) file(ctx context.Context, t schema.Table, f sources.File) (warehouse.FileRead, error) {
	cfg, deps, p := ld.cfg, ld.deps, ld.p
	fsum := warehouse.FileRead{Source: t.Name, File: f.Path, Bytes: f.Size}
	vc := validate.Config{Table: t, AsOf: cfg.AsOf, KnownBy: cfg.KnownBy, RunID: p.runID, Keys: ld.keys, KeyAux: ld.keyAux}
	if f.Mapping != nil {
		fsum.Mapping = f.Mapping.Path
		vc.Mapping, vc.MappingName, vc.Lookups = f.Mapping.Mapping, f.Mapping.Path, p.lookups[f.Mapping]
	}
	opts := sources.Options{Alloc: deps.Alloc, BatchRows: cfg.BatchRows, SpoolMax: cfg.SpoolMax, Columns: vc.Mapping.ExportColumns(t), BigQuery: p.bigquery}
	if d := vc.Mapping.Delimiter; d != "" {
		opts.Comma = []rune(d)[0]
	}
	r, err := sources.Open(ctx, cfg.Exports, f, opts)
	if err != nil {
		return fsum, err
	}
	defer r.Close()
	v, ignored, err := validate.New(vc, f.Path, r.Header())
	if err != nil {
		return fsum, err
	}
	fsum.Ignored = append(ignored, r.Ignored()...)
	if err := ld.stream(&fsum, r, v); err != nil {
		return fsum, err
	}
	fsum.Ignored = append(fsum.Ignored, r.Ignored()...)
	sort.Strings(fsum.Ignored)
	fsum.Ignored = dedupe(fsum.Ignored)
	fsum.Blank = r.Blank()
	fsum.Read += fsum.Blank
	fsum.NotYetKnown = v.NotYetKnown()
	fsum.SHA256, fsum.ETag = r.SHA256(), r.ETag()
	if fsum.SHA256 != p.hashes[f.Path] {
		return fsum, fmt.Errorf("%s %w (sha256 %s before, %s after); fix: load from a copy that nothing writes to, or run again once the upload is done", f.Path, ErrExportChanged, p.hashes[f.Path], fsum.SHA256)
	}
	if r.RowsRead()+r.Blank() != fsum.Read || fsum.Read != fsum.Accepted+fsum.Quarantined+fsum.Blank+fsum.NotYetKnown {
		return fsum, fmt.Errorf("%s: %d rows read but %d accepted + %d quarantined + %d blank + %d not yet known: a row was lost, which is a bug in pqi",
			f.Path, fsum.Read, fsum.Accepted, fsum.Quarantined, fsum.Blank, fsum.NotYetKnown)
	}
	return fsum, nil
}

// stream runs the file's rows through the pipeline (pipeline.go): read
// ahead, prepared on every core, decided here in order, written behind.
// The table's key set makes room for the file's keys as soon as the
// first batch tells how many rows its size holds.
func (ld *loader) stream(fsum *warehouse.FileRead, r *sources.Reader, v *validate.Validator) error {
	var progress func()
	if p := ld.deps.Progress; p != nil {
		progress = func() { read, size := r.Progress(); p(fsum.File, read, size) }
	}
	batches := prepareAhead(readAhead(r, progress, v.ReserveKeys), v)
	wb := ld.writeBehind(fsum.Source, fsum.File)
	reasons := map[string]int64{}
	ok := true
	for b, more := batches.Next(); more; b, more = batches.Next() {
		fsum.Read += b.Rows()
		acc, rejects := v.Decide(b)
		if ok = ld.take(fsum, acc, acc.NumRows(), rejects, reasons, wb); !ok {
			break
		}
	}
	if !ok {
		batches.Stop()
		return wb.Close()
	}
	if err := batches.Err(); err != nil {
		wb.Close()
		return err
	}
	// a grain's merged rows, checked now that every line of the file is in
	ferr := v.Flush(ld.cfg.BatchRows, func(acc arrow.Record, n int64, rejects []validate.Reject) error {
		if !ld.take(fsum, acc, n, rejects, reasons, wb) {
			return errWriteFailed // Close says why
		}
		return nil
	})
	if err := wb.Close(); err != nil {
		return err
	}
	if ferr != nil {
		return ferr
	}
	fsum.Reasons = addReasons(nil, reasonList(reasons))
	return nil
}

// errWriteFailed stops a flush whose batches can no longer be written.
var errWriteFailed = errors.New("a write failed")

// take counts one validated batch (made of lines export rows), shows it
// to the tap, and queues it for writing: the accepted record to the
// source's sink, the rejects to quarantine. False when a write has failed.
func (ld *loader) take(fsum *warehouse.FileRead, acc arrow.Record, lines int64, rejects []validate.Reject, reasons map[string]int64, wb *pipe.Sink[validated]) bool {
	fsum.Accepted += lines
	fsum.Rows += acc.NumRows()
	fsum.Quarantined += int64(len(rejects))
	for _, rj := range rejects {
		reasons[rj.Code.String()]++
	}
	if acc.NumRows() > 0 && ld.tap != nil {
		ld.tap(acc)
	}
	return wb.Put(validated{acc, rejects})
}

func reasonList(m map[string]int64) []warehouse.ReasonCount {
	out := make([]warehouse.ReasonCount, 0, len(m))
	for code, n := range m {
		out = append(out, warehouse.ReasonCount{Code: code, Rows: n})
	}
	return out
}

// addReasons adds the counts of b to a, most rows first (then by code).
func addReasons(a, b []warehouse.ReasonCount) []warehouse.ReasonCount {
	m := map[string]int64{}
	for _, r := range append(a, b...) {
		m[r.Code] += r.Rows
	}
	out := reasonList(m)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rows != out[j].Rows {
			return out[i].Rows > out[j].Rows
		}
		return out[i].Code < out[j].Code
	})
	return out
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func inputsJSON(s Summary) string {
	files := []warehouse.FileRead{}
	for _, src := range s.Sources {
		files = append(files, src.Files...)
	}
	files = append(files, s.Lookups...)
	b, _ := json.Marshal(files)
	return string(b)
}
