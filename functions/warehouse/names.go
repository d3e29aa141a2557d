package warehouse

import (
	"fmt"
	"regexp"

	"github.com/partnerq/pqi/transforms/schema"
)

var runIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// CheckTable returns the schema table a caller named, refusing anything else,
// so that no path is ever built from an unchecked string.
func CheckTable(name string) (schema.Table, error) {
	t, ok := schema.Lookup(name)
	if !ok {
		return schema.Table{}, fmt.Errorf("unknown table %q", name)
	}
	return t, nil
}

// CheckRunID refuses a run id that could not be a file or job name part.
func CheckRunID(id string) error {
	if !runIDPattern.MatchString(id) {
		return fmt.Errorf("run id %q must match %s", id, runIDPattern)
	}
	return nil
}
