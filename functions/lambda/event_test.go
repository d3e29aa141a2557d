package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/api/googleapi"

	"github.com/partnerq/pqi/functions/ingest"
)

func TestEventGivesTheQuarterJustClosed(t *testing.T) {
	zone := func(name string) *time.Location {
		l, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	for _, c := range []struct {
		event, zone, want string
	}{
		{`{"scheduled_time": "2026-10-01T06:00:00Z"}`, "UTC", "2026-09-30"},
		{`{"scheduled_time": "2026-12-31T23:59:59Z"}`, "UTC", "2026-09-30"},
		{`{"scheduled_time": "2027-01-01T00:00:00Z", "execution_id": "x"}`, "UTC", "2026-12-31"},
		// the quarter closes at midnight where the schedules run
		{`{"scheduled_time": "2026-10-01T03:00:00Z"}`, "America/New_York", "2026-06-30"}, // still 30 September in New York
		{`{"scheduled_time": "2026-09-30T16:00:00Z"}`, "Asia/Tokyo", "2026-09-30"},       // already 1 October in Tokyo
		{`{"scheduled_time": "2026-10-01T06:00:00+02:00"}`, "Europe/Berlin", "2026-09-30"},
		{`{"as_of": "2026-06-30"}`, "UTC", "2026-06-30"},
	} {
		_, asOf, err := decodeEvent([]byte(c.event), zone(c.zone))
		if err != nil || asOf.String() != c.want {
			t.Errorf("%s in %s: %s, %v; want %s", c.event, c.zone, asOf.String(), err, c.want)
		}
	}
	for event, want := range map[string]string{
		`[1]`: "cannot unmarshal", `{"as_of": "2026-09-31"}`: "as_of", `{"as_of": "2026-08-31"}`: "not a quarter end",
		`{"as_of": "2026-09-30", "scheduled_time": "2026-10-01T00:00:00Z"}`: "both", `{"time": "2026-10-01T00:00:00Z"}`: `unknown field "time"`,
		`{"scheduled_time": "2026-10-01"}`: "RFC 3339", `{} {}`: "more than one", ``: "EOF",
	} {
		_, _, err := decodeEvent([]byte(event), time.UTC)
		if !errors.Is(err, errMalformed) || !strings.Contains(err.Error(), want) || retryable(err) {
			t.Errorf("%q: %v, want a malformed-event error about %q", event, err, want)
		}
	}
}

func TestConfigNamesWhatIsMissing(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, c := range []struct {
		env  func(string) string
		want string
	}{
		{env(), `PQI_JOB is ""`},
		{env("PQI_JOB", "publish"), `PQI_JOB is "publish"`},
		{env("PQI_JOB", "ingest"), "needs PQI_EXPORTS and PQI_WAREHOUSE"},
		{env("PQI_JOB", "report", "PQI_WAREHOUSE", "bq://p/d"), "needs PQI_REPORTS"},
		{env("PQI_JOB", "score", "PQI_WAREHOUSE", "bq://p/d", "PQI_TIME_ZONE", "Mars/Olympus"), "PQI_TIME_ZONE"},
		{env("PQI_JOB", "score", "PQI_WAREHOUSE", "bq://p/d", "PQI_DEADLINE_MARGIN", "soon"), "PQI_DEADLINE_MARGIN"},
	} {
		if _, err := readConfig(c.env, "test"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, want %q", err, c.want)
		}
	}
	cfg, err := readConfig(env("PQI_JOB", "score", "PQI_WAREHOUSE", "bq://p/d", "PQI_TIME_ZONE", "Europe/Berlin"), "test")
	if err != nil || cfg.zone.String() != "Europe/Berlin" || cfg.margin != 30*time.Second || cfg.pageSize != "a4" {
		t.Errorf("%+v, %v", cfg, err)
	}
}

func TestRetryable(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("loading deals.csv: %w", err) }
	for err, want := range map[error]bool{
		wrap(context.DeadlineExceeded):                              true,
		wrap(ingest.ErrExportChanged):                               true,
		wrap(&googleapi.Error{Code: 503}):                           true,
		wrap(&googleapi.Error{Code: 429}):                           true,
		wrap(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}):   true,
		wrap(&googleapi.Error{Code: 403}):                           false, // permissions: a person fixes them
		errors.New("partners.csv: header has no partner_id column"): false,
		fmt.Errorf("%w: not json", errMalformed):                    false,
	} {
		if got := retryable(err); got != want {
			t.Errorf("retryable(%v) = %v, want %v", err, got, want)
		}
	}
}
