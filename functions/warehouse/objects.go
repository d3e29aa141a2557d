package warehouse

import (
	"context"
	"fmt"
	"sort"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/iterator"
)

// Object is a table or view of a warehouse as an analyst sees it: its
// kind, its description and its columns' (pqi sql --list, --describe).
type Object struct {
	Name, Kind, Description string // Kind: table or view
	Columns                 []ObjectColumn
}

// ObjectColumn is one column of an Object.
type ObjectColumn struct {
	Name, Type, Description string
}

// Objects lists the dataset's tables and views, by name, with their
// descriptions and their columns', as BigQuery holds them (sql/ddl and the
// views pqi sql --deploy made).
func (w *BigQuery) Objects(ctx context.Context) ([]Object, error) {
	var out []Object
	it := w.dataset().Tables(ctx)
	for {
		t, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("listing the tables of %s.%s: %w", w.cfg.Project, w.cfg.Dataset, err)
		}
		md, err := t.Metadata(ctx)
		if err != nil {
			return nil, fmt.Errorf("describing %s: %w", t.TableID, err)
		}
		o := Object{Name: t.TableID, Kind: "table", Description: md.Description}
		if md.Type == bigquery.ViewTable || md.Type == bigquery.MaterializedView {
			o.Kind = "view"
		}
		for _, f := range md.Schema {
			o.Columns = append(o.Columns, ObjectColumn{Name: f.Name, Type: string(f.Type), Description: f.Description})
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
