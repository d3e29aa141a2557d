package open

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse"
	"github.com/partnerq/pqi/functions/warehouse/local"
)

func TestCheckLocalWarehouseCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "warehous")
	file := filepath.Join(dir, "f")
	os.WriteFile(file, nil, 0o644)
	for spec, want := range map[string]string{
		typo: "does not exist", file: "is a file", dir: "is not a pqi warehouse",
	} {
		err := local.CheckWarehouse(spec)
		if !errors.Is(err, warehouse.ErrNoWarehouse) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want warehouse.ErrNoWarehouse saying %q", spec, err, want)
		}
		if _, err := Existing(context.Background(), spec, nil); !errors.Is(err, warehouse.ErrNoWarehouse) {
			t.Errorf("Existing(%s): %v, want warehouse.ErrNoWarehouse", spec, err)
		}
	}
	if _, err := os.Stat(typo); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the mistyped folder was created: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only the file: something was created", len(entries))
	}
	if err := local.CheckWarehouse("s3://b/p"); !errors.Is(err, warehouse.ErrSpec) {
		t.Errorf("s3://: %v, want warehouse.ErrSpec", err)
	}
}
