package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/framecast/framecast/client"
	"github.com/framecast/framecast/core"
)

// typePairs pairs each body type of the client with the server's own type of the same body.
var typePairs = []struct{ client, server any }{
	{client.CreateVideoInput{}, core.CreateTaskInput{}},
	{client.CreateVideoResult{}, core.CreateTaskResult{}},
	{client.Video{}, core.TaskResult{}},
	{client.VideoList{}, core.ListTasksResult{}},
	{client.DeleteVideoResult{}, core.DeleteTaskResult{}},
	{client.RenderOptions{}, core.RenderInput{}},
	{client.RenderResult{}, core.RenderResult{}},
	{client.WebhookAttempts{}, core.WebhookAttemptsResult{}},
	{client.CreatePreviewResult{}, core.CreatePreviewResult{}},
	{client.Preview{}, core.PreviewResult{}},
	{client.DeletePreviewResult{}, core.DeletePreviewResult{}},
	{client.TaskOptions{}, core.TaskOptions{}},
	{client.ConvertPreviewResult{}, core.ConvertPreviewResult{}},
	{client.RenderPreviewOptions{}, core.RenderPreviewInput{}},
	{client.RenderPreviewResult{}, core.RenderPreviewResult{}},
	{client.UploadResult{}, core.UploadResult{}},
	{client.FileList{}, core.ListFilesResult{}},
	{client.DeleteFileResult{}, core.DeleteFileResult{}},
	{client.Credits{}, core.CreditsResult{}},
	{client.WebhookSecret{}, core.WebhookSecretResult{}},
	{client.Capabilities{}, core.CapabilitiesResult{}},
}

// TestTypesMatchTheServer compares the JSON shape of every client type with the server's type of the same
// body: the same field names at every depth, of the same JSON kind, omitted when empty alike. (The
// server's "success" is left out of the client's types; a field the one side keeps opaque — any, a map, a
// json.RawMessage — may have any shape on the other.)
func TestTypesMatchTheServer(t *testing.T) {
	for _, p := range typePairs {
		ct, st := reflect.TypeOf(p.client), reflect.TypeOf(p.server)
		cs, ss := map[string]string{}, map[string]string{}
		shape(ct, "", cs)
		shape(st, "", ss)
		delete(ss, "success")
		for _, d := range diffShapes(cs, ss) {
			t.Errorf("client.%s and core.%s: %s", ct.Name(), st.Name(), d)
		}
	}
}

// shape records the JSON kind of every path of t: "name", "list[]", "list[].field".
func shape(t reflect.Type, prefix string, out map[string]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			shape(f.Type, prefix, out)
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		path := prefix + name
		kind := kindOf(f.Type)
		if strings.Contains(opts, "omitempty") {
			kind += ",omitempty"
		}
		out[path] = kind
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			if ft.Kind() == reflect.Slice {
				if ft.Elem().Kind() == reflect.Uint8 {
					break
				}
				path += "[]"
			}
			ft = ft.Elem()
		}
		if kindOf(ft) == "object" && ft.Kind() == reflect.Struct {
			shape(ft, path+".", out)
		}
	}
}

