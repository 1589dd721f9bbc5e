package mcp

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/framecast/framecast/core"
)

// TestRemoteBackend runs tools through the REST client backend against a real server: results decode
// into core's types and API errors keep their code and details.
func TestRemoteBackend(t *testing.T) {
	st := newStack(t)
	srv := newHTTPServer(t, st)
	c, _ := inProcessClient(t, newRemote(t, srv.URL, st.key))

	var v ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": doc(320, 180, 10, 1)}, nil), &v)
	if !v.Valid || v.Cost <= 0 {
		t.Errorf("validate_document: %+v", v)
	}
	var created core.CreateTaskResult
	ok(t, "create_video", callTool(t, c, "create_video", map[string]any{"document": doc(320, 180, 10, 1), "metadata": map[string]any{"k": "v"}}, nil), &created)
	if created.TaskID == "" || string(created.Metadata) != `{"k":"v"}` {
		t.Errorf("create_video: %+v", created)
	}
	res := callTool(t, c, "create_video", map[string]any{"document": badDoc()}, nil)
	failed(t, "create_video", res, core.CodeInvalidConfig)
	if !strings.Contains(texts(res), "error tracks[0].clips[1].type:") {
		t.Errorf("the error text lists no problem paths: %s", texts(res))
	}
	failed(t, "get_video", callTool(t, c, "get_video", map[string]any{"taskId": "nope"}, nil), core.CodeNotFound)
	var up core.UploadResult
	ok(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"content_base64": base64.StdEncoding.EncodeToString(tinyPNG(t))}, nil), &up)
	if up.Count != 1 {
		t.Errorf("upload_file: %+v", up)
	}
	var credits core.CreditsResult
	ok(t, "get_credits", callTool(t, c, "get_credits", nil, nil), &credits)
	if credits.Credits != core.DefaultCredits {
		t.Errorf("get_credits: %+v", credits)
	}
	bad, _ := inProcessClient(t, newRemote(t, srv.URL, "sk-not-a-real-key-0000000000000000000000000"))
	failed(t, "get_credits", callTool(t, bad, "get_credits", nil, nil), core.CodeInvalidAPIKey)
}

// newRemote is NewRemote, for tests.
func newRemote(t *testing.T, baseURL, key string) *Remote {
	t.Helper()
	return NewRemote(baseURL, key, nil)
}

// TestRemoteWithABadURL: a server URL that is not absolute http(s) makes every call INVALID_REQUEST,
// saying what is wrong.
func TestRemoteWithABadURL(t *testing.T) {
	for _, u := range []string{"", "video.example.com", "ftp://video.example.com"} {
		_, err := NewRemote(u, "sk-x", nil).GetCredits(context.Background())
		if core.CodeOf(err) != core.CodeInvalidRequest || !strings.Contains(err.Error(), "absolute http(s) URL") {
			t.Errorf("NewRemote(%q).GetCredits: %v", u, err)
		}
	}
}
