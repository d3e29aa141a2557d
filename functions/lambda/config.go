package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/partnerq/pqi/functions/warehouse"
)

// The jobs a function runs (PQI_JOB) are warehouse.JobIngest, JobScore,
// JobReport and JobScorecards; the scorecards run apart from the report,
// since 40,000 of them need minutes of CPU the report's function does not
// have.

// config is a function's environment, read once per container. The SAM
// template (infra/template.yaml) sets it; docs/operations.md lists it.
type config struct {
	job          warehouse.Job  // PQI_JOB: ingest, score, report or scorecards
	warehouse    string         // PQI_WAREHOUSE: bq://PROJECT/DATASET (or a directory, in tests)
	exports      string         // PQI_EXPORTS: s3://BUCKET/PREFIX of the exports (ingest)
	mappings     string         // PQI_MAPPINGS: where the mapping files are; default <exports>/mappings
	reports      string         // PQI_REPORTS: s3://BUCKET/PREFIX the PDF and run summary go to (report), and partners/<id>/ the scorecards (scorecards)
	settings     string         // PQI_CONFIG: the scoring configuration file, s3:// or a path; default built in
	company      string         // PQI_COMPANY: for the report's cover
	pageSize     string         // PQI_PAGE_SIZE: a4 or letter
	zone         *time.Location // PQI_TIME_ZONE: the schedules' time zone, which dates the quarter close
	margin       time.Duration  // PQI_DEADLINE_MARGIN: time kept back from the Lambda deadline to fail cleanly
	spoolMax     int64          // PQI_SPOOL_MAX: bytes of /tmp one Parquet export may be copied to
	failureQueue string         // PQI_FAILURE_QUEUE: SQS queue URL for runs a retry cannot fix
	version      string         // the code version, set at build time
}

// readConfig reads the environment; an error names the variable and the fix.
func readConfig(getenv func(string) string, version string) (config, error) {
	c := config{
		job: warehouse.Job(getenv("PQI_JOB")), warehouse: getenv("PQI_WAREHOUSE"), exports: getenv("PQI_EXPORTS"),
		mappings: getenv("PQI_MAPPINGS"), reports: getenv("PQI_REPORTS"), settings: getenv("PQI_CONFIG"),
		company: getenv("PQI_COMPANY"), pageSize: getenv("PQI_PAGE_SIZE"), failureQueue: getenv("PQI_FAILURE_QUEUE"),
		version: version, margin: 30 * time.Second,
	}
	if c.pageSize == "" {
		c.pageSize = "a4"
	}
	var missing []string
	need := func(name, v string) {
		if v == "" {
			missing = append(missing, name)
		}
	}
	switch c.job {
	case warehouse.JobIngest:
		need("PQI_EXPORTS", c.exports)
	case warehouse.JobScore:
	case warehouse.JobReport, warehouse.JobScorecards:
		need("PQI_REPORTS", c.reports)
	default:
		return c, fmt.Errorf("PQI_JOB is %q; set it to ingest, score, report or scorecards", c.job)
	}
	need("PQI_WAREHOUSE", c.warehouse)
	if len(missing) > 0 {
		return c, fmt.Errorf("the %s function needs %s set", c.job, strings.Join(missing, " and "))
	}
	zone := getenv("PQI_TIME_ZONE")
	if zone == "" {
		zone = "UTC"
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return c, fmt.Errorf("PQI_TIME_ZONE %q is not a time zone (e.g. Europe/Berlin): %v", zone, err)
	}
	c.zone = loc
	if v := getenv("PQI_DEADLINE_MARGIN"); v != "" {
		if c.margin, err = time.ParseDuration(v); err != nil || c.margin < 0 {
			return c, fmt.Errorf("PQI_DEADLINE_MARGIN %q is not a duration (e.g. 30s)", v)
		}
	}
	if v := getenv("PQI_SPOOL_MAX"); v != "" {
		if c.spoolMax, err = strconv.ParseInt(v, 10, 64); err != nil || c.spoolMax < 0 {
			return c, fmt.Errorf("PQI_SPOOL_MAX %q is not a number of bytes", v)
		}
	}
	return c, nil
}
