package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"cloud.google.com/go/bigquery"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
)

// bigQueryScheme prefixes a BigQuery warehouse spec:
// bq://PROJECT/DATASET[?location=EU&publish=transaction|partition-load].
const bigQueryScheme = "bq://"

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// openWarehouse opens the warehouse a --warehouse flag names: a directory
// is the local Parquet warehouse; bq://project/dataset is BigQuery,
// authenticated with Application Default Credentials (docs/bigquery.md).
// The closer releases the BigQuery client; call it when done.
func openWarehouse(ctx context.Context, spec string) (warehouse.Warehouse, io.Closer, error) {
	if !strings.HasPrefix(spec, bigQueryScheme) {
		if strings.Contains(spec, "://") {
			return nil, nil, usagef("--warehouse %s: use a directory or %sPROJECT/DATASET", spec, bigQueryScheme)
		}
		w, err := warehouse.OpenLocal(spec, memory.DefaultAllocator)
		if err != nil {
			return nil, nil, err
		}
		return w, nopCloser{}, nil
	}
	cfg, err := parseBigQuerySpec(spec)
	if err != nil {
		return nil, nil, err
	}
	client, err := bigquery.NewClient(ctx, cfg.Project)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to BigQuery (credentials come from Application Default Credentials; see docs/bigquery.md): %w", err)
	}
	if err := client.EnableStorageReadClient(ctx); err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("enabling the BigQuery Storage Read API: %w", err)
	}
	w, err := warehouse.OpenBigQuery(client, cfg, memory.DefaultAllocator)
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	return w, client, nil
}

// parseBigQuerySpec reads bq://PROJECT/DATASET[?location=L&publish=MODE].
func parseBigQuerySpec(spec string) (warehouse.BigQueryConfig, error) {
	var cfg warehouse.BigQueryConfig
	u, err := url.Parse(spec)
	if err != nil {
		return cfg, usagef("--warehouse %s: %v", spec, err)
	}
	cfg.Project = u.Host
	cfg.Dataset = strings.TrimPrefix(u.Path, "/")
	if err := errors.Join(warehouse.ValidateProject(cfg.Project), warehouse.ValidateDataset(cfg.Dataset)); err != nil {
		return cfg, usagef("--warehouse %s: want %sPROJECT/DATASET: %v", spec, bigQueryScheme, err)
	}
	q := u.Query()
	for k := range q {
		if k != "location" && k != "publish" {
			return cfg, usagef("--warehouse %s: unknown option %q (location, publish)", spec, k)
		}
	}
	cfg.Location = q.Get("location")
	switch q.Get("publish") {
	case "", "transaction":
		cfg.Publish = warehouse.PublishTransaction
	case "partition-load":
		cfg.Publish = warehouse.PublishPartitionLoad
	default:
		return cfg, usagef("--warehouse %s: publish=%s: use transaction or partition-load", spec, q.Get("publish"))
	}
	return cfg, nil
}
