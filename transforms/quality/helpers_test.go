package quality

import (
	"testing"

	"github.com/partnerq/pqi/transforms/schema"
)

func day(t *testing.T, s string) int32 {
	t.Helper()
	d, err := schema.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
