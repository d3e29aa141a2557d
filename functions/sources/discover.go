// Package sources finds partner, deal, CSAT, churn and cost exports in an
// fs.FS and streams them as Arrow records of string columns named by the
// export's own column names. It does not parse types or map columns onto the
// contract: that is the validation stage's job. Memory use does not grow
// with file size.
package sources

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

// Format is the file format of an export.
type Format int

// The formats an export may come in.
const (
	CSV Format = iota + 1
	JSONLines
	Parquet
	BigQuery // a table or query in BigQuery (a mapping's bigquery:), not a file
)

func (f Format) String() string {
	switch f {
	case CSV:
		return "CSV"
	case JSONLines:
		return "JSON Lines"
	case Parquet:
		return "Parquet"
	case BigQuery:
		return "BigQuery"
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// File is one export file found for a source table.
type File struct {
	Source  string // contract table name: one of schema.InputOrder
	Path    string // slash path inside the fs.FS
	Format  Format
	Size    int64
	Mapping *MappingFile // how the export feeds the source; nil = the contract's own names
}

// formatOf maps a lower-case extension to its format.
func formatOf(ext string) (Format, bool) {
	switch ext {
	case ".csv":
		return CSV, true
	case ".jsonl", ".ndjson":
		return JSONLines, true
	case ".parquet":
		return Parquet, true
	}
	return 0, false
}

// classify splits a file name into its lower-case base (without the
// extensions) and format. compressed reports a supported export that is
// compressed (e.g. deals.csv.gz); ok is false for anything else.
func classify(name string) (base string, format Format, compressed, ok bool) {
	lower := strings.ToLower(name)
	// Compression suffixes we recognise but do not read.
	for _, c := range []string{".gz", ".zip", ".bz2", ".xz", ".zst"} {
		if strings.HasSuffix(lower, c) {
			inner := strings.TrimSuffix(lower, c)
			if f, ok := formatOf(path.Ext(inner)); ok {
				return strings.TrimSuffix(inner, path.Ext(inner)), f, true, true
			}
			return "", 0, false, false
		}
	}
	ext := path.Ext(lower)
	f, ok := formatOf(ext)
	if !ok {
		return "", 0, false, false
	}
	return strings.TrimSuffix(lower, ext), f, false, true
}

// sourceOf names the source a root file base ("deals", "deals-2024q4")
// belongs to. The "-" separator keeps deal_partners apart from deals.
func sourceOf(base string) (string, bool) {
	for _, s := range schema.InputOrder {
		if base == s || strings.HasPrefix(base, s+"-") {
			return s, true
		}
	}
	return "", false
}

func isSource(name string) bool {
	for _, s := range schema.InputOrder {
		if strings.ToLower(name) == s {
			return true
		}
	}
	return false
}

func compressedError(p string) error {
	return &FileError{
		File:    p,
		Problem: "is compressed; only uncompressed .csv, .jsonl, .ndjson and .parquet files are read",
		Fix:     "decompress it first, e.g. gunzip " + path.Base(p),
	}
}

// Discover lists the export files in fsys and the mapping each is read
// with, sorted by schema.InputOrder, then path. A mapping with bigquery:
// is one File of format BigQuery, and its source's files are not read. A
// mapping with file: reads
// the files its glob matches (one export may feed several sources); every
// other source's files are "<source>.<ext>" or "<source>-<anything>.<ext>"
// at the root, or any supported file directly inside a "<source>/"
// directory, read with the source's mapping without file: if there is one.
// ext is .csv, .jsonl, .ndjson or .parquet. Names are matched
// case-insensitively; hidden files (".name") are skipped. Compressed
// exports (deals.csv.gz) are an error naming the file. Everything else is
// ignored, and a source with no file is simply absent.
func Discover(fsys fs.FS, mappings []MappingFile) ([]File, error) {
	var files []File
	var errs []error
	claimed := map[string]bool{} // files a mapping's glob reads
	globbed := map[string]bool{} // sources with a file: or bigquery: mapping
	own := map[string]*MappingFile{}
	for i := range mappings {
		m := &mappings[i]
		if m.Mapping.BigQuery != nil {
			globbed[m.Mapping.Source] = true
			files = append(files, bigQueryFile(m))
			continue
		}
		if m.Mapping.File == "" {
			own[m.Mapping.Source] = m
			continue
		}
		globbed[m.Mapping.Source] = true
		matches, err := fs.Glob(fsys, m.Mapping.File)
		if err != nil {
			return nil, fmt.Errorf("%s: file %q: %w", m.Path, m.Mapping.File, err)
		}
		for _, p := range matches {
			if strings.HasPrefix(path.Base(p), ".") {
				continue
			}
			f, err := statFile(fsys, p)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			f.Source, f.Mapping = m.Mapping.Source, m
			claimed[p] = true
			files = append(files, f)
		}
	}
	conv, err := conventional(fsys)
	if err != nil {
		return nil, err
	}
	for _, f := range conv {
		if claimed[f.Path] || globbed[f.Source] {
			continue
		}
		f.Mapping = own[f.Source]
		files = append(files, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	rank := make(map[string]int, len(schema.InputOrder))
	for i, s := range schema.InputOrder {
		rank[s] = i
	}
	sort.SliceStable(files, func(i, j int) bool {
		if a, b := rank[files[i].Source], rank[files[j].Source]; a != b {
			return a < b
		}
		return files[i].Path < files[j].Path
	})
	return files, nil
}

// statFile describes one named export file: its format by extension, and
// its size. A compressed or unknown extension is an error naming the file.
func statFile(fsys fs.FS, p string) (File, error) {
	_, format, compressed, ok := classify(path.Base(p))
	switch {
	case compressed:
		return File{}, compressedError(p)
	case !ok:
		return File{}, &FileError{File: p, Problem: "is not a .csv, .jsonl, .ndjson or .parquet file", Fix: "export it in one of those formats, or correct the file name in the mapping"}
	}
	info, err := regular(fsys, p)
	if err != nil {
		return File{}, err
	}
	return File{Path: p, Format: format, Size: info.Size()}, nil
}

// regular describes the file p, failing with a *FileError, and without
// opening it, when p is not a regular file: a named pipe would block the
// run, a device or socket is no export. A symbolic link is followed when
// fsys allows it (the local exports folder allows links that stay inside
// it, see bucket.Open); where it points is named, never what it holds.
func regular(fsys fs.FS, p string) (fs.FileInfo, error) {
	info, err := fs.Stat(fsys, p)
	if err == nil && info.Mode().IsRegular() {
		return info, nil
	}
	fe := &FileError{File: p}
	target := ""
	if lf, ok := fsys.(fs.ReadLinkFS); ok {
		if t, lerr := lf.ReadLink(p); lerr == nil {
			target = t
		}
	}
	switch {
	case err == nil && info.IsDir():
		fe.Problem, fe.Fix = "is a folder, not an export file", "put the export file itself there (a folder named after a source, such as deals/, may hold its files)"
	case err == nil:
		fe.Problem = fmt.Sprintf("is not a regular file (%s)", kindOfMode(info.Mode()))
		fe.Fix = "export to a regular file and put that in the exports folder"
	case target != "" && (path.IsAbs(target) || escapes(p, target)):
		fe.Problem = fmt.Sprintf("is a link to %s, outside the exports folder", target)
		fe.Fix = "copy the export into the exports folder; links are followed only when they stay inside it"
	case target != "" && errors.Is(err, fs.ErrNotExist):
		fe.Problem = fmt.Sprintf("is a link to %s, which does not exist", target)
		fe.Fix = "point the link at the export, or replace it with the file"
	case target != "":
		fe.Problem = fmt.Sprintf("is a link to %s that cannot be followed (a loop of links?)", target)
		fe.Fix = "replace the link with the export file"
	case errors.Is(err, fs.ErrPermission):
		fe.Problem, fe.Fix = "cannot be read: permission denied", "give the user running pqi read access, e.g. chmod a+r "+path.Base(p)
	default:
		fe.Problem, fe.Fix = "cannot be read: "+pathErrorText(err), "check the file is there and readable"
	}
	return nil, fe
}

// escapes reports whether the link target, relative to the link at p,
// leaves the folder fsys is rooted at.
func escapes(p, target string) bool {
	j := path.Join(path.Dir(p), target)
	return j == ".." || strings.HasPrefix(j, "../")
}

// pathErrorText is an error without the operation and path it repeats.
func pathErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func kindOfMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// conventional lists the files named after their source.
func conventional(fsys fs.FS) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("listing exports: %w", err)
	}
	var files []File
	var errs []error
	add := func(source, p string, format Format) {
		info, err := regular(fsys, p)
		if err != nil {
			errs = append(errs, err)
			return
		}
		files = append(files, File{Source: source, Path: p, Format: format, Size: info.Size()})
	}
	for _, d := range entries {
		name := d.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if d.IsDir() {
			if !isSource(name) {
				if base, _, _, ok := classify(name); ok {
					if _, ok := sourceOf(base); ok {
						errs = append(errs, &FileError{File: name, Problem: "is a folder, not an export file",
							Fix: "put the export file itself there, or name the folder after its source (" + strings.TrimSuffix(name, path.Ext(name)) + "/) to read the files inside it"})
					}
				}
				continue
			}
			source := strings.ToLower(name)
			inner, err := fs.ReadDir(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("listing %s: %w", name, err)
			}
			for _, e := range inner {
				if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
					continue
				}
				p := name + "/" + e.Name()
				_, format, compressed, ok := classify(e.Name())
				switch {
				case !ok:
				case compressed:
					errs = append(errs, compressedError(p))
				default:
					add(source, p, format)
				}
			}
			continue
		}
		base, format, compressed, ok := classify(name)
		if !ok {
			continue
		}
		source, ok := sourceOf(base)
		if !ok {
			continue
		}
		if compressed {
			errs = append(errs, compressedError(name))
			continue
		}
		add(source, name, format)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return files, nil
}
