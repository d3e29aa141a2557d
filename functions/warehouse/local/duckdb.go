//go:build cgo

package local

// The SQL engine of the local warehouse is an in-process DuckDB
// (github.com/duckdb/duckdb-go, cgo) over the warehouse directory, with
// the analyst surface of sql/duckdb created as views (tables, then
// staging, then marts), so that `pqi sql` answers the same questions on
// the local warehouse as on BigQuery. Nothing is written to the
// warehouse: the database is in memory and reads the Parquet files. The
// Lambda binary is built without cgo and never links it (analyst_nocgo.go).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/partnerq/pqi/functions/warehouse"
	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/schema"
)

// layers are the folders of sql/duckdb in creation order: a layer reads
// only the layers before it.
var layers = []string{"duckdb/tables", "duckdb/staging", "duckdb/latest", "duckdb/marts"}

// ErrNotDirectory is wrapped by Open's error for a warehouse that is not a
// directory.
var ErrNotDirectory = errors.New("is not a directory")

// DB is DuckDB with a warehouse's views. Close it when done.
type DB struct {
	db *sql.DB
	// Views are the views created, in order.
	Views []string
	// Empty are the tables that have no partition yet, created empty.
	Empty []string
}

// OpenDB starts an in-memory DuckDB reading the local warehouse at root
// and creates every view of sql/duckdb in it. A table with no partition
// yet is an empty table, so the views built on it read no rows.
func OpenDB(ctx context.Context, root string) (*DB, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("warehouse %s %w: give the directory pqi ingest wrote", root, ErrNotDirectory)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	// One connection: settings such as file_search_path belong to it.
	db.SetMaxOpenConns(1)
	d := &DB{db: db}
	if err := d.setup(ctx, abs); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

func (d *DB) setup(ctx context.Context, root string) error {
	if _, err := d.db.ExecContext(ctx, "SET file_search_path = "+quote(root)); err != nil {
		return err
	}
	names, err := unpartitioned(root)
	if err != nil {
		return err
	}
	empty := map[string]bool{}
	for _, n := range names {
		empty[n] = true
	}
	docs, err := warehouse.LoadViewDocs()
	if err != nil {
		return err
	}
	for _, dir := range layers {
		files, err := fs.Glob(pqisql.Files, dir+"/*.sql")
		if err != nil {
			return err
		}
		sort.Strings(files)
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".sql")
			isEmpty := dir == layers[0] && empty[name]
			stmt, err := d.statement(ctx, f, name, isEmpty)
			if err != nil {
				return err
			}
			if _, err := d.db.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sql/%s: %w", f, err)
			}
			if err := d.describe(ctx, docs, name, isEmpty); err != nil {
				return fmt.Errorf("sql/%s: describing %s: %w", f, name, err)
			}
			if isEmpty {
				d.Empty = append(d.Empty, name)
			} else {
				d.Views = append(d.Views, name)
			}
		}
	}
	return nil
}

