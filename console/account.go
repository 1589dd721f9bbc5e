package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core"
)

// The account's own pages: files, API keys, webhooks, credits and previews.
func init() {
	routes = append(routes, func(c *Console, r chi.Router) {
		r.Get("/files", c.files)
		r.Post("/files", c.upload)
		r.Post("/files/{id}/delete", c.deleteFile)
		r.Get("/keys", c.keys)
		r.Post("/keys", c.createKey)
		r.Post("/keys/{id}/revoke", c.revokeKey)
		r.Get("/webhooks", c.webhooks)
		r.Post("/webhooks/rotate", c.rotateSecret)
		r.Post("/webhooks/test", c.testWebhook)
		r.Get("/credits", c.credits)
		r.Get("/previews", c.previews)
		r.Post("/previews/{id}/delete", c.deletePreview)
	})
}

// fileTypes are the values of the files page's type filter.
var fileTypes = []string{"image", "video", "audio"}

// files is GET /files?type=&page=: the file library, with its quota bar.
func (c *Console) files(w http.ResponseWriter, r *http.Request) {
	ctx, acct := c.ctx(r), c.account(r)
	kind := r.URL.Query().Get("type")
	res, err := c.svc.ListFiles(ctx, acct.ID, core.ListFilesInput{PageInput: core.PageInput{Page: pageOf(r), Limit: 24}, Type: kind})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	cfg := c.svc.Config()
	c.render(w, r, "files", "Files", struct {
		Files     []core.FileView
		Types     []string
		Type      string
		Used      int64
		Quota     int64
		MaxUpload int64
		Pager     pager
	}{res.Files, fileTypes, kind, acct.StorageUsed, cfg.StorageQuota, cfg.MaxUploadBytes, newPager(r, res.Pagination)})
}

// Upload deadlines: a console upload may take as long as one through the API.
const (
	uploadReadTimeout = 15 * time.Minute
	uploadMemory      = 8 << 20 // multipart parts kept in memory; larger ones go to temporary files
)

// upload is POST /files: multipart files (field "file"), as POST /api/v1/upload takes them. The script
// asks for JSON (Accept: application/json) and shows a progress bar; a plain form gets the page back.
func (c *Console) upload(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(uploadReadTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(uploadReadTimeout + time.Minute))
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	answer := func(err error, res core.UploadResult) {
		if !wantJSON {
			if err != nil {
				c.fail(w, r, err)
				return
			}
			c.redirect(w, r, "/files", res.Message)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			e := core.AsError(err)
			w.WriteHeader(c.statusOf(e.Code))
			json.NewEncoder(w).Encode(map[string]any{"success": false, "error": e.Message, "code": e.Code})
			return
		}
		json.NewEncoder(w).Encode(res)
	}
	r.Body = http.MaxBytesReader(w, r.Body, c.svc.Config().MaxUploadBytes+64<<10)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			answer(core.StorageLimitExceeded("The upload is larger than this server accepts", c.svc.Config().MaxUploadBytes), core.UploadResult{})
			return
		}
		answer(core.InvalidRequest("malformed upload: %v", err), core.UploadResult{})
		return
	}
	defer r.MultipartForm.RemoveAll()
	var files []core.UploadFile
	for _, fh := range r.MultipartForm.File["file"] {
		f, err := fh.Open()
		if err != nil {
			answer(core.UploadFailed(err), core.UploadResult{})
			return
		}
		defer f.Close()
		files = append(files, core.UploadFile{Name: fh.Filename, Content: f})
	}
	res, err := c.svc.Upload(c.ctx(r), c.account(r).ID, files)
	answer(err, res)
}

// deleteFile is POST /files/{id}/delete.
func (c *Console) deleteFile(w http.ResponseWriter, r *http.Request) {
	res, err := c.svc.DeleteFile(c.ctx(r), c.account(r).ID, chi.URLParam(r, "id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/files", res.Message)
}

// keys is GET /keys: the account's API keys.
func (c *Console) keys(w http.ResponseWriter, r *http.Request) {
	c.showKeys(w, r, "")
}

func (c *Console) showKeys(w http.ResponseWriter, r *http.Request, created string) {
	keys, err := c.svc.ListKeys(c.ctx(r), c.account(r).ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "keys", "API keys", struct {
		Keys    []core.Key
		Created string // the plain text of a key just made, shown this once
	}{keys, created})
}

// createKey is POST /keys: a new key, shown once on the page that answers (not a redirect, so that the
// key never sits in a URL or the history).
func (c *Console) createKey(w http.ResponseWriter, r *http.Request) {
	plain, _, err := c.svc.CreateKey(c.ctx(r), c.account(r).ID, r.PostFormValue("name"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showKeys(w, r, plain)
}

// revokeKey is POST /keys/{id}/revoke. Revoking the key this session was opened with signs it out.
func (c *Console) revokeKey(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := c.svc.RevokeKey(c.ctx(r), c.account(r).ID, id); err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/keys", "Key "+id+" revoked: it now gets 401 from the API")
}

// webhooks is GET /webhooks: the signing secret, its rotation and a test event.
func (c *Console) webhooks(w http.ResponseWriter, r *http.Request) {
	c.showWebhooks(w, r, nil)
}

func (c *Console) showWebhooks(w http.ResponseWriter, r *http.Request, test *core.TestWebhookResult) {
	sec, err := c.svc.GetWebhookSecret(c.ctx(r), c.account(r).ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "webhooks", "Webhooks", struct {
		Secret core.WebhookSecretResult
		Test   *core.TestWebhookResult
	}{sec, test})
}

// rotateSecret is POST /webhooks/rotate.
func (c *Console) rotateSecret(w http.ResponseWriter, r *http.Request) {
	if _, err := c.svc.RotateWebhookSecret(c.ctx(r), c.account(r).ID); err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/webhooks", "New signing secret: webhooks are signed with it from now on")
}

// testWebhook is POST /webhooks/test: a signed test event to the URL given, and what it answered.
func (c *Console) testWebhook(w http.ResponseWriter, r *http.Request) {
	res, err := c.svc.SendTestWebhook(c.ctx(r), c.account(r).ID, strings.TrimSpace(r.PostFormValue("url")))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showWebhooks(w, r, &res)
}

// credits is GET /credits: the balance and the ledger.
func (c *Console) credits(w http.ResponseWriter, r *http.Request) {
	ctx, acct := c.ctx(r), c.account(r)
	ledger, err := c.svc.Ledger(ctx, acct.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "credits", "Credits", struct {
		Balance int64
		Ledger  any
	}{acct.Credits, ledger})
}

// previews is GET /previews: the account's live previews.
func (c *Console) previews(w http.ResponseWriter, r *http.Request) {
	res, err := c.svc.ListPreviews(c.ctx(r), c.account(r).ID, core.PageInput{Page: pageOf(r), Limit: 20})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "previews", "Previews", struct {
		Previews []core.PreviewSummary
		Pager    pager
	}{res.Previews, newPager(r, res.Pagination)})
}

// deletePreview is POST /previews/{id}/delete.
func (c *Console) deletePreview(w http.ResponseWriter, r *http.Request) {
	res, err := c.svc.DeletePreview(c.ctx(r), c.account(r).ID, chi.URLParam(r, "id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.redirect(w, r, "/previews", res.Message)
}
