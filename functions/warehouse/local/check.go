package local

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/transforms/schema"
)

// CheckSpec refuses, with an error wrapping warehouse.ErrSpec, a spec
// that cannot be a directory (another scheme, bq: without the slashes,
// empty).
func CheckSpec(spec string) error {
	if strings.Contains(spec, "://") || strings.HasPrefix(spec, "bq:") || spec == "" {
		return fmt.Errorf("%w: %q: use a directory or bq://PROJECT/DATASET", warehouse.ErrSpec, spec)
	}
	return nil
}

// CheckWarehouse refuses, with an error wrapping warehouse.ErrSpec or
// warehouse.ErrNoWarehouse, a spec that is not a folder pqi ingest has
// written to (every ingest records itself in the runs table). It creates
// nothing.
func CheckWarehouse(dir string) error {
	if err := CheckSpec(dir); err != nil {
		return err
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return warehouse.NoWarehousef("%s does not exist; give the folder pqi ingest wrote", dir)
	case err != nil:
		return err
	case !st.IsDir():
		return warehouse.NoWarehousef("%s is a file, not a folder; give the folder pqi ingest wrote", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, schema.Runs)); errors.Is(err, fs.ErrNotExist) {
		return warehouse.NoWarehousef("%s is not a pqi warehouse (it has no runs folder); give the folder pqi ingest wrote, or load it with pqi ingest first", dir)
	}
	return nil
}
