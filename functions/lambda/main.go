// Command bootstrap is the pqi AWS Lambda function (provided.al2023,
// arm64): one binary for the ingest, score, report and scorecards functions, which
// run it with PQI_JOB set to their job. It decodes the scheduled event,
// derives the as-of date from the time the run was due, and calls the
// same job Run the CLI calls. Clients (S3, SQS, the warehouse) and the
// scoring configuration are built once per container, before the first
// event. docs/operations.md has the environment, the event and the
// retry rules.
package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	"github.com/partnerq/pqi/functions/warehouse/open"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"google.golang.org/api/option"

	"github.com/partnerq/pqi/functions/bucket"
	"github.com/partnerq/pqi/functions/logs"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/reports/pdf"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = "dev"

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") == "" {
		// lambda.Start would exit with a terse message; say what this is.
		fmt.Fprintln(os.Stderr, "bootstrap is the pqi AWS Lambda function: it runs inside Lambda (AWS_LAMBDA_RUNTIME_API is not set). To run a job by hand, use the pqi command.")
		os.Exit(2)
	}
	log := logs.JSON(os.Stdout, slog.LevelInfo)
	cfg, err := readConfig(os.Getenv, version)
	if err != nil {
		log.Error("the function's configuration is wrong", "error", err.Error())
		os.Exit(1)
	}
	log = log.With("job", cfg.job, "function", os.Getenv("AWS_LAMBDA_FUNCTION_NAME"), "code_version", version)
	tuneMemory(cfg.job, os.Getenv)
	ctx := context.Background()
	h, closeAll, err := newHandler(ctx, cfg, log)
	if err != nil {
		log.Error("the function could not start", "error", err.Error())
		os.Exit(1)
	}
	defer closeAll()
	lambda.StartWithOptions(h, lambda.WithContext(ctx), lambda.WithEnableSIGTERM(func() { closeAll() }))
}

// tuneMemory fits the Go runtime to the function: the heap is kept under
// 90% of the function's memory (so the collector works harder before
// Lambda would kill the process), and scoring collects at
// score.GCPercent as the CLI does. GOGC and GOMEMLIMIT, when set, win.
func tuneMemory(job warehouse.Job, getenv func(string) string) {
	if mb, err := strconv.Atoi(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")); err == nil && mb > 0 && getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(mb) << 20 * 9 / 10)
	}
	if job == warehouse.JobScore && getenv("GOGC") == "" {
		debug.SetGCPercent(score.GCPercent)
	}
}

// newHandler builds what every invocation shares: the AWS clients, the
// warehouse, the buckets and the scoring configuration.
func newHandler(ctx context.Context, cfg config, log *slog.Logger) (*handler, func(), error) {
	h := &handler{cfg: cfg, log: log, now: time.Now}
	// Loading the AWS configuration reads the environment only; a client
	// goes to the network when first used.
	s3c, awsCfg, err := bucket.NewS3Client(ctx)
	if err != nil {
		return nil, nil, err
	}
	if cfg.failureQueue != "" {
		h.sqs = sqs.NewFromConfig(awsCfg)
	}
	for _, b := range []struct {
		env, spec string
		dst       **bucket.Bucket
	}{{"PQI_EXPORTS", cfg.exports, &h.exports}, {"PQI_MAPPINGS", cfg.mappings, &h.mappings}, {"PQI_REPORTS", cfg.reports, &h.reports}} {
		if b.spec == "" {
			continue
		}
		if *b.dst, err = bucket.Open(b.spec, s3c); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", b.env, err)
		}
	}
	if h.settings, err = loadSettings(cfg.settings, s3c); err != nil {
		return nil, nil, err
	}
	if h.pageSize, err = pdf.ParseSize(cfg.pageSize); err != nil {
		return nil, nil, fmt.Errorf("PQI_PAGE_SIZE: %w", err)
	}
	opts, err := gcpOptions(os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	wh, err := open.Warehouse(ctx, cfg.warehouse, nil, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("PQI_WAREHOUSE: %w", err)
	}
	h.wh = wh
	return h, func() { wh.Close() }, nil
}

// loadSettings reads the scoring configuration: "" is the built-in one,
// s3://BUCKET/KEY or a path a file.
func loadSettings(spec string, s3c *s3.Client) (settings.Settings, error) {
	if !strings.HasPrefix(spec, bucket.Scheme) {
		return settings.Load(spec)
	}
	dir, name := path.Split(spec)
	b, err := bucket.Open(strings.TrimSuffix(dir, "/"), s3c)
	if err != nil {
		return settings.Settings{}, fmt.Errorf("PQI_CONFIG: %w", err)
	}
	data, err := fs.ReadFile(b.FS, name)
	if err != nil {
		return settings.Settings{}, fmt.Errorf("PQI_CONFIG: reading %s: %w", spec, err)
	}
	s, err := settings.Parse(data)
	if err != nil {
		return settings.Settings{}, fmt.Errorf("PQI_CONFIG %s: %w", spec, err)
	}
	return s, nil
}

// gcpOptions authenticate BigQuery by Workload Identity Federation when
// PQI_GCP_PROJECT_NUMBER is set (the template sets it from its
// parameters); otherwise Application Default Credentials apply.
func gcpOptions(getenv func(string) string) ([]option.ClientOption, error) {
	if getenv("PQI_GCP_PROJECT_NUMBER") == "" {
		return nil, nil
	}
	o, err := bigquery.AWSWorkloadIdentity{
		ProjectNumber: getenv("PQI_GCP_PROJECT_NUMBER"), Pool: getenv("PQI_GCP_WORKLOAD_POOL"),
		Provider: getenv("PQI_GCP_WORKLOAD_PROVIDER"), ServiceAccount: getenv("PQI_GCP_SERVICE_ACCOUNT"),
	}.ClientOption()
	if err != nil {
		return nil, fmt.Errorf("PQI_GCP_*: %w", err)
	}
	return []option.ClientOption{o}, nil
}
