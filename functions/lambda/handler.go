package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/partnerq/pqi/functions/bucket"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/report"
	"github.com/partnerq/pqi/functions/score"
	"github.com/partnerq/pqi/functions/settings"
	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	"github.com/partnerq/pqi/reports/pdf"
	"github.com/partnerq/pqi/transforms/schema"
)

// handler runs one job per invocation with what the container built once.
type handler struct {
	cfg      config
	log      *slog.Logger
	wh       warehouse.Warehouse
	exports  *bucket.Bucket // ingest
	mappings *bucket.Bucket // ingest; nil = the exports' mappings folder
	reports  *bucket.Bucket // report
	settings settings.Settings
	pageSize pdf.Size
	sqs      *sqs.Client // nil without a failure queue
	now      func() time.Time
}

// Response is what an invocation returns. A run that failed for a reason
// a retry cannot fix (a malformed event, bad exports, a configuration
// error) is a Response with outcome failed and retryable false: Lambda
// does not retry it, and it is sent to the failure queue. A run a retry
// may fix returns an error instead, and Lambda retries it.
type Response struct {
	Job       warehouse.Job     `json:"job"`
	AsOf      string            `json:"as_of,omitempty"`
	RunID     string            `json:"run_id,omitempty"`
	Outcome   warehouse.Outcome `json:"outcome"`
	Error     string            `json:"error,omitempty"`
	Retryable bool              `json:"retryable"`
	Seconds   float64           `json:"duration_seconds"`
	Counts    map[string]int64  `json:"counts,omitempty"`
	Outputs   []string          `json:"outputs,omitempty"`
}

// Invoke is the Lambda handler (lambda.Handler): it takes the event's
// bytes as they came, so an event that is not even JSON is answered with
// a clear error, not failed by the library (which Lambda would retry).
func (h *handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	resp, err := h.handle(ctx, payload)
	if err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

func (h *handler) handle(ctx context.Context, raw []byte) (Response, error) {
	started := h.now()
	resp := Response{Job: h.cfg.job, Outcome: warehouse.Succeeded}
	log := h.log
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		log = log.With("request_id", lc.AwsRequestID)
	}
	ev, asOf, err := decodeEvent(raw, h.cfg.zone)
	if err == nil {
		resp.AsOf = asOf.String()
		log = log.With("as_of", resp.AsOf, "execution_id", ev.ExecutionID)
		ctx, cancel := h.withMargin(ctx)
		defer cancel()
		err = h.run(ctx, asOf, log, &resp)
	}
	resp.Seconds = h.now().Sub(started).Seconds()
	if err == nil {
		log.Info("run succeeded", "run_id", resp.RunID, "duration", h.now().Sub(started))
		return resp, nil
	}
	resp.Outcome, resp.Error, resp.Retryable = warehouse.Failed, err.Error(), retryable(err)
	if resp.Retryable {
		log.Error("run failed; Lambda retries it", "run_id", resp.RunID, "error", err.Error(), "duration", h.now().Sub(started))
		return resp, fmt.Errorf("%s run for %s failed (a retry may succeed): %w", resp.Job, resp.AsOf, err)
	}
	log.Error("run failed; not retried", "run_id", resp.RunID, "error", err.Error(), "duration", h.now().Sub(started))
	if qerr := h.toFailureQueue(ctx, raw, resp); qerr != nil {
		// The failure is in the response and the log either way; a queue
		// that cannot take it is a retryable problem of its own.
		return resp, fmt.Errorf("sending the failed run to the failure queue: %w", qerr)
	}
	return resp, nil
}

// withMargin keeps back part of the time left before the Lambda deadline
// (the configured margin, at most a tenth of it) so a run that would
// overrun is cancelled while there is time to discard its staged tables
// and record it: it publishes nothing partial.
func (h *handler) withMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	margin := min(h.cfg.margin, time.Until(dl)/10)
	return context.WithDeadline(ctx, dl.Add(-margin))
}

