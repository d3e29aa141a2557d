package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"cloud.google.com/go/bigquery"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"google.golang.org/api/option"

	"github.com/partnerq/pqi/transforms/schema"
)

// BigQueryScheme starts a BigQuery warehouse spec:
// bq://PROJECT/DATASET[?location=EU].
const BigQueryScheme = "bq://"

// ErrSpec is wrapped by errors about a warehouse spec that is not a
// directory or a bq:// address: the caller's mistake, not a failed run.
var ErrSpec = errors.New("bad warehouse spec")

// ErrNoWarehouse is wrapped by OpenExisting's error for a spec that names
// no warehouse: a folder that does not exist or that pqi ingest never
// wrote to, a dataset that does not exist. Like ErrSpec, the caller's
// mistake.
var ErrNoWarehouse = errors.New("no warehouse there")

// noWarehouse is an error that says itself and is ErrNoWarehouse.
type noWarehouse string

func (e noWarehouse) Error() string        { return string(e) }
func (e noWarehouse) Is(target error) bool { return target == ErrNoWarehouse }

func noWarehousef(format string, a ...any) error { return noWarehouse(fmt.Sprintf(format, a...)) }

// Opened is an open warehouse and what to release when done with it.
type Opened struct {
	Warehouse
	close func() error
}

// Close releases the warehouse's clients (nothing for Local).
func (o *Opened) Close() error {
	if o == nil || o.close == nil {
		return nil
	}
	return o.close()
}

// Open opens the warehouse a spec names, the same way for every entry point
// (the CLI, the Lambda functions, the tests): a directory is the local
// Parquet warehouse; bq://PROJECT/DATASET is BigQuery, authenticated with
// Application Default Credentials (docs/bigquery.md) unless opts say
// otherwise (an endpoint and no authentication for the emulator). A spec of
// neither form is an error wrapping ErrSpec.
func Open(ctx context.Context, spec string, alloc memory.Allocator, opts ...option.ClientOption) (*Opened, error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if !strings.HasPrefix(spec, BigQueryScheme) {
		if err := CheckLocalSpec(spec); err != nil {
			return nil, err
		}
		w, err := OpenLocal(spec, alloc)
		if err != nil {
			return nil, err
		}
		return &Opened{Warehouse: w}, nil
	}
	cfg, err := ParseBigQuerySpec(spec)
	if err != nil {
		return nil, err
	}
	client, err := OpenClient(ctx, cfg.Project, opts...)
	if err != nil {
		return nil, err
	}
	if cfg.Location == "" {
		// Outside the US and EU multi-regions a job cannot be looked up
		// without its location, and every retry looks its jobs up: take
		// the dataset's location once (a dataset not yet created gets
		// BigQuery's default, and so do its jobs).
		md, err := client.DatasetInProject(cfg.Project, cfg.Dataset).Metadata(ctx)
		switch {
		case err == nil:
			cfg.Location = md.Location
		case !isNotFound(err):
			client.Close()
			return nil, fmt.Errorf("looking up dataset %s.%s for its location (or give ?location=): %w", cfg.Project, cfg.Dataset, err)
		}
	}
	w, err := OpenBigQuery(client, cfg, alloc)
	if err != nil {
		client.Close()
		return nil, err
	}
	return &Opened{Warehouse: w, close: client.Close}, nil
}

// OpenExisting is Open for the jobs that read a warehouse (score, report,
// scorecards, runs, sql): a spec that names no warehouse yet is an error
// wrapping ErrNoWarehouse, and nothing is created, so a mistyped folder or
// dataset is not made into an empty warehouse holding failed runs.
func OpenExisting(ctx context.Context, spec string, alloc memory.Allocator, opts ...option.ClientOption) (*Opened, error) {
	if !strings.HasPrefix(spec, BigQueryScheme) {
		if err := CheckLocalWarehouse(spec); err != nil {
			return nil, err
		}
	}
	o, err := Open(ctx, spec, alloc, opts...)
	if err != nil {
		return nil, err
	}
	if b, ok := o.Warehouse.(*BigQuery); ok {
		if err := b.CheckExists(ctx); err != nil {
			o.Close()
			return nil, err
		}
	}
	return o, nil
}

