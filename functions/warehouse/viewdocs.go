package warehouse

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	pqisql "github.com/partnerq/pqi/sql"
	"github.com/partnerq/pqi/transforms/schema"
)

// ColumnDocsFile holds the descriptions of the view columns that do not
// take one from a source (derived and renamed columns), per view.
const ColumnDocsFile = "views/columns.yaml"

// ViewDocs are the descriptions of the views of sql/views, the same on
// both engines: a view's description is its file's header comment; a
// column's is the one ColumnDocsFile gives it, else that of the column of
// the same name in the view's first source that has one (the header's
// "Source:" or "Sources:" line names them: tables take their column
// descriptions from transforms/schema, views from their own docs).
type ViewDocs struct {
	views map[string]viewDoc
}

type viewDoc struct {
	description string
	sources     []string
	columns     map[string]string
}

// generatedLine marks the header lines of generated files that say how
// they were made, not what the view is.
var generatedLine = regexp.MustCompile(`^(Generated from|Rewrite with)`)

// sourcesLine finds the header's list of sources.
var sourcesLine = regexp.MustCompile(`Sources?: ([^.]+)\.`)

// ViewLayers are the folders of BigQuery views in sql/, in the order they
// are created: a layer's views may only read tables and views of earlier
// layers.
var ViewLayers = []string{"views/staging", "views/latest", "views/marts"}

// LoadViewDocs reads the view files' headers and ColumnDocsFile. A view
// without a header, a source that is neither a table nor a view, and
// descriptions for a view that does not exist are errors naming the file.
func LoadViewDocs() (*ViewDocs, error) {
	d := &ViewDocs{views: map[string]viewDoc{}}
	for _, dir := range ViewLayers {
		files, err := fs.Glob(pqisql.Files, dir+"/*.sql")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := fs.ReadFile(pqisql.Files, f)
			if err != nil {
				return nil, err
			}
			var lines []string
			for _, l := range strings.Split(string(b), "\n") {
				if !strings.HasPrefix(l, "--") {
					break
				}
				l = strings.TrimSpace(strings.TrimPrefix(l, "--"))
				if !generatedLine.MatchString(l) {
					lines = append(lines, l)
				}
			}
			text := strings.Join(lines, " ")
			m := sourcesLine.FindStringSubmatch(text)
			if text == "" || m == nil {
				return nil, fmt.Errorf("sql/%s: the header comment must describe the view and name its sources (\"Source: raw table deals.\")", f)
			}
			var srcs []string
			for _, s := range strings.Split(m[1], ",") {
				s = strings.TrimSpace(s)
				s = strings.TrimPrefix(strings.TrimPrefix(s, "raw table "), "scored table ")
				s, _, _ = strings.Cut(s, " (")
				srcs = append(srcs, s)
			}
			d.views[strings.TrimSuffix(path.Base(f), ".sql")] = viewDoc{description: text, sources: srcs}
		}
	}
	for name, v := range d.views {
		for _, s := range v.sources {
			if _, ok := schema.Lookup(s); !ok && d.views[s].description == "" {
				return nil, fmt.Errorf("sql/views: %s reads %q, which is neither a table nor a view; fix: name its sources in the header comment", name, s)
			}
		}
	}
	b, err := fs.ReadFile(pqisql.Files, ColumnDocsFile)
	if err != nil {
		return nil, err
	}
	var cols map[string]map[string]string
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cols); err != nil {
		return nil, fmt.Errorf("sql/%s: %w", ColumnDocsFile, err)
	}
	for name, c := range cols {
		v, ok := d.views[name]
		if !ok {
			return nil, fmt.Errorf("sql/%s: %q is not a view of sql/views; fix: remove its descriptions or correct the name", ColumnDocsFile, name)
		}
		v.columns = c
		d.views[name] = v
	}
	return d, nil
}

// Description is the view's description, or a table's (for the tables
// DuckDB reads as views).
func (d *ViewDocs) Description(name string) string {
	if v, ok := d.views[name]; ok {
		return v.description
	}
	if t, ok := schema.Lookup(name); ok {
		return t.Desc
	}
	return ""
}

// Column is the description of a view's column, or of a table's (for the
// tables DuckDB reads as views); false when neither the docs nor a source
// describe it.
func (d *ViewDocs) Column(view, column string) (string, bool) {
	return d.column(view, column, 0)
}

func (d *ViewDocs) column(name, column string, depth int) (string, bool) {
	if v, ok := d.views[name]; ok && depth < len(d.views) {
		if s, ok := v.columns[column]; ok && s != "" {
			return s, true
		}
		for _, src := range v.sources {
			if s, ok := d.column(src, column, depth+1); ok {
				return s, true
			}
		}
		return "", false
	}
	if t, ok := schema.Lookup(name); ok {
		for _, c := range t.Stored() {
			if c.Name == column && c.Desc != "" {
				return c.Desc, true
			}
		}
	}
	return "", false
}

// Documented lists, sorted, the view.column pairs ColumnDocsFile
// describes, so that a test can find descriptions of columns no view has.
func (d *ViewDocs) Documented() []string {
	var out []string
	for name, v := range d.views {
		for c := range v.columns {
			out = append(out, name+"."+c)
		}
	}
	sort.Strings(out)
	return out
}
