package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/partnerq/pqi/functions/warehouse/local"

	"github.com/partnerq/pqi/functions/gen"
	"github.com/partnerq/pqi/functions/ingest/ingesttest"
	"github.com/partnerq/pqi/functions/lambda/runtimeapi"
	"github.com/partnerq/pqi/transforms/schema"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// TestMain removes the bootstrap binary the tests built, once they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// bootstrap builds the function as make package does (CGO off,
// lambda.norpc), for this machine's architecture, once per test run.
func bootstrap(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pqi-bootstrap-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "bootstrap")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "lambda.norpc",
			"-ldflags", "-X main.version=test", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building bootstrap: %v", buildErr)
	}
	return binPath
}

// function is one running bootstrap process and its Runtime API.
type function struct {
	api  *runtimeapi.Server
	cmd  *exec.Cmd
	logs *bytes.Buffer
	mu   *sync.Mutex
}

// startFunction starts bootstrap as Lambda does: a fresh process whose
// environment points at a Runtime API; it stops when the test ends.
func startFunction(t *testing.T, env ...string) *function {
	t.Helper()
	api, err := runtimeapi.Start()
	if err != nil {
		t.Fatal(err)
	}
	f := &function{api: api, logs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	f.cmd = exec.Command(bootstrap(t))
	f.cmd.Env = append(append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir()}, api.Env()...), env...)
	f.cmd.Stdout, f.cmd.Stderr = lockedWriter{f.logs, f.mu}, lockedWriter{f.logs, f.mu}
	f.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	api.MarkStart()
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-f.cmd.Process.Pid, syscall.SIGKILL)
		f.cmd.Wait()
		api.Close()
	})
	return f
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (f *function) log() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logs.String()
}

// invoke delivers one event and decodes the answer.
func (f *function) invoke(t *testing.T, event string, timeout time.Duration) (runtimeapi.Result, Response) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := f.api.Invoke(ctx, []byte(event), timeout)
	if err != nil {
		t.Fatalf("%v\nfunction log:\n%s", err, f.log())
	}
	var resp Response
	if !r.Failed {
		if err := json.Unmarshal(r.Body, &resp); err != nil {
			t.Fatalf("response %s: %v", r.Body, err)
		}
	}
	return r, resp
}

const scheduled = `{"scheduled_time": "2026-10-01T06:00:00Z", "execution_id": "e-1"}`

