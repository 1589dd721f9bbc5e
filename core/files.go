package core

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/framecast/framecast/render/paint"
	"image"
	_ "image/gif"  // image.DecodeConfig for GIF
	_ "image/jpeg" // and JPEG
	_ "image/png"  // and PNG
	"io"
	"math"
	"os"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	_ "golang.org/x/image/webp" // and WebP

	"github.com/framecast/framecast/core/store"
)

// maxFileNameLength bounds the stored name of an upload.
const maxFileNameLength = 255

// UploadFile is one file of an upload: the name the client gave and the content.
type UploadFile struct {
	Name    string
	Content io.Reader
}

// FileView is an uploaded file as the API shows it.
type FileView struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	URL       string  `json:"url"` // usable as a clip src in this account's documents
	Type      string  `json:"type"`
	MimeType  string  `json:"mimeType"`
	Size      int64   `json:"size"`
	Width     int     `json:"width,omitempty"`
	Height    int     `json:"height,omitempty"`
	Duration  float64 `json:"duration,omitempty"`
	CreatedAt string  `json:"createdAt"`
}

// UploadResult is the response of POST /api/v1/upload.
type UploadResult struct {
	Success bool       `json:"success"`
	Message string     `json:"message"`
	Count   int        `json:"count"`
	Assets  []FileView `json:"assets"`
}

// ListFilesInput is the query of GET /api/v1/files.
type ListFilesInput struct {
	PageInput
	Type string // "" for all, else image, video or audio
}

// ListFilesResult is the response of GET /api/v1/files.
type ListFilesResult struct {
	Success    bool       `json:"success"`
	Files      []FileView `json:"files"`
	Pagination Pagination `json:"pagination"`
}

// DeleteFileResult is the response of DELETE /api/v1/files/{fileId}.
type DeleteFileResult struct {
	Success bool   `json:"success"`
	FileID  string `json:"fileId"`
	Deleted bool   `json:"deleted"`
	Message string `json:"message"`
}

// errTooLarge is returned by sizeLimit when the content runs past the limit.
var errTooLarge = errors.New("upload larger than the limit")

// sizeLimit passes at most limit bytes and fails with errTooLarge if there are more.
type sizeLimit struct {
	r    io.Reader
	left int64
}

func (l *sizeLimit) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, errTooLarge
	}
	return n, err
}

// Upload stores files for the account. Each file's type is decided from its content; a file of a type not
// accepted (or an executable) is UNSUPPORTED_FILE_TYPE, one over the size limit or the account's quota
// STORAGE_LIMIT_EXCEEDED. All files are stored or none. With an idempotency key in ctx, a repeat with the
// same names and contents gets the first call's answer.
func (s *Service) Upload(ctx context.Context, accountID string, files []UploadFile) (UploadResult, error) {
	if len(files) == 0 {
		return UploadResult{}, NoFiles()
	}
	if idempotencyOf(ctx) == nil {
		return s.upload(ctx, accountID, files)
	}
	files, digest, cleanup, err := s.rewindable(files)
	defer cleanup()
	if err != nil {
		return UploadResult{}, err
	}
	return idempotent(ctx, s, accountID, "upload", digest, func() (UploadResult, error) {
		return s.upload(ctx, accountID, files)
	})
}

// rewindable returns files readable again after their names and contents are hashed (for an idempotency
// key): contents that can seek are rewound, others are spooled to temporary files that cleanup removes.
func (s *Service) rewindable(files []UploadFile) (out []UploadFile, digest string, cleanup func(), err error) {
	var temps []*os.File
	cleanup = func() {
		for _, f := range temps {
			f.Close()
			os.Remove(f.Name())
		}
	}
	h := sha256.New()
	out = make([]UploadFile, len(files))
	for i, f := range files {
		fmt.Fprintf(h, "%d:%s\n", len(f.Name), f.Name)
		content := f.Content
		if rs, ok := content.(io.ReadSeeker); ok {
			n, err := io.Copy(h, rs)
			if err == nil {
				_, err = rs.Seek(0, io.SeekStart)
			}
			if err != nil {
				return nil, "", cleanup, UploadFailed(fmt.Errorf("read %s: %w", cleanFileName(f.Name), err))
			}
			fmt.Fprintf(h, "\n%d\n", n)
		} else {
			tmp, err := os.CreateTemp("", "framecast-upload-*")
			if err != nil {
				return nil, "", cleanup, UploadFailed(err)
			}
			temps = append(temps, tmp)
			// One byte past the limit is enough for the upload to be refused as too large.
			n, err := io.Copy(io.MultiWriter(h, tmp), io.LimitReader(content, s.cfg.MaxUploadBytes+1))
			if err == nil {
				_, err = tmp.Seek(0, io.SeekStart)
			}
			if err != nil {
				return nil, "", cleanup, UploadFailed(fmt.Errorf("read %s: %w", cleanFileName(f.Name), err))
			}
			fmt.Fprintf(h, "\n%d\n", n)
			content = tmp
		}
		out[i] = UploadFile{Name: f.Name, Content: content}
	}
	return out, hex.EncodeToString(h.Sum(nil)), cleanup, nil
}

