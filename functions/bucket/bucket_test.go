package bucket_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/partnerq/pqi/functions/bucket"
	"github.com/partnerq/pqi/functions/bucket/s3test"
	"github.com/partnerq/pqi/functions/sources"
)

// files is an export folder: two files at the top, a folder of parts.
var files = map[string]string{
	"partners.csv":            "partner_id,partner_name\nP1,Zürich Daten AG\n",
	"deals.csv":               "deal_id\nD1\n",
	"deals/deals-2026q3.csv":  "deal_id\nD2\n",
	"mappings/crm.yaml":       "source: deals\n",
	"mappings/lookups/a.csv":  "a,b\n",
	"csat/2026/09/part-1.csv": "response_id\nR1\n",
}

// An S3 prefix reads as the file system a local folder does: the
// standard library's fs conformance test passes, and so do globs.
func TestS3PrefixIsAFileSystem(t *testing.T) {
	s3test.Start(t)
	c := s3test.Client(t)
	s3test.MakeBucket(t, c, "landing")
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, "exports", filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "outside.csv"), []byte("x\n"), 0o644) // not below the prefix
	s3test.Upload(t, c, dir, "landing", "")
	b, err := bucket.Open("s3://landing/exports", c)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	if err := fstest.TestFS(b.FS, names...); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		f, err := sources.OpenFile(context.Background(), b.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(f)
		info, _ := f.Stat()
		f.Close()
		etag, _ := info.Sys().(interface{ ETag() string })
		if string(got) != want || info.Size() != int64(len(want)) || etag == nil || etag.ETag() == "" {
			t.Errorf("%s: %q (%d bytes, etag %v), want %q", name, got, info.Size(), etag, want)
		}
	}
	if m, err := fs.Glob(b.FS, "deals*"); err != nil || strings.Join(m, " ") != "deals deals.csv" {
		t.Errorf("glob deals*: %v %v", m, err)
	}
	if _, err := b.FS.Open("outside.csv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a key outside the prefix opened: %v", err)
	}
	if _, err := fs.Stat(b.FS, "nope/x.csv"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stat of a missing file: %v", err)
	}
	// Put replaces an object whole; Where names it.
	ctx := context.Background()
	out, err := bucket.Open("s3://landing/reports/board", c)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"first", "second"} {
		if err := out.Put(ctx, "2026-Q3/board.pdf", []byte(body), "application/pdf"); err != nil {
			t.Fatal(err)
		}
	}
	if got := s3test.Get(t, c, "landing", "reports/board/2026-Q3/board.pdf"); string(got) != "second" {
		t.Errorf("object holds %q", got)
	}
	if w := out.Where("2026-Q3/board.pdf"); w != "s3://landing/reports/board/2026-Q3/board.pdf" {
		t.Errorf("Where = %s", w)
	}
}

func TestLocalFolder(t *testing.T) {
	dir := t.TempDir()
	b, err := bucket.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Put(context.Background(), "2026-Q3/run.json", []byte(`{"ok":true}`), "application/json"); err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadFile(b.FS, "2026-Q3/run.json")
	if err != nil || !bytes.Equal(got, []byte(`{"ok":true}`)) {
		t.Errorf("read back %q, %v", got, err)
	}
	if err := b.Put(context.Background(), "../escape", nil, ""); err == nil {
		t.Error("a name outside the folder was written")
	}
	for _, spec := range []string{"s3://", "s3:///x"} {
		if _, err := bucket.Open(spec, nil); err == nil || !strings.Contains(err.Error(), "no bucket") {
			t.Errorf("Open(%q): %v", spec, err)
		}
	}
	if _, err := bucket.Open("s3://b/p", nil); err == nil {
		t.Error("an s3:// location opened without a client")
	}
}
