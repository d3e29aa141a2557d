//go:build !cgo

package local

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/partnerq/pqi/functions/warehouse"
)

// A binary built without cgo (the Lambda functions) has no DuckDB: the
// local warehouse's analyst surface says so instead of answering.

var errNoDuckDB = fmt.Errorf("%w: SQL on the local warehouse runs in DuckDB, which needs a pqi built with cgo (the CLI)", errors.ErrUnsupported)

var _ warehouse.Analyst = (*Warehouse)(nil)

// Query needs DuckDB: an error in this build.
func (w *Warehouse) Query(context.Context, string, int64) (array.RecordReader, error) {
	return nil, errNoDuckDB
}

// Objects needs DuckDB: an error in this build.
func (w *Warehouse) Objects(context.Context) ([]warehouse.Object, error) { return nil, errNoDuckDB }

// DryRun needs DuckDB: an error in this build.
func (w *Warehouse) DryRun(context.Context, string) (int64, error) { return 0, errNoDuckDB }

// Deploy needs DuckDB: an error in this build.
func (w *Warehouse) Deploy(context.Context) (string, error) { return "", errNoDuckDB }
