package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"gopkg.in/yaml.v3"

	"github.com/partnerq/pqi/transforms/schema"
	"github.com/partnerq/pqi/transforms/validate"
)

// MappingFile is a loaded mapping and where it came from.
type MappingFile struct {
	Path    string // as shown to people: the mappings folder's name joined with the file's
	Mapping validate.Mapping
	Bytes   []byte // the file as read, for the run's checksums
}

// LoadMappings reads every mapping file (*.yaml, *.yml) at the root of
// fsys; name is where fsys is, for messages. A nil fsys, or none there,
// means no mappings. A mapping names its source (source:), or is named
// after it (deals.yaml); it reads the files its file: glob names, or the
// source's own files. Unknown keys, unknown contract columns, invalid
// layouts, a file named after one source declaring another, and two
// mappings claiming the same source's own files are errors naming the
// file.
func LoadMappings(fsys fs.FS, name string) ([]MappingFile, error) {
	if fsys == nil {
		return nil, nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the mappings in %s: %w", name, err)
	}
	var out []MappingFile
	own := map[string]string{} // source -> the mapping of its own files
	for _, e := range entries {
		if e.IsDir() || !IsMappingName(e.Name()) {
			continue
		}
		ext := path.Ext(e.Name())
		display := path.Join(name, e.Name())
		if _, err := regular(fsys, e.Name()); err != nil {
			return nil, fmt.Errorf("reading mapping %s: %w", display, err)
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading mapping %s: %w", display, err)
		}
		var m validate.Mapping
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("mapping %s is not valid: %w; fix: see docs/mapping.md for the format", display, err)
		}
		named := strings.ToLower(strings.TrimSuffix(e.Name(), ext))
		if t, ok := schema.Lookup(named); ok && t.Input && m.Source != "" && m.Source != named {
			return nil, fmt.Errorf("%s declares source: %s, but its name says %s; fix: rename the file after its source (%s%s), or correct source:", display, m.Source, named, m.Source, ext)
		}
		if m.Source == "" {
			m.Source = named
		}
		t, ok := schema.Lookup(m.Source)
		if !ok || !t.Input {
			return nil, fmt.Errorf("%s: source %q is not an input table; fix: set source: to one of %s", display, m.Source, strings.Join(schema.InputOrder, ", "))
		}
		if err := m.Check(t, display); err != nil {
			return nil, err
		}
		if m.File == "" && m.BigQuery == nil {
			if prev, dup := own[m.Source]; dup {
				return nil, fmt.Errorf("two mappings read the %s export (%s and %s); fix: keep one, or give each a file: naming the export it reads", m.Source, prev, display)
			}
			own[m.Source] = display
		}
		out = append(out, MappingFile{Path: display, Mapping: m, Bytes: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// IsMappingName reports whether a file name is a mapping file's:
// *.yaml or *.yml, not hidden.
func IsMappingName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return !strings.HasPrefix(name, ".") && (ext == ".yaml" || ext == ".yml")
}

// ReadLookup reads a lookup's file from fsys: every row's Key cell to its
// Value cell (both trimmed). A key given two different values is an error
// naming the file. It returns the values and the file's sha256.
func ReadLookup(ctx context.Context, fsys fs.FS, l validate.Lookup, alloc memory.Allocator) (map[string]string, string, error) {
	f, err := statFile(fsys, l.File)
	if err != nil {
		return nil, "", err
	}
	r, err := Open(ctx, fsys, f, Options{Alloc: alloc})
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	ki, vi := -1, -1
	for i, h := range r.Header() {
		switch strings.ToLower(h) {
		case strings.ToLower(l.Key):
			ki = i
		case strings.ToLower(l.Value):
			vi = i
		}
	}
	if ki < 0 || vi < 0 {
		return nil, "", &FileError{File: l.File, Problem: fmt.Sprintf("lookup file has no %q or no %q column (header has: %s)", l.Key, l.Value, strings.Join(r.Header(), ", ")),
			Fix: "correct key: and value: of the lookup in the mapping file"}
	}
	values := map[string]string{}
	for r.Next() {
		rec := r.Record()
		keys, vals := rec.Column(ki).(*array.String), rec.Column(vi).(*array.String)
		for i, row := range r.Rows() {
			if row.Problem != "" || keys.IsNull(i) || vals.IsNull(i) {
				continue
			}
			k, v := strings.TrimSpace(keys.Value(i)), strings.TrimSpace(vals.Value(i))
			if prev, dup := values[k]; dup && prev != v {
				return nil, "", &FileError{File: l.File, Line: row.Number, Problem: fmt.Sprintf("lookup key %q has two values (%q and %q)", k, prev, v),
					Fix: "keep one row per key in the lookup file"}
			}
			values[k] = v
		}
	}
	if err := r.Err(); err != nil {
		return nil, "", err
	}
	return values, r.SHA256(), nil
}
