package bigquery

import (
	"context"
	"fmt"
	"sort"

	"github.com/partnerq/pqi/functions/warehouse"

	bq "cloud.google.com/go/bigquery"
	"google.golang.org/api/iterator"
)

// Objects lists the dataset's tables and views, by name, with their
// descriptions and their columns', as BigQuery holds them (sql/ddl and the
// views pqi sql --deploy made).
func (w *Warehouse) Objects(ctx context.Context) ([]warehouse.Object, error) {
	var out []warehouse.Object
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
		o := warehouse.Object{Name: t.TableID, Kind: "table", Description: md.Description}
		if md.Type == bq.ViewTable || md.Type == bq.MaterializedView {
			o.Kind = "view"
		}
		for _, f := range md.Schema {
			o.Columns = append(o.Columns, warehouse.ObjectColumn{Name: f.Name, Type: string(f.Type), Description: f.Description})
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
