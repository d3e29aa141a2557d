package local_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse/local"
	"github.com/partnerq/pqi/transforms/schema"
)

// A warehouse whose runs were all written before the schema gained
// nullable columns (notes, replaced_run_id) opens, and those columns read
// as NULL: an upgrade never breaks pqi sql on an existing warehouse.
func TestTableFilesOlderThanTheSchemaReadWithNulls(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	part := filepath.Join(root, schema.Runs, "as_of=2026-09-30")
	if err := os.MkdirAll(part, 0o755); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_, err = raw.ExecContext(ctx, `COPY (SELECT 'ing-1' AS run_id, DATE '2026-09-30' AS as_of_date, 'ingest' AS job,
		TIMESTAMPTZ '2026-10-01 09:00:00+00' AS started_at, TIMESTAMPTZ '2026-10-01 09:00:01+00' AS finished_at,
		1000::BIGINT AS duration_ms, 'succeeded' AS outcome, NULL::VARCHAR AS error, 'v0' AS code_version,
		'd' AS config_digest, '[]' AS inputs, 'partners' AS tables_written)
		TO '`+filepath.Join(part, "run-1-ing-1.parquet")+`' (FORMAT parquet)`)
	if err != nil {
		t.Fatal(err)
	}
	db, err := local.OpenDB(ctx, root)
	if err != nil {
		t.Fatalf("opening a warehouse of older runs files: %v", err)
	}
	defer db.Close()
	rows, err := db.Query(ctx, "SELECT run_id, notes IS NULL, replaced_run_id IS NULL FROM runs")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var notesNull, replacedNull bool
		if err := rows.Scan(&id, &notesNull, &replacedNull); err != nil {
			t.Fatal(err)
		}
		if id != "ing-1" || !notesNull || !replacedNull {
			t.Errorf("read %s, notes null %v, replaced_run_id null %v", id, notesNull, replacedNull)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d runs read, want 1", n)
	}
}
