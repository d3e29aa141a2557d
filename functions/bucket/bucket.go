// Package bucket is where exports are read from and reports are written
// to: a local folder, or an S3 prefix (s3://bucket/prefix). Reads go
// through the same fs.FS the local run uses (an S3 prefix is a
// sources.ContextFS whose objects stream); writes replace a whole object
// or file at once.
package bucket

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Scheme starts an S3 location.
const Scheme = "s3://"

// Bucket is one folder or S3 prefix.
type Bucket struct {
	URL string // as given: a path or s3://bucket/prefix
	FS  fs.FS  // the files below it
	put func(ctx context.Context, name string, body []byte, contentType string) error
}

// Open opens a folder or an S3 prefix; client serves s3:// locations (nil
// is an error for one) and is built once per process (NewS3Client).
func Open(spec string, client *s3.Client) (*Bucket, error) {
	if rest, ok := strings.CutPrefix(spec, Scheme); ok {
		name, prefix, _ := strings.Cut(rest, "/")
		if name == "" {
			return nil, fmt.Errorf("%q names no bucket; use s3://BUCKET/PREFIX", spec)
		}
		if client == nil {
			return nil, fmt.Errorf("opening %s: no S3 client", spec)
		}
		f := &s3FS{c: client, bucket: name, prefix: strings.Trim(prefix, "/")}
		return &Bucket{URL: spec, FS: f, put: f.put}, nil
	}
	if spec == "" {
		return nil, errors.New("no folder or s3:// location given")
	}
	// Read through a root, a folder's files cannot escape it by ".." or a
	// symbolic link: an export linked from elsewhere is refused, never
	// read. The root's descriptor closes when the FS is no longer used. A
	// folder that does not exist yet (a report's) is created by Put.
	var fsys fs.FS = os.DirFS(spec)
	if root, err := os.OpenRoot(spec); err == nil {
		fsys = root.FS()
	}
	return &Bucket{URL: spec, FS: fsys, put: func(_ context.Context, name string, body []byte, _ string) error {
		return writeFile(filepath.Join(spec, filepath.FromSlash(name)), body)
	}}, nil
}

// Put writes body as the file or object name (slash-separated, below the
// bucket's prefix), replacing it whole.
func (b *Bucket) Put(ctx context.Context, name string, body []byte, contentType string) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("writing %q to %s: not a valid file name", name, b.URL)
	}
	if err := b.put(ctx, name, body, contentType); err != nil {
		return fmt.Errorf("writing %s to %s: %w", name, b.URL, err)
	}
	return nil
}

// Where is the location of name in the bucket, for messages and summaries.
func (b *Bucket) Where(name string) string {
	if strings.HasPrefix(b.URL, Scheme) {
		return strings.TrimSuffix(b.URL, "/") + "/" + name
	}
	return filepath.Join(b.URL, filepath.FromSlash(name))
}

// writeFile replaces path with body: written beside it, then renamed, so
// a reader never sees half a file.
func writeFile(p string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// NewS3Client is the S3 client of the process's AWS configuration (the
// Lambda role's credentials, or the environment's). An endpoint set with
// AWS_ENDPOINT_URL (moto, MinIO) is addressed path-style, as those need.
func NewS3Client(ctx context.Context) (*s3.Client, aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, cfg, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = o.BaseEndpoint != nil }), cfg, nil
}

func (f *s3FS) put(ctx context.Context, name string, body []byte, contentType string) error {
	_, err := f.c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(f.bucket), Key: aws.String(f.key(name)), Body: bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String(contentType),
	})
	return err
}

// key is the object key of an fs name.
func (f *s3FS) key(name string) string {
	switch {
	case name == ".":
		return f.prefix
	case f.prefix == "":
		return name
	}
	return path.Join(f.prefix, name)
}