// run runs the function's job for asOf.
func (h *handler) run(ctx context.Context, asOf schema.Day, log *slog.Logger, resp *Response) error {
	alloc, now := memory.DefaultAllocator, h.now
	switch h.cfg.job {
	case warehouse.JobIngest:
		cfg := ingest.Config{AsOf: asOf, Exports: h.exports.FS, ExportsName: h.exports.URL, CodeVersion: h.cfg.version, SpoolMax: h.cfg.spoolMax}
		if h.mappings != nil {
			cfg.Mappings, cfg.MappingsName = h.mappings.FS, h.mappings.URL
		}
		deps := ingest.Deps{Deps: warehouse.Deps{Warehouse: h.wh, Alloc: alloc, Log: log, Now: now}}
		if q := bigquery.SourcesOf(h.wh); q != nil {
			// BigQuery sources run their jobs as the warehouse does.
			deps.BigQuery = func(context.Context, string) (sources.Querier, error) { return q, nil }
		}
		sum, err := ingest.Run(ctx, cfg, deps)
		resp.RunID = sum.RunID
		resp.Counts = map[string]int64{}
		for _, s := range sum.Sources {
			resp.Counts["rows_read"] += s.Read
			resp.Counts["rows_accepted"] += s.Accepted
			resp.Counts["rows_quarantined"] += s.Quarantined
		}
		return err
	case warehouse.JobScore:
		sum, err := score.Run(ctx, score.NewConfig(asOf, h.settings, h.cfg.version), score.Deps{Warehouse: h.wh, Alloc: alloc, Log: log, Now: now})
		resp.RunID = sum.RunID
		resp.Counts = map[string]int64{"partners": int64(sum.Partners), "scored": int64(sum.Scored), "interventions": int64(sum.Interventions)}
		return err
	case warehouse.JobReport:
		return h.report(ctx, asOf, log, resp)
	case warehouse.JobScorecards:
		return h.scorecards(ctx, asOf, log, resp)
	}
	return fmt.Errorf("unknown job %q", h.cfg.job) // readConfig allows none
}

// report writes the board PDF and its run summary to the reports bucket:
// <quarter>/board-report-<quarter>.pdf and .json. The same tables give
// the same bytes, so a retried run rewrites the same objects.
func (h *handler) report(ctx context.Context, asOf schema.Day, log *slog.Logger, resp *Response) error {
	var pdfBytes bytes.Buffer
	sum, err := report.Run(ctx, report.Config{AsOf: asOf, Company: h.cfg.company, PageSize: h.pageSize, Settings: &h.settings, CodeVersion: h.cfg.version},
		report.Deps{Deps: warehouse.Deps{Warehouse: h.wh, Alloc: memory.DefaultAllocator, Log: log, Now: h.now}, Output: &pdfBytes})
	resp.RunID = sum.RunID
	if err != nil {
		return err
	}
	q := schema.QuarterLabel(asOf.Quarter())
	base := path.Join(q, "board-report-"+q)
	summary, err := json.MarshalIndent(struct {
		report.Summary
		PDF string `json:"pdf"`
	}{sum, h.reports.Where(base + ".pdf")}, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the run summary: %w", err)
	}
	if err := h.reports.Put(ctx, base+".pdf", pdfBytes.Bytes(), "application/pdf"); err != nil {
		return err
	}
	if err := h.reports.Put(ctx, base+".json", summary, "application/json"); err != nil {
		return err
	}
	resp.Counts = map[string]int64{"partners": int64(sum.Partners), "bytes": int64(sum.Bytes)}
	resp.Outputs = []string{h.reports.Where(base + ".pdf"), h.reports.Where(base + ".json")}
	return nil
}

// scorecards writes every partner's scorecard to the reports bucket under
// partners/<partner_id>/scorecard-<quarter>.pdf: one prefix per partner,
// which a partner portal can share with that partner alone. The same
// tables give the same bytes, so a retried run rewrites the same objects.
func (h *handler) scorecards(ctx context.Context, asOf schema.Day, log *slog.Logger, resp *Response) error {
	sum, err := report.Scorecards(ctx, report.ScorecardsConfig{AsOf: asOf, Company: h.cfg.company, PageSize: h.pageSize, Settings: &h.settings,
		CodeVersion: h.cfg.version},
		report.ScorecardsDeps{
			Deps: warehouse.Deps{Warehouse: h.wh, Alloc: memory.DefaultAllocator, Log: log, Now: h.now},
			Put: func(ctx context.Context, name string, b []byte) error {
				return h.reports.Put(ctx, path.Join(scorecardsPrefix, name), b, "application/pdf")
			},
		})
	resp.RunID = sum.RunID
	if err != nil {
		return err
	}
	resp.Counts = map[string]int64{"partners": int64(sum.Partners), "bytes": sum.Bytes}
	resp.Outputs = []string{h.reports.Where(scorecardsPrefix + "/")}
	return nil
}

// scorecardsPrefix is the folder of the reports prefix the scorecards go to.
const scorecardsPrefix = "partners"

// toFailureQueue sends a run a retry cannot fix to the failure queue,
// with the run id, so someone fixes its cause.
func (h *handler) toFailureQueue(ctx context.Context, raw []byte, resp Response) error {
	if h.sqs == nil {
		return nil
	}
	body, err := json.Marshal(struct {
		Response
		Event string `json:"event"`
	}{resp, strings.ToValidUTF8(string(raw), "\uFFFD")})
	if err != nil {
		return err
	}
	// A context of its own: the run's may have expired, the message must still go.
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err = h.sqs.SendMessage(qctx, &sqs.SendMessageInput{QueueUrl: aws.String(h.cfg.failureQueue), MessageBody: aws.String(string(body))})
	return err
}