// CheckExists is an error wrapping ErrNoWarehouse if the dataset does
// not exist.
func (w *BigQuery) CheckExists(ctx context.Context) error {
	_, err := w.dataset().Metadata(ctx)
	switch {
	case isNotFound(err):
		return noWarehousef("%s%s/%s: dataset %s.%s does not exist; create it with pqi sql --warehouse %s%s/%s --deploy, then load it with pqi ingest",
			BigQueryScheme, w.cfg.Project, w.cfg.Dataset, w.cfg.Project, w.cfg.Dataset, BigQueryScheme, w.cfg.Project, w.cfg.Dataset)
	case err != nil:
		return fmt.Errorf("looking up dataset %s.%s: %w", w.cfg.Project, w.cfg.Dataset, err)
	}
	return nil
}

// CheckLocalWarehouse refuses, with an error wrapping ErrSpec or
// ErrNoWarehouse, a local spec that is not a folder pqi ingest has written
// to (every ingest records itself in the runs table). It creates nothing.
func CheckLocalWarehouse(dir string) error {
	if err := CheckLocalSpec(dir); err != nil {
		return err
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return noWarehousef("%s does not exist; give the folder pqi ingest wrote", dir)
	case err != nil:
		return err
	case !st.IsDir():
		return noWarehousef("%s is a file, not a folder; give the folder pqi ingest wrote", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, schema.Runs)); errors.Is(err, fs.ErrNotExist) {
		return noWarehousef("%s is not a pqi warehouse (it has no runs folder); give the folder pqi ingest wrote, or load it with pqi ingest first", dir)
	}
	return nil
}

// OpenClient connects to BigQuery with jobs in project by default,
// authenticated with Application Default Credentials unless opts say
// otherwise, and with the Storage Read API enabled: results are read as
// Arrow.
func OpenClient(ctx context.Context, project string, opts ...option.ClientOption) (*bigquery.Client, error) {
	client, err := bigquery.NewClient(ctx, project, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to BigQuery (credentials come from Application Default Credentials; see docs/bigquery.md): %w", err)
	}
	if err := client.EnableStorageReadClient(ctx, opts...); err != nil {
		client.Close()
		return nil, fmt.Errorf("enabling the BigQuery Storage Read API: %w", err)
	}
	return client, nil
}

// ClientOf is the client of a BigQuery warehouse (opened or not), nil for
// any other.
func ClientOf(w Warehouse) *bigquery.Client {
	if o, ok := w.(*Opened); ok {
		w = o.Warehouse
	}
	if b, ok := w.(*BigQuery); ok {
		return b.client
	}
	return nil
}

// CheckLocalSpec refuses, with an error wrapping ErrSpec, a spec that is
// not bq:// and cannot be a directory either (another scheme, bq: without
// the slashes, empty).
func CheckLocalSpec(spec string) error {
	if strings.Contains(spec, "://") || strings.HasPrefix(spec, "bq:") || spec == "" {
		return fmt.Errorf("%w: %q: use a directory or %sPROJECT/DATASET", ErrSpec, spec, BigQueryScheme)
	}
	return nil
}

// ParseBigQuerySpec reads bq://PROJECT/DATASET[?location=L&publish=MODE].
// Errors wrap ErrSpec.
func ParseBigQuerySpec(spec string) (BigQueryConfig, error) {
	var cfg BigQueryConfig
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrSpec, spec, fmt.Sprintf(format, a...))
	}
	u, err := url.Parse(spec)
	if err != nil {
		return cfg, bad("%v", err)
	}
	cfg.Project = u.Host
	cfg.Dataset = strings.TrimPrefix(u.Path, "/")
	if err := errors.Join(ValidateProject(cfg.Project), ValidateDataset(cfg.Dataset)); err != nil {
		return cfg, bad("want %sPROJECT/DATASET: %v", BigQueryScheme, err)
	}
	q := u.Query()
	for k := range q {
		if k != "location" && k != "publish" {
			return cfg, bad("unknown option %q (location, publish)", k)
		}
	}
	cfg.Location = q.Get("location")
	switch q.Get("publish") {
	case "", "transaction":
	case "partition-load":
		return cfg, bad("publish=partition-load was removed: it was never run against BigQuery or the emulator, and its tables could disagree mid-publish; leave publish= out (every publish is one transaction)")
	default:
		return cfg, bad("publish=%s: the only publish mode is transaction", q.Get("publish"))
	}
	return cfg, nil
}
