package bucket

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// s3FS is an S3 prefix as a read-only file system: keys below the prefix
// are files, "/" separates folders. Objects stream from GetObject as they
// are read; nothing is downloaded first.
type s3FS struct {
	c      *s3.Client
	bucket string
	prefix string
}

var (
	_ fs.ReadDirFS = (*s3FS)(nil)
	_ fs.StatFS    = (*s3FS)(nil)
)

// Object is what an S3 file's FileInfo.Sys() returns.
type Object struct {
	Bucket, Key string
	ETagValue   string
}

// ETag is the object's entity tag (for a simple upload, its MD5), which
// ingest records beside the sha256 it computes.
func (o Object) ETag() string { return o.ETagValue }

func (f *s3FS) Open(name string) (fs.File, error) { return f.OpenContext(context.Background(), name) }

// OpenContext opens name for reading under ctx (sources.ContextFS):
// cancelling ctx stops the transfer.
func (f *s3FS) OpenContext(ctx context.Context, name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &dirFile{f: f, ctx: ctx, info: dirInfo(".")}, nil
	}
	out, err := f.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(f.key(name))})
	if notFound(err) {
		info, err := f.dirOrMissing(ctx, "open", name)
		if err != nil {
			return nil, err
		}
		return &dirFile{f: f, ctx: ctx, name: name, info: info}, nil
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &objectFile{body: out.Body, info: f.info(f.key(name), out.ContentLength, out.LastModified, out.ETag)}, nil
}

// Stat describes name without reading it.
func (f *s3FS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return dirInfo("."), nil
	}
	ctx := context.Background()
	out, err := f.c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(f.key(name))})
	if notFound(err) {
		return f.dirOrMissing(ctx, "stat", name)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return f.info(f.key(name), out.ContentLength, out.LastModified, out.ETag), nil
}

// dirOrMissing is, for a name that is no object, its folder's info when
// keys lie below it, else fs.ErrNotExist.
func (f *s3FS) dirOrMissing(ctx context.Context, op, name string) (fs.FileInfo, error) {
	out, err := f.c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(f.bucket), Prefix: aws.String(f.key(name) + "/"), MaxKeys: aws.Int32(1)})
	switch {
	case err != nil:
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	case len(out.Contents) == 0:
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return dirInfo(path.Base(name)), nil
}

// info describes the object at key.
func (f *s3FS) info(key string, size *int64, mod *time.Time, etag *string) fileInfo {
	return fileInfo{name: path.Base(key), size: aws.ToInt64(size), mod: aws.ToTime(mod),
		obj: Object{Bucket: f.bucket, Key: key, ETagValue: strings.Trim(aws.ToString(etag), `"`)}}
}

// ReadDir lists a folder, sorted by name.
func (f *s3FS) ReadDir(name string) ([]fs.DirEntry, error) {
	return f.readDir(context.Background(), name)
}

func (f *s3FS) readDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	prefix := f.key(name)
	if prefix != "" {
		prefix += "/"
	}
	var out []fs.DirEntry
	p := s3.NewListObjectsV2Paginator(f.c, &s3.ListObjectsV2Input{Bucket: aws.String(f.bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
		}
		for _, cp := range page.CommonPrefixes {
			out = append(out, fs.FileInfoToDirEntry(dirInfo(path.Base(strings.TrimSuffix(aws.ToString(cp.Prefix), "/")))))
		}
		for _, o := range page.Contents {
			base := strings.TrimPrefix(aws.ToString(o.Key), prefix)
			if base == "" || strings.Contains(base, "/") {
				continue // a folder marker some consoles create
			}
			out = append(out, fs.FileInfoToDirEntry(f.info(aws.ToString(o.Key), o.Size, o.LastModified, o.ETag)))
		}
	}
	if len(out) == 0 && name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

func notFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	return errors.As(err, &nsk) || errors.As(err, &nf)
}

// objectFile is an object being read.
type objectFile struct {
	body io.ReadCloser
	info fileInfo
}

func (o *objectFile) Stat() (fs.FileInfo, error) { return o.info, nil }
func (o *objectFile) Read(p []byte) (int, error) { return o.body.Read(p) }
func (o *objectFile) Close() error               { return o.body.Close() }

// dirFile is a folder opened for listing.
type dirFile struct {
	f       *s3FS
	ctx     context.Context
	name    string
	info    fs.FileInfo
	entries []fs.DirEntry
	listed  bool
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}
func (d *dirFile) Close() error { return nil }

// ReadDir lists the folder n entries at a time (fs.ReadDirFile).
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.listed {
		name := d.name
		if name == "" {
			name = "."
		}
		es, err := d.f.readDir(d.ctx, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		d.entries, d.listed = es, true
	}
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	k := min(n, len(d.entries))
	out := d.entries[:k]
	d.entries = d.entries[k:]
	return out, nil
}

type fileInfo struct {
	name string
	size int64
	mod  time.Time
	obj  Object
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return i.mod }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return i.obj }

type dirInfo string

func (d dirInfo) Name() string       { return string(d) }
func (d dirInfo) Size() int64        { return 0 }
func (d dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (d dirInfo) ModTime() time.Time { return time.Time{} }
func (d dirInfo) IsDir() bool        { return true }
func (d dirInfo) Sys() any           { return nil }