// describe comments the view (a table when empty) and its columns with
// their descriptions (warehouse.ViewDocs), as BigQuery describes its views.
func (d *DB) describe(ctx context.Context, docs *warehouse.ViewDocs, name string, table bool) error {
	rows, err := d.db.QueryContext(ctx, "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", name)
	if err != nil {
		return err
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	kind := "VIEW"
	if table {
		kind = "TABLE"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "COMMENT ON %s %s IS %s;\n", kind, ident(name), quote(docs.Description(name)))
	for _, c := range cols {
		if desc, ok := docs.Column(name, c); ok {
			fmt.Fprintf(&b, "COMMENT ON COLUMN %s.%s IS %s;\n", ident(name), ident(c), quote(desc))
		}
	}
	_, err = d.db.ExecContext(ctx, b.String())
	return err
}

// statement is the SQL that creates object name from file f: the file; for
// a table without partitions an empty table of its columns; for a table
// whose files were all written before a nullable column existed, the
// file's view with that column NULL.
func (d *DB) statement(ctx context.Context, f, name string, empty bool) (string, error) {
	t, isTable := schema.Lookup(name)
	if path.Dir(f) != layers[0] {
		isTable = false
	}
	if empty {
		if !isTable {
			return "", fmt.Errorf("sql/%s: %s is not a table of the schema", f, name)
		}
		return DuckDBEmptyTable(t)
	}
	if isTable {
		present, err := d.columnsIn(ctx, name)
		if err != nil {
			return "", fmt.Errorf("sql/%s: %w", f, err)
		}
		for _, c := range t.Stored() {
			if !present[c.Name] {
				return DuckDBTableOver(t, present)
			}
		}
	}
	b, err := fs.ReadFile(pqisql.Files, f)
	return string(b), err
}

// columnsIn is the columns the Parquet files of a table hold between them.
func (d *DB) columnsIn(ctx context.Context, table string) (map[string]bool, error) {
	rows, err := d.db.QueryContext(ctx, "DESCRIBE SELECT * FROM read_parquet("+quote(table+"/*/*.parquet")+", union_by_name = true)")
	if err != nil {
		return nil, err
	}
	present := map[string]bool{}
	return present, Each(rows, func(vals []any) error {
		present[fmt.Sprint(vals[0])] = true // column_name
		return nil
	})
}

// Query runs one statement and returns its rows. Table and view names are
// plain (deals, mart_latest_scorecard); a `{{dataset}}.` prefix, as the
// BigQuery files write it, is accepted and dropped, and {{latest_as_of}}
// is the latest as-of date, so the worked questions of sql/queries run on
// both engines where their SQL allows.
func (d *DB) Query(ctx context.Context, text string) (*sql.Rows, error) {
	text = bigQueryRef.ReplaceAllString(text, "$1")
	text = strings.ReplaceAll(text, warehouse.LatestPlaceholder, "("+warehouse.LatestAsOfSQL(schema.Runs)+")")
	return d.db.QueryContext(ctx, text)
}

// bigQueryRef is a table reference as the BigQuery files write it.
var bigQueryRef = regexp.MustCompile("`?" + regexp.QuoteMeta(warehouse.DatasetPlaceholder) + `\.([a-z][a-z0-9_]*)` + "`?")

// Close releases the database.
func (d *DB) Close() error { return d.db.Close() }

// quote is s as a DuckDB string literal.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// ident quotes an identifier.
func ident(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// Text is a value scanned from a DuckDB row as pqi prints it: NULL, dates
// as 2006-01-02, timestamps in RFC 3339 (UTC), decimals at their scale,
// floats in the shortest form that reads back the same.
func Text(v any, dbType string) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if dbType == "DATE" {
			return x.UTC().Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339Nano)
	case duckdb.Decimal:
		return new(big.Rat).SetFrac(x.Value, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Scale)), nil)).FloatString(int(x.Scale))
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// Each calls fn with every row's values, in order (fn must not keep the
// slice), then closes rows.
func Each(rows *sql.Rows, fn func(vals []any) error) error {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Objects lists the tables and views created over the warehouse, by name,
// with the descriptions describe gave them and their columns'. The
// schema's tables are tables (DuckDB holds them as views over their
// Parquet files), the rest views, as BigQuery lists them.
func (d *DB) Objects(ctx context.Context) ([]warehouse.Object, error) {
	rows, err := d.db.QueryContext(ctx, `
SELECT o.name, o.kind, coalesce(o.comment, ''), c.column_name, c.data_type, coalesce(c.comment, '')
FROM (SELECT view_name AS name, 'view' AS kind, comment FROM duckdb_views() WHERE NOT internal
      UNION ALL SELECT table_name, 'table', comment FROM duckdb_tables() WHERE NOT internal) o
JOIN duckdb_columns() c ON c.table_name = o.name AND NOT c.internal
ORDER BY o.name, c.column_index`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []warehouse.Object
	for rows.Next() {
		var o warehouse.Object
		var c warehouse.ObjectColumn
		if err := rows.Scan(&o.Name, &o.Kind, &o.Description, &c.Name, &c.Type, &c.Description); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Name != o.Name {
			o.Kind = "view"
			if _, ok := schema.Lookup(o.Name); ok {
				o.Kind = "table"
			}
			out = append(out, o)
		}
		last := &out[len(out)-1]
		last.Columns = append(last.Columns, c)
	}
	return out, rows.Err()
}
