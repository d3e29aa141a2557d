package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/partnerq/pqi/functions/bucket"
	"github.com/partnerq/pqi/functions/bucket/s3test"
	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest/ingesttest"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// TestScheduledQuarterOnS3 runs the four functions end to end against S3
// and SQS served by moto_server on loopback: exports are read from the
// landing bucket, the PDF and run summary written to the reports bucket,
// every partner's scorecard under its own prefix there;
// exports a retry cannot fix go to the failure queue with the run id.
func TestScheduledQuarterOnS3(t *testing.T) {
	env := s3test.Start(t)
	c := s3test.Client(t)
	s3test.MakeBucket(t, c, "acme-landing")
	s3test.MakeBucket(t, c, "acme-reports")
	dir := t.TempDir()
	exports := filepath.Join(dir, "exports")
	asOf, _ := schema.ParseDay("2026-09-30")
	if _, err := gen.Run(context.Background(), gen.Config{Partners: 60, Seed: 5, Quarters: 6, AsOf: asOf.Time(),
		DealsPerPartner: 30, BadRows: 0.01, Out: exports, TruthDir: filepath.Join(dir, "truth")}); err != nil {
		t.Fatal(err)
	}
	s3test.Upload(t, c, exports, "acme-landing", "exports")
	// a second landing prefix whose partners export lacks its id column
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "partners.csv"), []byte("name\nZürich Daten AG\n"), 0o644)
	deals, _ := os.ReadFile(filepath.Join(exports, "deals.csv"))
	os.WriteFile(filepath.Join(bad, "deals.csv"), deals, 0o644)
	s3test.Upload(t, c, bad, "acme-landing", "broken")

	_, awsCfg, err := bucket.NewS3Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q := sqs.NewFromConfig(awsCfg)
	queue, err := q.CreateQueue(context.Background(), &sqs.CreateQueueInput{QueueName: aws.String("pqi-failures")})
	if err != nil {
		t.Fatal(err)
	}
	wh := filepath.Join(dir, "wh")
	common := append(env.List(), "PQI_WAREHOUSE="+wh, "PQI_FAILURE_QUEUE="+aws.ToString(queue.QueueUrl))

	for _, job := range []struct{ name, env string }{
		{"ingest", "PQI_EXPORTS=s3://acme-landing/exports"}, {"score", ""}, {"report", "PQI_REPORTS=s3://acme-reports/board"},
		{"scorecards", "PQI_REPORTS=s3://acme-reports/board"},
	} {
		f := startFunction(t, append(common, "PQI_JOB="+job.name, job.env)...)
		r, resp := f.invoke(t, scheduled, 2*time.Minute)
		if r.Failed || resp.Outcome != "succeeded" {
			t.Fatalf("%s: %s\n%s", job.name, r.Body, f.log())
		}
		t.Logf("%s: %.2f s, cold start %v", job.name, resp.Seconds, f.api.ColdStart())
	}
	pdf := s3test.Get(t, c, "acme-reports", "board/2026-Q3/board-report-2026-Q3.pdf")
	var summary map[string]any
	if err := json.Unmarshal(s3test.Get(t, c, "acme-reports", "board/2026-Q3/board-report-2026-Q3.json"), &summary); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || int(summary["Bytes"].(float64)) != len(pdf) || summary["pdf"] != "s3://acme-reports/board/2026-Q3/board-report-2026-Q3.pdf" {
		t.Errorf("reports bucket: %d-byte PDF, summary %v", len(pdf), summary)
	}
	// every partner's scorecard under its own prefix, for a portal to share
	var ids []string
	ir, err := local.Open(wh, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ingesttest.Rows(t, ir, schema.Partners, asOf) {
		ids = append(ids, r[schema.PartnerID])
	}
	if len(ids) < 50 {
		t.Fatalf("%d partners", len(ids))
	}
	for _, id := range ids {
		if card := s3test.Get(t, c, "acme-reports", "board/partners/"+id+"/scorecard-2026-Q3.pdf"); !bytes.HasPrefix(card, []byte("%PDF-")) {
			t.Errorf("partner %s: no scorecard PDF under its prefix", id)
		}
	}
	// the ingest run recorded each object's ETag beside its sha256
	w, err := local.Open(wh, nil)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := warehouse.ReadRuns(context.Background(), w, asOf)
	if err != nil {
		t.Fatal(err)
	}
	var inputs []struct{ File, SHA256, ETag string }
	for _, r := range runs {
		if r.Job == "ingest" {
			json.Unmarshal([]byte(r.Inputs), &inputs)
		}
	}
	if len(inputs) != len(schema.InputOrder) {
		t.Fatalf("ingest inputs (want one file per source): %+v", inputs)
	}
	for _, in := range inputs {
		if len(in.SHA256) != 64 || len(in.ETag) != 32 {
			t.Errorf("%s: sha256 %q, etag %q", in.File, in.SHA256, in.ETag)
		}
	}

	// broken exports: answered as failed, not retried, and queued with the run id
	f := startFunction(t, append(common, "PQI_JOB=ingest", "PQI_EXPORTS=s3://acme-landing/broken")...)
	r, resp := f.invoke(t, scheduled, time.Minute)
	if r.Failed || resp.Outcome != "failed" || resp.Retryable || !strings.Contains(resp.Error, "partner_id") {
		t.Fatalf("broken exports: failed=%v %+v", r.Failed, resp)
	}
	msgs, err := q.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2})
	if err != nil || len(msgs.Messages) != 1 {
		t.Fatalf("failure queue: %v, %v", msgs, err)
	}
	var queued Response
	if err := json.Unmarshal([]byte(aws.ToString(msgs.Messages[0].Body)), &queued); err != nil || queued.Error != resp.Error || queued.Job != "ingest" || queued.AsOf != "2026-09-30" {
		t.Errorf("queued %s (%v)", aws.ToString(msgs.Messages[0].Body), err)
	}
	if resp.RunID == "" || queued.RunID != resp.RunID {
		t.Errorf("the failed run's id is not in the queue: response %q, queued %q", resp.RunID, queued.RunID)
	}
}