// kindOf names the JSON kind of a Go type.
func kindOf(t reflect.Type) string {
	if t == reflect.TypeFor[json.RawMessage]() {
		return "opaque"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return kindOf(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array of " + kindOf(t.Elem())
	case reflect.Struct:
		return "object"
	}
	return "opaque" // interfaces and maps
}

// diffShapes lists the differences between two shapes.
func diffShapes(a, b map[string]string) []string {
	opaque := func(m map[string]string, path string) bool {
		for p, k := range m {
			if strings.HasPrefix(k, "opaque") || strings.HasPrefix(k, "array of opaque") {
				if strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[]") || path == p {
					return true
				}
			}
		}
		return false
	}
	var out []string
	for p, ka := range a {
		kb, ok := b[p]
		switch {
		case !ok && !opaque(b, p):
			out = append(out, "the client has "+p+", the server not")
		case ok && ka != kb && !opaque(a, p) && !opaque(b, p):
			out = append(out, p+" is "+ka+" in the client, "+kb+" in the server")
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok && !opaque(a, p) {
			out = append(out, "the server has "+p+", the client not")
		}
	}
	sort.Strings(out)
	return out
}

// recorder keeps the body of the last answer.
type recorder struct {
	mu   sync.Mutex
	last []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.last = body
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// strict decodes the last answer into a new value of result's type with unknown fields refused (beside
// "success"), and checks that it decodes to what the client returned.
func (r *recorder) strict(t *testing.T, op string, result any) {
	t.Helper()
	r.mu.Lock()
	body := r.last
	r.mu.Unlock()
	rt := reflect.TypeOf(result).Elem()
	wrapper := reflect.StructOf([]reflect.StructField{
		{Name: "Success", Type: reflect.TypeFor[bool](), Tag: `json:"success"`},
		{Name: rt.Name(), Type: rt, Anonymous: true},
	})
	v := reflect.New(wrapper)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v.Interface()); err != nil {
		t.Errorf("%s: the answer does not decode strictly into client.%s: %v\n%s", op, rt.Name(), err, body)
		return
	}
	if got := v.Elem().Field(1).Interface(); !reflect.DeepEqual(got, reflect.ValueOf(result).Elem().Interface()) {
		t.Errorf("%s: client returned %+v, the answer decodes to %+v", op, result, got)
	}
}

// TestAnswersDecodeStrictly calls every operation of a real server through the client and decodes each
// answer into the client's type with unknown fields refused: a field the server adds, or renames, fails
// here. The render really runs, so the completed video's fields and a webhook attempt are answered too.
func TestAnswersDecodeStrictly(t *testing.T) {
	srv, err := startServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.stop)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(hook.Close)
	rec := &recorder{}
	c, err := client.New(srv.URL, srv.Key, client.WithHTTPClient(&http.Client{Transport: rec}), client.WithPollInterval(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	must := func(op string, result any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		rec.strict(t, op, result)
	}

	caps, err := c.GetCapabilities(ctx)
	must("GetCapabilities", caps, err)
	credits, err := c.GetCredits(ctx)
	must("GetCredits", credits, err)
	secret, err := c.GetWebhookSecret(ctx)
	must("GetWebhookSecret", secret, err)

	created, err := c.CreateVideo(ctx, client.CreateVideoInput{Config: json.RawMessage(document),
		TaskOptions: client.TaskOptions{Title: "t", Category: "tests", Metadata: map[string]any{"k": "v"}}})
	must("CreateVideo", created, err)
	rendered, err := c.RenderVideo(ctx, created.TaskID, client.RenderOptions{WebhookURL: hook.URL, NumWorkers: 1})
	must("RenderVideo", rendered, err)
	if _, err := c.WaitForVideo(ctx, created.TaskID, nil); err != nil {
		t.Fatal(err)
	}
	video, err := c.GetVideo(ctx, created.TaskID)
	must("GetVideo", video, err)
	if video.Status != client.StatusCompleted || video.VideoURL == "" || video.ThumbnailURL == "" || video.CompletedAt == "" {
		t.Errorf("completed video: %+v", video)
	}
	again, err := c.RenderVideo(ctx, created.TaskID, client.RenderOptions{})
	must("RenderVideo (again)", again, err)
	list, err := c.ListVideos(ctx, client.ListVideosOptions{Category: "all", Status: client.StatusCompleted, Limit: 5})
	must("ListVideos", list, err)
	if list.Pagination.Total != 1 || list.Tasks[0].TaskID != created.TaskID {
		t.Errorf("ListVideos: %+v", list)
	}
	var hooks *client.WebhookAttempts
	for range 100 { // the webhook is delivered after the video completes
		if hooks, err = c.ListVideoWebhooks(ctx, created.TaskID); err != nil || len(hooks.Attempts) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	must("ListVideoWebhooks", hooks, err)
	if len(hooks.Attempts) == 0 {
		t.Error("no webhook attempt recorded")
	}
	doc, err := c.GetVideoConfig(ctx, created.TaskID)
	if err != nil || !json.Valid(doc) || !bytes.Contains(doc, []byte(`"tracks"`)) {
		t.Errorf("GetVideoConfig: %v %s", err, doc)
	}

	preview, err := c.CreatePreview(ctx, json.RawMessage(document))
	must("CreatePreview", preview, err)
	got, err := c.GetPreview(ctx, preview.TempID)
	must("GetPreview", got, err)
	converted, err := c.ConvertPreview(ctx, preview.TempID, client.TaskOptions{Title: "from a preview"})
	must("ConvertPreview", converted, err)
	renderedPreview, err := c.RenderPreview(ctx, preview.TempID, client.RenderPreviewOptions{TaskOptions: client.TaskOptions{Category: "tests"}})
	must("RenderPreview", renderedPreview, err)
	deletedPreview, err := c.DeletePreview(ctx, preview.TempID)
	must("DeletePreview", deletedPreview, err)

	up, err := c.UploadFiles(ctx, client.UploadFile{Name: "a.svg", Content: strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>`)})
	must("UploadFiles", up, err)
	files, err := c.ListFiles(ctx, client.ListFilesOptions{})
	must("ListFiles", files, err)
	deletedFile, err := c.DeleteFile(ctx, up.Assets[0].ID)
	must("DeleteFile", deletedFile, err)
	if _, err := c.WaitForVideo(ctx, renderedPreview.TaskID, nil); err != nil {
		t.Fatal(err)
	}
	deleted, err := c.DeleteVideo(ctx, created.TaskID)
	must("DeleteVideo", deleted, err)
}

// TestOneMethodPerOperation: the client has a method for every operationId of the published OpenAPI
// document (createVideo is Client.CreateVideo), and every exported method of the client is one of them
// or WaitForVideo.
func TestOneMethodPerOperation(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct{ OperationID string }
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for _, methods := range doc.Paths {
		for _, op := range methods {
			r := []rune(op.OperationID)
			r[0] = unicode.ToUpper(r[0])
			ops[string(r)] = true
		}
	}
	ct := reflect.TypeFor[*client.Client]()
	methods := map[string]bool{}
	for i := range ct.NumMethod() {
		methods[ct.Method(i).Name] = true
	}
	for op := range ops {
		if !methods[op] {
			t.Errorf("operation %s has no client method", op)
		}
	}
	for m := range methods {
		if !ops[m] && m != "WaitForVideo" {
			t.Errorf("client method %s is no operation of docs/openapi.json", m)
		}
	}
}

// TestNamesMatchTheServer: the client's error codes and video statuses are the server's.
func TestNamesMatchTheServer(t *testing.T) {
	codes := []string{client.CodeInvalidRequest, client.CodeInvalidConfig, client.CodeNoFiles, client.CodeUnsupportedFileType,
		client.CodeInsufficientCredits, client.CodeNotFound, client.CodeAlreadyRendering, client.CodeStorageLimitExceeded,
		client.CodeRateLimited, client.CodeUploadFailed, client.CodeRenderTriggerFailed, client.CodeRemoteError,
		client.CodeMissingAPIKey, client.CodeInvalidAPIKeyFormat, client.CodeInvalidAPIKey, client.CodeAPIKeyInactive,
		client.CodeUserNotFound, client.CodeInternal, client.CodeIdempotencyKeyReused, client.CodeServerBusy}
	want := slices.Clone(core.Codes)
	slices.Sort(codes)
	slices.Sort(want)
	if !slices.Equal(codes, want) {
		t.Errorf("client codes %v\nserver codes %v", codes, want)
	}
	statuses := []client.VideoStatus{client.StatusCreated, client.StatusRendering, client.StatusCompleted, client.StatusFailed}
	for i, s := range core.TaskStatuses {
		if i >= len(statuses) || string(statuses[i]) != string(s) {
			t.Errorf("client statuses %v, server %v", statuses, core.TaskStatuses)
			break
		}
	}
}

// TestErrors: API errors are *client.Error with status, code, message and Retry-After; a server that is
// not the API's gives an *Error without a code; a canceled context is the context's error.
func TestErrors(t *testing.T) {
	srv, err := startServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.stop)
	c, _ := client.New(srv.URL, srv.Key)
	ctx := context.Background()

	_, err = c.RenderVideo(ctx, "nosuchtask00", client.RenderOptions{})
	var e *client.Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusNotFound || e.Code != client.CodeNotFound || e.Message == "" {
		t.Errorf("render of an unknown video: %v", err)
	}
	if _, err := c.GetVideo(ctx, ""); err == nil {
		t.Error("an empty id was accepted")
	}

	limited := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"success":false,"error":"slow down","code":"RATE_LIMITED","details":{"retryAfter":7}}`)
	}))
	t.Cleanup(limited.Close)
	lc, _ := client.New(limited.URL, "sk-x")
	if _, err := lc.GetCredits(ctx); !errors.As(err, &e) || e.Code != client.CodeRateLimited || e.RetryAfter != 7*time.Second {
		t.Errorf("rate limited: %#v", err)
	}

	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)
	pc, _ := client.New(proxy.URL, "sk-x")
	if _, err := pc.GetCredits(ctx); !errors.As(err, &e) || e.StatusCode != http.StatusBadGateway || e.Code != "" || !strings.Contains(e.Message, "bad gateway") {
		t.Errorf("a proxy's error page: %#v", err)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.GetCredits(canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	if _, err := client.New("video.example.com", "sk-x"); err == nil {
		t.Error("a base URL without scheme was accepted")
	}
}

// TestIdempotency: a POST sent twice with the same key is done once; the second answer is marked replayed.
func TestIdempotency(t *testing.T) {
	srv, err := startServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.stop)
	c, _ := client.New(srv.URL, srv.Key)
	in := client.CreateVideoInput{Config: json.RawMessage(document)}
	first := &client.Idempotency{Key: "order-42"}
	a, err := c.CreateVideo(client.WithIdempotency(context.Background(), first), in)
	if err != nil {
		t.Fatal(err)
	}
	second := &client.Idempotency{Key: "order-42"}
	b, err := c.CreateVideo(client.WithIdempotency(context.Background(), second), in)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replayed || !second.Replayed || a.TaskID != b.TaskID {
		t.Errorf("first replayed %v, second replayed %v, tasks %s and %s", first.Replayed, second.Replayed, a.TaskID, b.TaskID)
	}
}
