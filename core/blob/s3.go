package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// Upload settings of the S3 store. An object is sent in one PUT up to s3PartSize bytes and as a multipart
// upload of s3PartSize parts beyond, s3UploadConcurrency parts at a time: one upload holds at most
// (s3UploadConcurrency+1) × s3PartSize bytes in memory whatever the object's size (24 MiB with these values),
// so a 2 GB output is never buffered whole. 8 MiB is the SDK's default part size and above S3's 5 MiB minimum.
const (
	s3PartSize          = 8 << 20
	s3UploadConcurrency = 2
)

// s3CheckTimeout bounds the checks NewS3 makes at start (credentials, bucket): a wrong endpoint should fail
// the start in seconds, not hang it.
const s3CheckTimeout = 20 * time.Second

// S3 is a Store in a bucket of an S3-compatible object store: the object with key "a/b" is the S3 object
// PREFIX + "a/b", with its content type as the object's Content-Type. PUT is atomic in S3, so readers see the
// old object or the new one; an object opened for reading keeps reading the version it opened (its reads
// carry that version's ETag in If-Match), or fails if it was replaced meanwhile.
type S3 struct {
	client   *s3.Client
	uploader *transfermanager.Client
	presign  *s3.PresignClient
	bucket   string
	prefix   string // "" or ending in "/"
}

// S3Options locate a Store in S3. Credentials, region and endpoint come from the SDK's standard sources:
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE and the shared config files, or an instance
// role), AWS_REGION, and AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for a store other than Amazon's.
type S3Options struct {
	Bucket string
	// Prefix is put before every key ("" for none); a "/" is added when missing.
	Prefix string
	// PathStyle addresses the bucket as ENDPOINT/BUCKET/KEY instead of BUCKET.ENDPOINT/KEY, as most stores
	// other than Amazon's need.
	PathStyle bool
}

// NewS3 connects to the bucket and checks, before returning, that credentials are configured and the
// bucket exists and answers them, so that a wrong setting fails at start with an error that says which.
func NewS3(ctx context.Context, o S3Options) (*S3, error) {
	if o.Bucket == "" {
		return nil, errors.New("no bucket named")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("S3 configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // what S3-compatible stores accept; Amazon redirects to the bucket's region
	}
	checkCtx, cancel := context.WithTimeout(ctx, s3CheckTimeout)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(checkCtx); err != nil {
		return nil, fmt.Errorf("no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE with a shared config file): %w", err)
	}
	client := s3.NewFromConfig(cfg, func(so *s3.Options) {
		so.UsePathStyle = o.PathStyle
		// Stores other than Amazon's (and ranged reads) often send no checksum: not worth a log line each.
		so.DisableLogOutputChecksumValidationSkipped = true
	})
	prefix := strings.Trim(o.Prefix, "/")
	if prefix != "" {
		if err := ValidateKey(prefix); err != nil {
			return nil, fmt.Errorf("S3 prefix %q: not a clean path", o.Prefix)
		}
		prefix += "/"
	}
	s := &S3{
		client: client,
		uploader: transfermanager.New(client, func(to *transfermanager.Options) {
			to.PartSizeBytes = s3PartSize
			to.MultipartUploadThreshold = s3PartSize
			to.Concurrency = s3UploadConcurrency
		}),
		presign: s3.NewPresignClient(client),
		bucket:  o.Bucket,
		prefix:  prefix,
	}
	if _, err := client.HeadBucket(checkCtx, &s3.HeadBucketInput{Bucket: aws.String(o.Bucket)}); err != nil {
		switch statusOf(err) {
		case http.StatusNotFound:
			return nil, fmt.Errorf("S3 bucket %q does not exist at %s (create it first)", o.Bucket, s.endpoint())
		case http.StatusForbidden, http.StatusUnauthorized:
			return nil, fmt.Errorf("S3 bucket %q at %s refuses these credentials (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): %w", o.Bucket, s.endpoint(), err)
		}
		return nil, fmt.Errorf("S3 bucket %q at %s cannot be reached: %w", o.Bucket, s.endpoint(), err)
	}
	return s, nil
}

// endpoint names the S3 service for error messages.
func (s *S3) endpoint() string {
	if ep := s.client.Options().BaseEndpoint; ep != nil {
		return *ep
	}
	return "Amazon S3 (" + s.client.Options().Region + ")"
}

// String describes the store for logs: s3://BUCKET/PREFIX.
func (s *S3) String() string { return "s3://" + s.bucket + "/" + s.prefix }

// statusOf returns the HTTP status of an S3 error, or 0.
func statusOf(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// isNotFound reports whether err says the object or key does not exist.
func isNotFound(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "NoSuchKey" || ae.ErrorCode() == "NotFound") {
		return true
	}
	return statusOf(err) == http.StatusNotFound
}

func (s *S3) objectKey(key string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

// countingReader counts the bytes read through it and stops when its context ends.
type countingReader struct {
	ctx context.Context
	r   io.Reader
	n   int64
	err error // the first error of r other than io.EOF
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// Put implements Store. The content is streamed: one PUT for a small object, a multipart upload of
// s3PartSize parts for a larger one (aborted if r fails, so nothing is stored).
func (s *S3) Put(ctx context.Context, key string, r io.Reader, contentType string) (int64, error) {
	k, err := s.objectKey(key)
	if err != nil {
		return 0, err
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	body := &countingReader{ctx: ctx, r: r}
	_, err = s.uploader.UploadObject(ctx, &transfermanager.UploadObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(k), Body: body, ContentType: aws.String(contentType),
	})
	if body.err != nil { // the reader's own failure, whatever the SDK wrapped it in
		return 0, fmt.Errorf("blob: put %s: %w", key, body.err)
	}
	if err != nil {
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	return body.n, nil
}

// Open implements Store. It asks for the object's size and type; its bytes are fetched when read, from
// the offset last sought, so http.ServeContent's Range requests read only the range from S3.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	k, err := s.objectKey(key)
	if err != nil {
		return nil, err
	}
	head, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(k)})
	if isNotFound(err) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	o := &s3Object{s: s, ctx: ctx, key: k, size: aws.ToInt64(head.ContentLength), etag: aws.ToString(head.ETag),
		contentType: aws.ToString(head.ContentType), modTime: aws.ToTime(head.LastModified)}
	if o.contentType == "" {
		o.contentType = "application/octet-stream"
	}
	return o, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	k, err := s.objectKey(key)
	if err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(k)})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// List implements Store, a page of up to 1000 keys at a time.
