package bigquery

import (
	"errors"
	"testing"

	"github.com/partnerq/pqi/functions/warehouse"
)

func TestParseSpec(t *testing.T) {
	cfg, err := ParseSpec("bq://pqi-prod/partner_quality?location=EU&publish=transaction")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Project != "pqi-prod" || cfg.Dataset != "partner_quality" || cfg.Location != "EU" {
		t.Errorf("parsed %+v", cfg)
	}
	for _, bad := range []string{"bq://pqi-prod", "bq://pqi-prod/a/b", "bq://pqi-prod/ds?region=EU", "bq:///ds", "bq://p/ds?publish=partition-load"} {
		if _, err := ParseSpec(bad); !errors.Is(err, warehouse.ErrSpec) {
			t.Errorf("%s: %v, want warehouse.ErrSpec", bad, err)
		}
	}
}
