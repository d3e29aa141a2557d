package warehouse

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseBigQuerySpec(t *testing.T) {
	cfg, err := ParseBigQuerySpec("bq://pqi-prod/partner_quality?location=EU&publish=transaction")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Project != "pqi-prod" || cfg.Dataset != "partner_quality" || cfg.Location != "EU" {
		t.Errorf("parsed %+v", cfg)
	}
	for _, bad := range []string{"bq://pqi-prod", "bq://pqi-prod/a/b", "bq://pqi-prod/ds?region=EU", "bq:///ds", "bq://p/ds?publish=partition-load"} {
		if _, err := ParseBigQuerySpec(bad); !errors.Is(err, ErrSpec) {
			t.Errorf("%s: %v, want ErrSpec", bad, err)
		}
	}
}

func TestCheckLocalWarehouseCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "warehous")
	file := filepath.Join(dir, "f")
	os.WriteFile(file, nil, 0o644)
	for spec, want := range map[string]string{
		typo: "does not exist", file: "is a file", dir: "is not a pqi warehouse",
	} {
		err := CheckLocalWarehouse(spec)
		if !errors.Is(err, ErrNoWarehouse) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrNoWarehouse saying %q", spec, err, want)
		}
		if _, err := OpenExisting(context.Background(), spec, nil); !errors.Is(err, ErrNoWarehouse) {
			t.Errorf("OpenExisting(%s): %v, want ErrNoWarehouse", spec, err)
		}
	}
	if _, err := os.Stat(typo); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the mistyped folder was created: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only the file: something was created", len(entries))
	}
	if err := CheckLocalWarehouse("s3://b/p"); !errors.Is(err, ErrSpec) {
		t.Errorf("s3://: %v, want ErrSpec", err)
	}
}