// TestBootstrapAsLambdaRunsIt starts the built bootstrap binary against a
// Runtime API on loopback, for each job, and delivers what Lambda really
// delivers: the same scheduled event twice, a retry after a run that ran
// out of time, and malformed events.
func TestBootstrapAsLambdaRunsIt(t *testing.T) {
	dir := t.TempDir()
	exports, wh, reports := filepath.Join(dir, "exports"), filepath.Join(dir, "wh"), filepath.Join(dir, "reports")
	asOf, _ := schema.ParseDay("2026-09-30")
	if _, err := gen.Run(context.Background(), gen.Config{Partners: 80, Seed: 3, Quarters: 6, AsOf: asOf.Time(),
		DealsPerPartner: 30, BadRows: 0.01, Out: exports, TruthDir: filepath.Join(dir, "truth")}); err != nil {
		t.Fatal(err)
	}
	common := []string{"PQI_WAREHOUSE=" + wh, "PQI_TIME_ZONE=America/New_York", "PQI_DEADLINE_MARGIN=5s"}

	// ingest: a first attempt that runs out of time publishes nothing and
	// asks for a retry; the retry and a duplicate of it give one load.
	in := startFunction(t, append(common, "PQI_JOB=ingest", "PQI_EXPORTS="+exports)...)
	r, _ := in.invoke(t, scheduled, 40*time.Millisecond)
	if !r.Failed || !strings.Contains(string(r.Body), "a retry may succeed") {
		t.Fatalf("a run out of time: failed=%v %s", r.Failed, r.Body)
	}
	w, err := local.Open(wh, nil)
	if err != nil {
		t.Fatal(err)
	}
	if parts, _ := w.Partitions(context.Background(), schema.Deals); len(parts) != 0 {
		t.Fatalf("the timed-out run published deals for %v", parts)
	}
	_, first := in.invoke(t, scheduled, time.Minute)
	_, second := in.invoke(t, scheduled, time.Minute)
	if first.Outcome != "succeeded" || second.Outcome != "succeeded" || first.RunID != second.RunID || first.AsOf != "2026-09-30" {
		t.Fatalf("ingest twice: %+v then %+v", first, second)
	}
	deals := ingesttest.Rows(t, w, schema.Deals, asOf)
	if seen := distinct(deals, schema.DealID); seen != len(deals) || len(deals) == 0 {
		t.Errorf("deals: %d rows, %d distinct ids", len(deals), seen)
	}
	for k, v := range first.Counts {
		if second.Counts[k] != v {
			t.Errorf("the duplicate event counted %s %d, the first %d", k, second.Counts[k], v)
		}
	}

	// score, twice
	sc := startFunction(t, append(common, "PQI_JOB=score")...)
	_, s1 := sc.invoke(t, scheduled, time.Minute)
	_, s2 := sc.invoke(t, scheduled, time.Minute)
	pq := ingesttest.Rows(t, w, schema.PartnerQuality, asOf)
	if s1.Outcome != "succeeded" || s1.RunID != s2.RunID || distinct(pq, schema.PartnerID) != len(pq) || int64(len(pq)) != s1.Counts["partners"] {
		t.Fatalf("score twice: %+v, %+v; %d rows", s1, s2, len(pq))
	}

	// report, twice: the same PDF both times
	rp := startFunction(t, append(common, "PQI_JOB=report", "PQI_REPORTS="+reports, "PQI_COMPANY=Acme")...)
	_, r1 := rp.invoke(t, scheduled, time.Minute)
	pdf1, err := os.ReadFile(filepath.Join(reports, "2026-Q3", "board-report-2026-Q3.pdf"))
	if err != nil || r1.Outcome != "succeeded" {
		t.Fatalf("report: %+v, %v\n%s", r1, err, rp.log())
	}
	_, r2 := rp.invoke(t, scheduled, time.Minute)
	pdf2, _ := os.ReadFile(filepath.Join(reports, "2026-Q3", "board-report-2026-Q3.pdf"))
	if r2.RunID != r1.RunID || !bytes.Equal(pdf1, pdf2) || !bytes.HasPrefix(pdf1, []byte("%PDF-")) {
		t.Errorf("the retried report differs: %s vs %s, %d vs %d bytes", r1.RunID, r2.RunID, len(pdf1), len(pdf2))
	}
	var summary map[string]any
	if b, err := os.ReadFile(filepath.Join(reports, "2026-Q3", "board-report-2026-Q3.json")); err != nil || json.Unmarshal(b, &summary) != nil || summary["RunID"] != r1.RunID {
		t.Errorf("run summary: %v %v", summary, err)
	}

	// malformed events: answered (not failed, so never retried) with an
	// error that says what to send
	for _, bad := range []string{`not json`, `{"scheduled_time": "yesterday"}`, `{"as_of": "2026-09-15"}`, `{"sheduled_time": "2026-10-01T06:00:00Z"}`, `{}`} {
		r, resp := rp.invoke(t, bad, time.Minute)
		if r.Failed || resp.Outcome != "failed" || resp.Retryable || !strings.Contains(resp.Error, "malformed event") {
			t.Errorf("event %s: failed=%v %+v", bad, r.Failed, resp)
		}
	}
	// the JSON logs carry run ids and durations in seconds, never a partner's name
	names := map[string]bool{}
	for _, p := range ingesttest.Rows(t, w, schema.Partners, asOf) {
		names[p[schema.PartnerName]] = true
	}
	for _, f := range []*function{in, sc, rp} {
		for _, line := range strings.Split(strings.TrimSpace(f.log()), "\n") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) != nil {
				continue // the Lambda library's own error lines
			}
			for _, v := range rec {
				if s, ok := v.(string); ok && names[s] {
					t.Errorf("a partner name in the log: %s", line)
				}
			}
			if rec["msg"] == "run succeeded" && (rec["run_id"] == "" || rec["duration_seconds"] == nil || rec["as_of"] != "2026-09-30") {
				t.Errorf("log line lacks run id, as-of or seconds: %s", line)
			}
		}
	}
	if d := in.api.ColdStart(); d <= 0 {
		t.Errorf("cold start not measured")
	} else {
		t.Logf("cold start (process start to first request for an event): %v", d)
	}
}

func distinct(rows []map[string]string, col string) int {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r[col]] = true
	}
	return len(seen)
}
