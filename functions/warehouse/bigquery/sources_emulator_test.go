package bigquery_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bq "cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/partnerq/pqi/functions/emulatortest"
	"github.com/partnerq/pqi/functions/ingest"
	"github.com/partnerq/pqi/functions/sources"
	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/bigquery"
	"github.com/partnerq/pqi/functions/warehouse/local"
	"github.com/partnerq/pqi/transforms/schema"
)

// Sources in BigQuery (a table, or a query, as a CRM connector keeps them)
// are mapped, validated and quarantined the same way as export files: the
// same rows load and the same rows are quarantined for the same reasons.
func TestSourcesFromBigQuery(t *testing.T) {
	ctx := context.Background()
	client := emulatortest.Start(t)
	if err := client.Dataset("crm").Create(ctx, &bq.DatasetMetadata{}); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, sql string) {
		t.Helper()
		job, err := client.Query(sql).Run(ctx)
		if err = waitJob(ctx, job, err); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	ingestWith := func(t *testing.T, exports string, c *bq.Client) (string, ingest.Summary, error) {
		deps := ingest.Deps{Deps: warehouse.Deps{Alloc: memory.DefaultAllocator}}
		if c != nil {
			deps.BigQuery = func(context.Context, string) (sources.Querier, error) { return bigquery.SourcesWith(c), nil }
		}
		t.Helper()
		root := filepath.Join(t.TempDir(), "wh")
		w, err := local.Open(root, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		clock := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
		sum, err := ingest.Run(ctx,
			ingest.Config{AsOf: emulatortest.AsOf, Exports: os.DirFS(exports), ExportsName: exports, CodeVersion: "test", BatchRows: 100},
			ingest.Deps{Deps: warehouse.Deps{Warehouse: w, Alloc: deps.Alloc, Now: func() time.Time { clock = clock.Add(time.Second); return clock }}, BigQuery: deps.BigQuery})
		return root, sum, err
	}
	// where a row came from differs between a file and BigQuery; nothing else may
	origin := []string{schema.SourceFile, schema.SourceRow, schema.RunID, "file"}
	same := func(t *testing.T, a, b string, table string, skip ...string) int {
		t.Helper()
		wa, _ := local.Open(a, memory.DefaultAllocator)
		wb, _ := local.Open(b, memory.DefaultAllocator)
		skip = append(skip, origin...)
		_, ra := emulatortest.Rows(t, wa, table, emulatortest.AsOf, skip...)
		_, rb := emulatortest.Rows(t, wb, table, emulatortest.AsOf, skip...)
		if !slices.Equal(ra, rb) {
			t.Errorf("%s: %d rows from files, %d from BigQuery; first difference:\n%s", table, len(ra), len(rb), firstDiff(ra, rb))
		}
		return len(ra)
	}

	t.Run("a table of the export's text", func(t *testing.T) {
		// The generator's deals (2% bad rows) landed in BigQuery as they are.
		exports := emulatortest.Generate(t)
		loadCSV(t, client, filepath.Join(exports, "deals.csv"), "crm", "deals_raw")
		fromFiles, want, err := ingestWith(t, exports, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(exports, "deals.csv")); err != nil {
			t.Fatal(err)
		}
		writeMapping(t, filepath.Join(exports, "mappings"), "deals.yaml", "source: deals\nbigquery:\n  table: "+emulatortest.Project+".crm.deals_raw\n")
		fromBQ, got, err := ingestWith(t, exports, client)
		if err != nil {
			t.Fatal(err)
		}
		if n := same(t, fromFiles, fromBQ, schema.Deals); n < 300 {
			t.Errorf("only %d deals loaded", n)
		}
		same(t, fromFiles, fromBQ, schema.DealPartners)
		// A duplicate's reason names the row that loaded the key first,
		// numbered in its own source's order.
		if q := same(t, fromFiles, fromBQ, schema.Quarantine, "reason"); q < 5 {
			t.Errorf("only %d rows quarantined: the bad rows did not reach validation", q)
		}
		w, g := sourceOf(want, schema.Deals), sourceOf(got, schema.Deals)
		if w.Read != g.Read || w.Accepted != g.Accepted || w.Quarantined != g.Quarantined || len(g.Files) != 1 {
			t.Errorf("deals from files %+v, from BigQuery %+v", w, g)
		}
		if f := g.Files[0]; f.File != "bigquery:"+emulatortest.Project+".crm.deals_raw" || len(f.SHA256) != 64 {
			t.Errorf("the BigQuery source is recorded as %q, sha256 %q", f.File, f.SHA256)
		}
		// Read again, unchanged: the same checksum, so the same run.
		_, again, err := ingestWith(t, exports, client)
		if err != nil {
			t.Fatal(err)
		}
		if again.RunID != got.RunID {
			t.Errorf("the same BigQuery data gave runs %s and %s", got.RunID, again.RunID)
		}
		run(t, "UPDATE `"+emulatortest.Project+".crm.deals_raw` SET amount_usd = '1' WHERE deal_id = (SELECT MIN(deal_id) FROM `"+emulatortest.Project+".crm.deals_raw`)")
		if _, changed, err := ingestWith(t, exports, client); err != nil || changed.RunID == got.RunID {
			t.Errorf("changed BigQuery data: run %s (before %s), %v", changed.RunID, got.RunID, err)
		}
	})

	t.Run("a query of a connector's typed table", func(t *testing.T) {
		// testdata/crm's opportunities as a connector syncs them: typed
		// columns, API names, soft-deleted rows. The query drops those;
		// the mapping renames the columns and maps the stages as before.
		ref := "`" + emulatortest.Project + ".crm.opportunity`"
		run(t, "CREATE TABLE "+ref+` (Id STRING, AccountName STRING, CreatedDate TIMESTAMP, CloseDate DATE, StageName STRING,
			Amount NUMERIC, Segment STRING, ProductCount INT64, Readiness STRING, EngagementType STRING, QualifiedLead BOOL,
			DealRegDate DATE, AERequested BOOL, ServicesAttached BOOL, GoLiveDate DATE, Marketplace BOOL, IsDeleted BOOL)`)
		run(t, "INSERT INTO "+ref+` VALUES
			('006A000001', 'Mercy Health', TIMESTAMP '2026-01-15 14:02:11 UTC', DATE '2026-04-20', 'Closed Won', 125000.00, 'Enterprise', 3, 'New', 'Transformation', TRUE, DATE '2026-01-16', TRUE, TRUE, DATE '2026-06-01', FALSE, FALSE),
			('006A000002', 'Banco Andino', TIMESTAMP '2026-02-03 09:00:00 UTC', DATE '2026-05-12', 'Closed Lost', 48500.50, 'Mid-Market', 1, 'Developing', 'Implementation', TRUE, NULL, FALSE, FALSE, NULL, FALSE, FALSE),
			('006A000003', 'Nordwind Retail', TIMESTAMP '2026-07-01 00:00:00 UTC', NULL, 'Negotiation', 9900.00, 'SMB', 1, 'Mature', 'Advisory', FALSE, DATE '2026-07-02', FALSE, FALSE, NULL, TRUE, FALSE),
			('006A000004', 'Kyoto Mutual', TIMESTAMP '2026-03-03 23:59:59 UTC', DATE '2026-03-31', 'Closed Won', 1200000.00, 'Enterprise', 5, 'New', 'Transformation', TRUE, DATE '2026-03-03', TRUE, TRUE, DATE '2026-03-01', FALSE, FALSE),
			('006A000005', 'Acme Widgets', TIMESTAMP '2026-08-08 08:08:08 UTC', DATE '2026-09-01', 'Closed Won', 15000.00, 'SMB', 1, 'Mature', 'Implementation', TRUE, DATE '2026-08-09', FALSE, TRUE, DATE '2026-09-15', TRUE, FALSE),
			('006A000006', 'Deleted Co', TIMESTAMP '2026-08-08 08:08:08 UTC', DATE '2026-09-01', 'Closed Won', 1.00, 'SMB', 1, 'Mature', 'Implementation', TRUE, NULL, FALSE, TRUE, NULL, TRUE, TRUE)`)
		exports := copyDir(t, filepath.Join("..", "..", "..", "testdata", "crm", "exports"))
		fromFiles, _, err := ingestWith(t, exports, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(exports, "deals.csv")); err != nil {
			t.Fatal(err)
		}
		writeMapping(t, filepath.Join(exports, "mappings"), "deals.yaml", `source: deals
bigquery:
  project: `+emulatortest.Project+`
  query: |
    SELECT * EXCEPT (IsDeleted) FROM `+ref+`
    WHERE NOT IsDeleted;
columns:
  deal_id: Id
  customer_id: AccountName
  created_date: CreatedDate
  closed_date: CloseDate
  status: StageName
  amount_usd: Amount
  segment: Segment
  product_count: ProductCount
  customer_maturity: Readiness
  delivery_scope: EngagementType
  qualified: QualifiedLead
  registered_date: DealRegDate
  ae_invited: AERequested
  services_attached: ServicesAttached
  first_value_date: GoLiveDate
  via_marketplace: Marketplace
values:
  status: {Closed Won: won, Closed Lost: lost, Negotiation: open}
  segment: {Mid-Market: mid_market}
`)
		fromBQ, got, err := ingestWith(t, exports, client)
		if err != nil {
			t.Fatal(err)
		}
		if n := same(t, fromFiles, fromBQ, schema.Deals); n != 4 {
			t.Errorf("%d deals loaded, want testdata/crm's 4", n)
		}
		same(t, fromFiles, fromBQ, schema.DealPartners)
		// The row as read is the connector's typed text, not the CSV's.
		if q := same(t, fromFiles, fromBQ, schema.Quarantine, "value", "record"); q != 2 {
			t.Errorf("%d rows quarantined, want testdata/crm's 2 (a date_order deal and its partner row)", q)
		}
		if d := sourceOf(got, schema.Deals); d.Read != 5 {
			t.Errorf("read %d deals from the query, want 5 (the deleted one filtered out)", d.Read)
		}
		// Without a client the source is a file error that says what to do.
		_, _, err = ingestWith(t, exports, nil)
		if err == nil || !strings.Contains(err.Error(), "is a BigQuery source") || !strings.Contains(err.Error(), "Application Default Credentials") {
			t.Errorf("without a BigQuery client: %v", err)
		}
	})
}

func sourceOf(s ingest.Summary, name string) ingest.SourceSummary {
	for _, ss := range s.Sources {
		if ss.Source == name {
			return ss
		}
	}
	return ingest.SourceSummary{}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return "files:    " + a[i] + "\nBigQuery: " + b[i]
		}
	}
	return "(one is a prefix of the other)"
}

// loadCSV loads a CSV export into dataset.table as it is: every column a
// STRING named by the header.
func loadCSV(t *testing.T, client *bq.Client, path, dataset, table string) {
	t.Helper()
	ctx := context.Background()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	var sc bq.Schema
	for _, h := range header {
		sc = append(sc, &bq.FieldSchema{Name: h, Type: bq.StringFieldType})
	}
	src := bq.NewReaderSource(f)
	src.SourceFormat = bq.CSV
	src.SkipLeadingRows = 1
	src.AllowQuotedNewlines = true
	src.Schema = sc
	job, err := client.Dataset(dataset).Table(table).LoaderFrom(src).Run(ctx)
	if err = waitJob(ctx, job, err); err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
}

// waitJob waits for a job that started (err: its start's error) and
// returns how it ended.
func waitJob(ctx context.Context, job *bq.Job, err error) error {
	if err != nil {
		return err
	}
	st, err := job.Wait(ctx)
	if err != nil {
		return err
	}
	return st.Err()
}

func writeMapping(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies a directory of exports (and its mappings folder).
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "exports")
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	return to
}
