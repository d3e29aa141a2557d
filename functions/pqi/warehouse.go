package main

import (
	"context"
	"errors"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/partnerq/pqi/functions/warehouse"
)

// openWarehouse opens the warehouse --warehouse names (warehouse.Open); a
// spec of the wrong form is a usage error. Close it when done.
func openWarehouse(ctx context.Context, spec string) (*warehouse.Opened, error) {
	w, err := warehouse.Open(ctx, spec, memory.DefaultAllocator)
	if errors.Is(err, warehouse.ErrSpec) {
		return nil, usagef("--warehouse %v", err)
	}
	return w, err
}