func (s *S3) List(ctx context.Context, prefix string, fn func(Info) error) error {
	if err := ValidatePrefix(prefix); err != nil {
		return err
	}
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix + prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("blob: list %q: %w", prefix, err)
		}
		for _, obj := range page.Contents {
			key := strings.TrimPrefix(aws.ToString(obj.Key), s.prefix)
			if ValidateKey(key) != nil { // an object not written by a Store (a "folder" marker, say)
				continue
			}
			if err := fn(Info{Key: key, Size: aws.ToInt64(obj.Size), ModTime: aws.ToTime(obj.LastModified)}); err != nil {
				return fmt.Errorf("blob: list %q: %w", prefix, err)
			}
		}
	}
	return nil
}

// PresignGet implements Presigner: a URL that fetches the object with a plain GET until ttl passes.
func (s *S3) PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error) {
	k, err := s.objectKey(key)
	if err != nil {
		return "", err
	}
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(k)},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("blob: presign %s: %w", key, err)
	}
	return req.URL, nil
}

// s3Object is an S3 object opened for reading. Its body is requested at the first Read after an Open or
// a Seek, from that offset to the end.
type s3Object struct {
	s           *S3
	ctx         context.Context
	key         string
	size        int64
	etag        string
	contentType string
	modTime     time.Time

	pos  int64
	body io.ReadCloser // nil until read, and after each Seek
}

func (o *s3Object) Size() int64         { return o.size }
func (o *s3Object) ContentType() string { return o.contentType }
func (o *s3Object) ModTime() time.Time  { return o.modTime }

func (o *s3Object) Read(p []byte) (int, error) {
	if o.pos >= o.size {
		return 0, io.EOF
	}
	if o.body == nil {
		in := &s3.GetObjectInput{Bucket: aws.String(o.s.bucket), Key: aws.String(o.key), Range: aws.String(fmt.Sprintf("bytes=%d-", o.pos))}
		if o.etag != "" {
			in.IfMatch = aws.String(o.etag)
		}
		out, err := o.s.client.GetObject(o.ctx, in)
		if err != nil {
			return 0, fmt.Errorf("blob: read %s: %w", o.key, err)
		}
		o.body = out.Body
	}
	n, err := o.body.Read(p)
	o.pos += int64(n)
	if err == io.EOF && o.pos < o.size {
		err = fmt.Errorf("blob: read %s: %w", o.key, io.ErrUnexpectedEOF)
	}
	return n, err
}

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = o.pos + offset
	case io.SeekEnd:
		abs = o.size + offset
	default:
		return 0, errors.New("blob: seek: invalid whence")
	}
	if abs < 0 {
		return 0, errors.New("blob: seek: negative position")
	}
	if abs != o.pos && o.body != nil {
		o.body.Close()
		o.body = nil
	}
	o.pos = abs
	return abs, nil
}

func (o *s3Object) Close() error {
	if o.body != nil {
		err := o.body.Close()
		o.body = nil
		return err
	}
	return nil
}
