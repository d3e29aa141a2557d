package sources

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"gopkg.in/yaml.v3"

	"github.com/partnerq/pqi/transforms/schema"
	"github.com/partnerq/pqi/transforms/validate"
)

// MappingFile is a loaded mapping and where it came from.
type MappingFile struct {
	Path    string
	Mapping validate.Mapping
	Bytes   []byte // the file as read, for the run's checksums
}

// LoadMappings reads "<source>.yaml" (or .yml) for every input source from
// dir in fsys. A source without a file gets no entry (its export uses the
// contract's names). A missing dir means no mappings. Unknown keys, unknown
// contract columns and invalid layouts are errors naming the file.
func LoadMappings(fsys fs.FS, dir string) (map[string]MappingFile, error) {
	out := map[string]MappingFile{}
	for _, src := range schema.InputOrder {
		t := schema.Get(src)
		for _, ext := range []string{".yaml", ".yml"} {
			p := path.Join(dir, src+ext)
			b, err := fs.ReadFile(fsys, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("reading mapping %s: %w", p, err)
			}
			if _, dup := out[src]; dup {
				return nil, fmt.Errorf("mapping for %s given twice (%s and %s); fix: keep one", src, out[src].Path, p)
			}
			var m validate.Mapping
			dec := yaml.NewDecoder(bytes.NewReader(b))
			dec.KnownFields(true)
			if err := dec.Decode(&m); err != nil {
				return nil, fmt.Errorf("mapping %s is not valid: %w; fix: see docs/mapping.md for the format", p, err)
			}
			if err := m.Check(t, p); err != nil {
				return nil, err
			}
			out[src] = MappingFile{Path: p, Mapping: m, Bytes: b}
		}
	}
	return out, nil
}
