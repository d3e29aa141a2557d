package warehouse

import (
	"errors"
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
