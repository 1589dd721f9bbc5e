package player_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/preview"
	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/httpapi"
	"github.com/framecast/framecast/internal/teststack"
	"github.com/framecast/framecast/player"
)

// stack is a whole Framecast server on loopback: SQLite, a blob directory, the service, the real preview
// service (engine frames and proxies) and the HTTP handler, with one account.
type stack struct {
	svc      *core.Service
	store    *store.Store
	blob     *blob.Local
	preview  *preview.Service
	srv      *httptest.Server
	account  string
	photoURL string // the uploaded testdata/photo.jpg
}

// stackOptions change a stack from its defaults.
type stackOptions struct {
	rateLimit float64 // httpapi.Config.RateLimit; 0 turns limiting off
}

func newStack(t testing.TB, opts stackOptions) *stack {
	t.Helper()
	ctx := context.Background()
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	ts := teststack.New(t, teststack.Options{Core: core.Config{PublicURL: srv.URL}})
	t.Cleanup(srv.Close) // registered after the stack's, so the server stops before the database closes
	svc := ts.Service
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	// Documents stored through the API name the photo by its upload URL (see withMedia); the tests' own
	// calls to the engine may name it by its local path.
	media := svc.Worker().AssetOptions("", filepath.Join(t.TempDir(), "assets"))
	media.AllowLocal, media.BaseDir = true, testdata
	pv := preview.New(preview.Config{
		Assets: media,
		URL:    func(key string) string { return core.FilesPath + key },
		Logger: quiet,
	}, ts.Blob)
	t.Cleanup(pv.Close) // before the temporary folders go: proxy renders write there
	rate := opts.rateLimit
	if rate == 0 {
		rate = -1
	}
	pages := player.Config{Renderer: pv, NoteError: httpapi.NoteError}
	if rate > 0 {
		pages = pages.WithLimits(httpapi.NewLimiter)
	}
	handler = httpapi.New(svc, httpapi.Config{Pages: player.New(svc, pages).Register, RateLimit: rate, Logger: quiet})
	photo, err := os.Open(filepath.Join(testdata, "photo.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer photo.Close()
	up, err := svc.Upload(ctx, ts.Account.ID, []core.UploadFile{{Name: "photo.jpg", Content: photo}})
	if err != nil {
		t.Fatal(err)
	}
	return &stack{svc: svc, store: ts.Store, blob: ts.Blob, preview: pv, srv: srv, account: ts.Account.ID, photoURL: up.Assets[0].URL}
}

// withMedia returns doc with the photo named by its upload URL, as a document sent to the API must.
func (s *stack) withMedia(doc json.RawMessage) json.RawMessage {
	return json.RawMessage(strings.ReplaceAll(string(doc), `"src":"photo.jpg"`, `"src":"`+s.photoURL+`"`))
}

// newPreview stores doc as a preview and returns its id.
func (s *stack) newPreview(t testing.TB, doc json.RawMessage) string {
	t.Helper()
	res, err := s.svc.CreatePreview(context.Background(), s.account, s.withMedia(doc))
	if err != nil {
		t.Fatal(err)
	}
	return res.TempID
}

// get fetches path from the server.
func (s *stack) get(t testing.TB, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(s.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// movingDoc is a w × h document of seconds at 30 fps whose every frame differs: a rectangle crosses the
// canvas and changes color, over a photo, under a title.
func movingDoc(w, h int, seconds float64) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"meta":{"version":"2.0.0","width":%d,"height":%d,"fps":30,"title":"Scrub <test>","background":"#102030"},
"tracks":[{"id":"main","clips":[
 {"type":"image","src":"photo.jpg","start":0,"duration":%[3]g,"transform":{"x":"50%%","y":"50%%","width":"60%%","height":"60%%"}},
 {"type":"rect","start":0,"duration":%[3]g,"transform":{"x":0,"y":"70%%","width":"20%%","height":"25%%"},"style":{"fill":"#ff0000"},
  "keyframes":[{"property":"x","frames":[{"time":0,"value":0},{"time":%[3]g,"value":%[1]d}]},
               {"property":"fill","frames":[{"time":0,"value":"#ff0000"},{"time":%[3]g,"value":"#00ff00"}]}]},
 {"type":"text","text":"Framecast preview","start":0,"duration":%[3]g,"transform":{"x":"50%%","y":"15%%"},
  "style":{"fontSize":%[4]d,"fontWeight":700,"fill":"#ffffff"}}
]}]}`, w, h, seconds, h/8))
}
