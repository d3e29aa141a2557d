package bigquery

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/api/option"

	"github.com/partnerq/pqi/functions/warehouse"
)

// Scheme starts a BigQuery warehouse spec: bq://PROJECT/DATASET[?location=EU].
const Scheme = "bq://"

// IsSpec says whether spec names a BigQuery warehouse (it may still be a
// bad one: ParseSpec says).
func IsSpec(spec string) bool { return strings.HasPrefix(spec, Scheme) }

// Open opens the BigQuery warehouse spec names (bq://PROJECT/DATASET),
// authenticated with Application Default Credentials (docs/bigquery.md)
// unless opts say otherwise (an endpoint and no authentication for the
// emulator). The warehouse owns its client: Close it when done.
func Open(ctx context.Context, spec string, alloc memory.Allocator, opts ...option.ClientOption) (*Warehouse, error) {
	cfg, err := ParseSpec(spec)
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
	w, err := New(client, cfg, alloc)
	if err != nil {
		client.Close()
		return nil, err
	}
	w.owned = true
	return w, nil
}

// Close closes the client if Open made it (not one given to New).
func (w *Warehouse) Close() error {
	if !w.owned {
		return nil
	}
	return w.client.Close()
}

// CheckExists is an error wrapping warehouse.ErrNoWarehouse if the dataset
// does not exist.
func (w *Warehouse) CheckExists(ctx context.Context) error {
	_, err := w.dataset().Metadata(ctx)
	switch {
	case isNotFound(err):
		return warehouse.NoWarehousef("%s%s/%s: dataset %s.%s does not exist; create it with pqi sql --warehouse %s%s/%s --deploy, then load it with pqi ingest",
			Scheme, w.cfg.Project, w.cfg.Dataset, w.cfg.Project, w.cfg.Dataset, Scheme, w.cfg.Project, w.cfg.Dataset)
	case err != nil:
		return fmt.Errorf("looking up dataset %s.%s: %w", w.cfg.Project, w.cfg.Dataset, err)
	}
	return nil
}

// OpenClient connects to BigQuery with jobs in project by default,
// authenticated with Application Default Credentials unless opts say
// otherwise, and with the Storage Read API enabled: results are read as
// Arrow.
func OpenClient(ctx context.Context, project string, opts ...option.ClientOption) (*bq.Client, error) {
	client, err := bq.NewClient(ctx, project, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to BigQuery (credentials come from Application Default Credentials; see docs/bigquery.md): %w", err)
	}
	if err := client.EnableStorageReadClient(ctx, opts...); err != nil {
		client.Close()
		return nil, fmt.Errorf("enabling the BigQuery Storage Read API: %w", err)
	}
	return client, nil
}

// ParseSpec reads bq://PROJECT/DATASET[?location=L&publish=MODE]. Errors
// wrap warehouse.ErrSpec.
func ParseSpec(spec string) (Config, error) {
	var cfg Config
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", warehouse.ErrSpec, spec, fmt.Sprintf(format, a...))
	}
	u, err := url.Parse(spec)
	if err != nil {
		return cfg, bad("%v", err)
	}
	cfg.Project = u.Host
	cfg.Dataset = strings.TrimPrefix(u.Path, "/")
	if err := errors.Join(ValidateProject(cfg.Project), ValidateDataset(cfg.Dataset)); err != nil {
		return cfg, bad("want %sPROJECT/DATASET: %v", Scheme, err)
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
