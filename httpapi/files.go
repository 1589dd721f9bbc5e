package httpapi

import (
	"errors"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// uploadFields are the multipart fields that carry files, in the order their files are taken.
var uploadFields = []string{"file", "files", "files[]"}

// uploadMemory is how much of an upload's files is kept in memory; the rest is spooled to temporary
// files, so a large upload never sits in memory whole.
const uploadMemory = 1 << 20

// upload is POST /api/v1/upload: multipart/form-data with one file in "file" or several in "files" or
// "files[]". The types are decided by core from the content, not the names.
//
// The parts are spooled (small ones in memory, large ones to temporary files) before core stores them,
// because core.Upload stores all files or none and needs them all at hand.
func (s *server) upload(w http.ResponseWriter, r *http.Request) {
	if !isMultipart(r) {
		writeError(w, r, core.NoFiles())
		return
	}
	if !parseMultipart(w, r) {
		return
	}
	defer r.MultipartForm.RemoveAll()

	var files []core.UploadFile
	for _, field := range uploadFields {
		for _, fh := range r.MultipartForm.File[field] {
			f, err := fh.Open()
			if err != nil {
				writeError(w, r, core.UploadFailed(err))
				return
			}
			defer f.Close()
			files = append(files, core.UploadFile{Name: fh.Filename, Content: f})
		}
	}
	res, err := s.svc.Upload(r.Context(), accountID(r), files)
	respond(w, r, http.StatusOK, res, err)
}

// listFiles is GET /api/v1/files?page&limit&type.
func (s *server) listFiles(w http.ResponseWriter, r *http.Request) {
	page, err := queryPage(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.ListFiles(r.Context(), accountID(r), core.ListFilesInput{PageInput: page, Type: r.URL.Query().Get("type")})
	respond(w, r, http.StatusOK, res, err)
}

// deleteFile is DELETE /api/v1/files/{fileId}.
func (s *server) deleteFile(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.DeleteFile(r.Context(), accountID(r), chi.URLParam(r, "fileId"))
	respond(w, r, http.StatusOK, res, err)
}

// parseMultipart parses r's multipart body (small parts in memory, the rest spooled to temporary files that
// the caller removes with r.MultipartForm.RemoveAll). On failure it writes the error, 413 when the body is over
// its limit, 408 when it stalls (bodyError), and reports false.
func parseMultipart(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseMultipartForm(uploadMemory)
	if err == nil {
		return true
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.Is(err, os.ErrDeadlineExceeded) {
		writeError(w, r, bodyError(err)) // 413 over the limit, 408 for a body that stalls
	} else {
		writeError(w, r, core.InvalidRequest("malformed multipart body: %v", err))
	}
	return false
}