func (s *Service) upload(ctx context.Context, accountID string, files []UploadFile) (UploadResult, error) {
	var stored []store.File
	ok := false
	defer func() {
		if !ok {
			for _, f := range stored {
				s.blob.Delete(context.WithoutCancel(ctx), f.BlobKey)
			}
		}
	}()
	var total int64
	for _, in := range files {
		f, err := s.storeUpload(ctx, accountID, in)
		if err != nil {
			return UploadResult{}, err
		}
		stored = append(stored, f)
		total += f.Size
	}
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.AddStorageUsed(ctx, accountID, total, s.cfg.StorageQuota); err != nil {
			return err
		}
		for _, f := range stored {
			if err := tx.InsertFile(ctx, f); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrQuotaExceeded) {
		return UploadResult{}, StorageLimitExceeded(fmt.Sprintf("Storage quota of %d bytes exceeded", s.cfg.StorageQuota), s.cfg.StorageQuota)
	}
	if err != nil {
		return UploadResult{}, UploadFailed(err)
	}
	ok = true
	res := UploadResult{Success: true, Count: len(stored), Assets: make([]FileView, len(stored))}
	for i, f := range stored {
		res.Assets[i] = s.fileView(f)
	}
	res.Message = fmt.Sprintf("%d file%s uploaded", len(stored), plural(len(stored)))
	return res, nil
}

// storeUpload checks one file's type and size and puts it in blob storage under files/<account>/<id>.
func (s *Service) storeUpload(ctx context.Context, accountID string, in UploadFile) (store.File, error) {
	name := cleanFileName(in.Name)
	head := make([]byte, sniffLength)
	n, err := io.ReadFull(in.Content, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return store.File{}, UploadFailed(fmt.Errorf("read %s: %w", name, err))
	}
	head = head[:n]
	if n == 0 {
		return store.File{}, UnsupportedFileType(name, "empty file")
	}
	ft, detected, ok := DetectFileType(head)
	if !ok {
		return store.File{}, UnsupportedFileType(name, detected)
	}
	id := newID("asset_")
	f := store.File{ID: id, AccountID: accountID, Name: name, BlobKey: "files/" + accountID + "/" + id,
		Kind: ft.Kind, MimeType: ft.MimeType, CreatedAt: store.NewTime(s.now())}
	if f.Name == "" {
		f.Name = id
	}
	content := &sizeLimit{r: io.MultiReader(bytes.NewReader(head), in.Content), left: s.cfg.MaxUploadBytes}
	f.Size, err = s.blob.Put(ctx, f.BlobKey, content, ft.MimeType)
	if errors.Is(err, errTooLarge) {
		return store.File{}, StorageLimitExceeded(fmt.Sprintf("%s is larger than the limit of %d bytes", f.Name, s.cfg.MaxUploadBytes), s.cfg.MaxUploadBytes)
	}
	if err != nil {
		return store.File{}, UploadFailed(err)
	}
	if ft.Kind == KindImage {
		f.Width, f.Height = s.imageSize(ctx, ft, head, f.BlobKey)
	}
	return f, nil
}

