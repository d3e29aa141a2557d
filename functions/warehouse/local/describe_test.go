package local_test

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/local"
)

// descriptions reads the comments DuckDB holds: each object's and each
// column's ("" = none), by object name.
func descriptions(t *testing.T, db *local.DB) (objects map[string]string, columns map[string]map[string]string) {
	t.Helper()
	ctx := context.Background()
	objects, columns = map[string]string{}, map[string]map[string]string{}
	scan := func(q string, fn func(a, b, c sql.NullString)) {
		rows, err := db.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var a, b, c sql.NullString
			if err := rows.Scan(&a, &b, &c); err != nil {
				t.Fatal(err)
			}
			fn(a, b, c)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	scan("SELECT view_name, comment, NULL FROM duckdb_views() WHERE NOT internal UNION ALL SELECT table_name, comment, NULL FROM duckdb_tables()", func(a, b, _ sql.NullString) {
		objects[a.String] = b.String
	})
	scan("SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal", func(a, b, c sql.NullString) {
		if columns[a.String] == nil {
			columns[a.String] = map[string]string{}
		}
		columns[a.String][b.String] = c.String
	})
	return objects, columns
}

// Every view an analyst can query, and every column of it, says what it
// is; and sql/views/columns.yaml describes no column that no view has
// (a renamed or dropped column leaves no stale description behind).
func TestEveryViewAndColumnIsDescribed(t *testing.T) {
	db, err := local.OpenDB(context.Background(), t.TempDir()) // no partitions: every table empty, every view there
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	objects, columns := descriptions(t, db)
	names := append(append([]string{}, db.Views...), db.Empty...)
	sort.Strings(names)
	if len(names) < 40 {
		t.Fatalf("only %d objects created: %v", len(names), names)
	}
	var missing []string
	for _, n := range names {
		if strings.TrimSpace(objects[n]) == "" {
			missing = append(missing, n)
		}
		if len(columns[n]) == 0 {
			t.Errorf("%s has no columns", n)
		}
		for c, d := range columns[n] {
			if strings.TrimSpace(d) == "" {
				missing = append(missing, n+"."+c)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d views or columns have no description; fix: describe them in sql/%s:\n%s", len(missing), warehouse.ColumnDocsFile, strings.Join(missing, "\n"))
	}
	docs, err := warehouse.LoadViewDocs()
	if err != nil {
		t.Fatal(err)
	}
	for _, vc := range docs.Documented() {
		v, c, _ := strings.Cut(vc, ".")
		if _, ok := columns[v][c]; !ok {
			t.Errorf("sql/%s describes %s, which is not a column of view %s", warehouse.ColumnDocsFile, vc, v)
		}
	}
}
