package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// Event is what a function is invoked with. The schedules send
//
//	{"scheduled_time": "<aws.scheduler.scheduled-time>", "execution_id": "<aws.scheduler.execution-id>"}
//
// (EventBridge Scheduler fills in the time the run was due, the same on
// every retry of it); a person re-running a quarter sends {"as_of": "2026-09-30"}.
type Event struct {
	ScheduledTime string `json:"scheduled_time"`
	ExecutionID   string `json:"execution_id"`
	AsOf          string `json:"as_of"`
}

// errMalformed marks an event that cannot be run: retrying it fails the same way.
var errMalformed = errors.New("malformed event")

// decodeEvent reads an event and the as-of date it asks for: the quarter
// that had just closed at the scheduled time, in the schedules' time
// zone, or the as_of it names.
func decodeEvent(raw []byte, zone *time.Location) (Event, schema.Day, error) {
	var e Event
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return e, 0, fmt.Errorf("%w: %v; send {\"scheduled_time\": \"2026-10-01T06:00:00Z\"} or {\"as_of\": \"2026-09-30\"}", errMalformed, err)
	}
	if dec.More() {
		return e, 0, fmt.Errorf("%w: more than one JSON value", errMalformed)
	}
	switch {
	case e.AsOf != "" && e.ScheduledTime != "":
		return e, 0, fmt.Errorf("%w: both as_of and scheduled_time are set; send one", errMalformed)
	case e.AsOf != "":
		d, err := schema.ParseDay(e.AsOf)
		if err != nil {
			return e, 0, fmt.Errorf("%w: as_of: %v", errMalformed, err)
		}
		if !d.IsQuarterEnd() {
			return e, 0, fmt.Errorf("%w: as_of %s is not a quarter end (e.g. 2026-09-30)", errMalformed, e.AsOf)
		}
		return e, d, nil
	case e.ScheduledTime != "":
		t, err := time.Parse(time.RFC3339, e.ScheduledTime)
		if err != nil {
			return e, 0, fmt.Errorf("%w: scheduled_time %q is not an RFC 3339 time (e.g. 2026-10-01T06:00:00Z)", errMalformed, e.ScheduledTime)
		}
		return e, schema.DayOf(t.In(zone)).QuarterEndBefore(), nil
	}
	return e, 0, fmt.Errorf("%w: neither scheduled_time nor as_of is set", errMalformed)
}