// imageSize returns the dimensions of an image, or 0, 0 when unknown: SVG and AVIF from the header (the
// root element's width and height, the ispe box), others by decoding the stored file's header.
func (s *Service) imageSize(ctx context.Context, ft FileType, head []byte, key string) (width, height int) {
	switch ft.MimeType {
	case "image/svg+xml":
		w, h, err := paint.SVGSize(head)
		if err != nil {
			return 0, 0
		}
		return int(math.Round(w)), int(math.Round(h))
	case "image/avif":
		return avifSize(head)
	}
	obj, err := s.blob.Open(ctx, key)
	if err != nil {
		return 0, 0
	}
	defer obj.Close()
	cfg, _, err := image.DecodeConfig(bufio.NewReader(obj))
	if err != nil {
		return 0, 0
	}
	return cfg.Width, cfg.Height
}

// avifSize reads the image spatial extents ("ispe") property of an AVIF header: after the box type come
// 4 bytes of version and flags, then width and height as 32-bit big-endian numbers.
func avifSize(head []byte) (width, height int) {
	i := bytes.Index(head, []byte("ispe"))
	if i < 0 || i+16 > len(head) {
		return 0, 0
	}
	return int(binary.BigEndian.Uint32(head[i+8:])), int(binary.BigEndian.Uint32(head[i+12:]))
}

// cleanFileName keeps the last element of a client's file name, without control characters, at most
// maxFileNameLength characters.
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	if utf8.RuneCountInString(name) > maxFileNameLength {
		name = string([]rune(name)[:maxFileNameLength])
	}
	return name
}

// fileView shows a stored file.
func (s *Service) fileView(f store.File) FileView {
	return FileView{ID: f.ID, Name: f.Name, URL: s.blobURL(f.BlobKey), Type: f.Kind, MimeType: f.MimeType, Size: f.Size,
		Width: f.Width, Height: f.Height, Duration: f.Duration, CreatedAt: timestamp(f.CreatedAt.Time)}
}

// ListFiles returns a page of the account's files, newest first.
func (s *Service) ListFiles(ctx context.Context, accountID string, in ListFilesInput) (ListFilesResult, error) {
	page, limit, err := in.PageInput.normalize()
	if err != nil {
		return ListFilesResult{}, err
	}
	if in.Type != "" && !slices.Contains(fileKinds, in.Type) {
		return ListFilesResult{}, InvalidRequest("type must be one of %s", strings.Join(fileKinds, ", "))
	}
	files, total, err := s.store.ListFiles(ctx, accountID, in.Type, (page-1)*limit, limit)
	if err != nil {
		return ListFilesResult{}, fail(err)
	}
	res := ListFilesResult{Success: true, Files: make([]FileView, len(files)), Pagination: Pagination{Page: page, Limit: limit, Total: total}}
	for i, f := range files {
		res.Files[i] = s.fileView(f)
	}
	return res, nil
}

// DeleteFile removes one of the account's files: its record and its stored object.
func (s *Service) DeleteFile(ctx context.Context, accountID, fileID string) (DeleteFileResult, error) {
	var f store.File
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if f, err = tx.GetFile(ctx, accountID, fileID); err != nil {
			return err
		}
		if err := tx.DeleteFile(ctx, accountID, fileID); err != nil {
			return err
		}
		return tx.AddStorageUsed(ctx, accountID, -f.Size, 0)
	})
	if err != nil {
		return DeleteFileResult{}, notFound(err, "File", fileID)
	}
	if err := s.blob.Delete(ctx, f.BlobKey); err != nil {
		return DeleteFileResult{}, RemoteError(err)
	}
	return DeleteFileResult{Success: true, FileID: fileID, Deleted: true, Message: "File deleted"}, nil
}

// ResolveFileURL maps the url of one of the account's uploaded files (absolute under PublicURL, as returned,
// or the bare path "/files/…") to its blob key, so the renderer reads the upload from storage instead of
// over HTTP, on whichever machine it runs.
// ok is false for any other URL, including another account's file.
func (s *Service) ResolveFileURL(ctx context.Context, accountID, url string) (key string, ok bool) {
	key, found := s.filesKey(url)
	if !found || !strings.HasPrefix(key, "files/"+accountID+"/") {
		return "", false
	}
	if _, err := s.store.GetFileByKey(ctx, accountID, key); err != nil {
		return "", false
	}
	return key, true
}
