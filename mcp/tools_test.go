package mcp

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/internal/golden"
	"github.com/framecast/framecast/render/ffmpeg"
)

// checkGolden compares img with testdata/name.png, each channel within 3 (see internal/golden).
func checkGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name+".png"), img, golden.Tolerance{Channel: 3})
}

// imageOf returns the PNG image content of res, decoded.
func imageOf(t *testing.T, res *mcp.CallToolResult) image.Image {
	t.Helper()
	for _, c := range res.Content {
		if ic, ok := c.(mcp.ImageContent); ok {
			if ic.MIMEType != "image/png" {
				t.Fatalf("image type %s, want image/png", ic.MIMEType)
			}
			data, err := base64.StdEncoding.DecodeString(ic.Data)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			return img
		}
	}
	t.Fatalf("no image in the result: %s", texts(res))
	return nil
}

// near reports whether two colors are within 8 per channel.
func near(a color.Color, b color.RGBA) bool {
	r, g, bl, _ := a.RGBA()
	d := func(x uint32, y uint8) bool { v := int(x>>8) - int(y); return v < 8 && v > -8 }
	return d(r, b.R) && d(g, b.G) && d(bl, b.B)
}

var (
	red   = color.RGBA{255, 0, 0, 255}
	white = color.RGBA{255, 255, 255, 255}
)

func TestValidateDocument(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))

	var good ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": doc(1280, 720, 30, 4)}, nil), &good)
	if !good.Valid || good.Width != 1280 || good.Duration != 4 || good.Quality != "720p" || good.Cost <= 0 {
		t.Errorf("valid document: %+v", good)
	}

	var bad ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": badDoc()}, nil), &bad)
	if bad.Valid {
		t.Fatal("a bad document is valid")
	}
	paths := map[string]string{}
	for _, p := range bad.Errors {
		paths[p.Path] = p.Message
	}
	if _, ok := paths["meta.width"]; !ok {
		t.Errorf("no error at meta.width: %+v", bad.Errors)
	}
	if m := paths["tracks[0].clips[1].type"]; !strings.Contains(m, `"text"`) {
		t.Errorf("tracks[0].clips[1].type: want a did-you-mean \"text\", got %q (all: %+v)", m, bad.Errors)
	}

	// A document sent as a JSON string is understood too.
	var fromString ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": mustJSON(t, doc(64, 64, 10, 1))}, nil), &fromString)
	if !fromString.Valid {
		t.Errorf("a document given as a string: %+v", fromString)
	}

	failed(t, "validate_document", callTool(t, c, "validate_document", []int{1, 2}, nil), core.CodeInvalidRequest)
}

func TestRenderFrame(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	res := callTool(t, c, "render_frame", map[string]any{"document": doc(320, 180, 10, 1), "time": 0.5, "width": 160}, nil)
	var fr FramesResult
	ok(t, "render_frame", res, &fr)
	img := imageOf(t, res)
	if img.Bounds().Dx() != 160 || img.Bounds().Dy() != 90 || fr.Width != 160 || fr.Height != 90 {
		t.Fatalf("frame is %v (structured %+v), want 160×90", img.Bounds().Size(), fr)
	}
	if !near(img.At(20, 45), white) || !near(img.At(140, 45), red) {
		t.Errorf("frame colors: left %v, right %v; want white then red", img.At(20, 45), img.At(140, 45))
	}

	body := failed(t, "render_frame", callTool(t, c, "render_frame", map[string]any{"document": badDoc()}, nil), core.CodeInvalidConfig)
	if !strings.Contains(texts(&mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent(body.Error)}}), "meta.width") {
		t.Errorf("INVALID_CONFIG message does not name the path: %s", body.Error)
	}
	failed(t, "render_frame", callTool(t, c, "render_frame", map[string]any{"document": doc(320, 180, 10, 1), "time": 5}, nil), core.CodeInvalidRequest)
}

func TestRenderFrames(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	d := doc(320, 180, 10, 2)
	// The box slides in from the left over the video, so each frame differs.
	d["tracks"].([]any)[0].(map[string]any)["clips"].([]any)[0].(map[string]any)["animations"] = []any{
		map[string]any{"type": "slideIn", "direction": "left", "duration": 2}}
	res := callTool(t, c, "render_frames", map[string]any{"document": d, "count": 4, "width": 80}, nil)
	var fr FramesResult
	ok(t, "render_frames", res, &fr)
	img := imageOf(t, res)
	want := image.Pt(2*80+3*sheetGap, 2*(45+labelHeight(1))+3*sheetGap) // each cell has its time under it
	if img.Bounds().Size() != want || fr.Columns != 2 || len(fr.Times) != 4 || fr.Times[0] != 0.25 {
		t.Fatalf("sheet %v %+v, want %v with 2 columns and times 0.25, 0.75, …", img.Bounds().Size(), fr, want)
	}
	checkGolden(t, "contact-sheet", img)

	failed(t, "render_frames", callTool(t, c, "render_frames", map[string]any{"document": d, "count": 30}, nil), core.CodeInvalidRequest)
}

func TestPreviewTools(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	d := doc(320, 180, 10, 1)

	var created core.CreatePreviewResult
	ok(t, "create_preview", callTool(t, c, "create_preview", map[string]any{"document": d}, nil), &created)
	if !strings.HasPrefix(created.TempID, "temp_") || created.PreviewURL == "" {
		t.Fatalf("create_preview: %+v", created)
	}
	if !strings.Contains(created.Note, "convert_preview") || !strings.Contains(created.Note, "render_preview") || strings.Contains(created.Note, "/api/") {
		t.Errorf("create_preview note %q: want the next tools, not REST paths", created.Note)
	}
	body := failed(t, "create_preview", callTool(t, c, "create_preview", map[string]any{"document": badDoc()}, nil), core.CodeInvalidConfig)
	if !strings.Contains(mustJSON(t, body.Details), "tracks[0].clips[1].type") {
		t.Errorf("INVALID_CONFIG details lack the path: %v", body.Details)
	}

	var got core.PreviewResult
	ok(t, "get_preview", callTool(t, c, "get_preview", map[string]any{"tempId": created.TempID}, nil), &got)
	if got.TempID != created.TempID || !strings.Contains(string(got.Config), `"width":320`) {
		t.Errorf("get_preview: %+v", got)
	}
	failed(t, "get_preview", callTool(t, c, "get_preview", map[string]any{"tempId": "temp_nope"}, nil), core.CodeNotFound)

	var converted core.ConvertPreviewResult
	ok(t, "convert_preview", callTool(t, c, "convert_preview", map[string]any{"tempId": created.TempID, "title": "From preview", "metadata": map[string]any{"n": 1}}, nil), &converted)
	if !converted.Converted || converted.TaskID == "" {
		t.Errorf("convert_preview: %+v", converted)
	}
	failed(t, "convert_preview", callTool(t, c, "convert_preview", map[string]any{"tempId": "temp_nope"}, nil), core.CodeNotFound)

	var rendered core.RenderPreviewResult
	ok(t, "render_preview", callTool(t, c, "render_preview", map[string]any{"tempId": created.TempID, "num_workers": 1}, nil), &rendered)
	if rendered.TaskID == "" || rendered.Status != "rendering" || rendered.Cost <= 0 {
		t.Errorf("render_preview: %+v", rendered)
	}
	failed(t, "render_preview", callTool(t, c, "render_preview", map[string]any{"tempId": "temp_nope"}, nil), core.CodeNotFound)

	var deleted core.DeletePreviewResult
	ok(t, "delete_preview", callTool(t, c, "delete_preview", map[string]any{"tempId": created.TempID}, nil), &deleted)
	if !deleted.Deleted {
		t.Errorf("delete_preview: %+v", deleted)
	}
	failed(t, "delete_preview", callTool(t, c, "delete_preview", map[string]any{"tempId": created.TempID}, nil), core.CodeNotFound)
}

func TestVideoTools(t *testing.T) {
	st := newStack(t)
	c, progress := inProcessClient(t, NewLocal(st.svc, st.account.ID))

	var created core.CreateTaskResult
	ok(t, "create_video", callTool(t, c, "create_video", map[string]any{"document": doc(320, 180, 10, 1), "title": "Test", "category": "tests"}, nil), &created)
	if created.TaskID == "" || created.Status != "created" || created.Title != "Test" {
		t.Fatalf("create_video: %+v", created)
	}
	// The result names the next tool to call, not a REST path.
	if !strings.Contains(created.Message, "render_video") || strings.Contains(created.Message, "/api/") {
		t.Errorf("create_video message %q: want the next tool (render_video), not a REST path", created.Message)
	}
	failed(t, "create_video", callTool(t, c, "create_video", map[string]any{"document": badDoc()}, nil), core.CodeInvalidConfig)

	// Waiting for a video that was never rendered is a mistake the tool explains.
	failed(t, "wait_for_video", callTool(t, c, "wait_for_video", map[string]any{"taskId": created.TaskID}, nil), core.CodeInvalidRequest)

	var listed core.ListTasksResult
	ok(t, "list_videos", callTool(t, c, "list_videos", map[string]any{"category": "tests"}, nil), &listed)
	if len(listed.Tasks) != 1 || listed.Tasks[0].TaskID != created.TaskID {
		t.Errorf("list_videos: %+v", listed)
	}
	failed(t, "list_videos", callTool(t, c, "list_videos", map[string]any{"status": "bogus"}, nil), core.CodeInvalidRequest)

	var rendering core.RenderResult
	ok(t, "render_video", callTool(t, c, "render_video", map[string]any{"taskId": created.TaskID, "num_workers": 2}, nil), &rendering)
	if rendering.Status != "rendering" || rendering.Cost <= 0 {
		t.Fatalf("render_video: %+v", rendering)
	}
	if !strings.Contains(rendering.Message, "wait_for_video") {
		t.Errorf("render_video message %q: want the next tool (wait_for_video)", rendering.Message)
	}
	failed(t, "render_video", callTool(t, c, "render_video", map[string]any{"taskId": "nope"}, nil), core.CodeNotFound)

	var done core.TaskResult
	ok(t, "wait_for_video", callTool(t, c, "wait_for_video", map[string]any{"taskId": created.TaskID}, "wait-1"), &done)
	if done.Status != "completed" || done.VideoURL == "" {
		t.Fatalf("wait_for_video: %+v", done)
	}
	progress.expectFinal(t)
	checkMP4(t, st, done.VideoURL, 320, 180)
	failed(t, "wait_for_video", callTool(t, c, "wait_for_video", map[string]any{"taskId": "nope"}, nil), core.CodeNotFound)

	var got core.TaskResult
	ok(t, "get_video", callTool(t, c, "get_video", map[string]any{"taskId": created.TaskID}, nil), &got)
	if got.Status != "completed" {
		t.Errorf("get_video: %+v", got)
	}
	failed(t, "get_video", callTool(t, c, "get_video", map[string]any{"taskId": "nope"}, nil), core.CodeNotFound)

	var deleted core.DeleteTaskResult
	ok(t, "delete_video", callTool(t, c, "delete_video", map[string]any{"taskId": created.TaskID}, nil), &deleted)
	if !deleted.Deleted {
		t.Errorf("delete_video: %+v", deleted)
	}
	failed(t, "delete_video", callTool(t, c, "delete_video", map[string]any{"taskId": created.TaskID}, nil), core.CodeNotFound)
}

// checkMP4 probes the rendered video behind url (a file of the stack's object store): an H.264 video
// of width × height.
func checkMP4(t *testing.T, st *stack, url string, width, height int) {
	t.Helper()
	key := strings.TrimPrefix(url, st.svc.Config().PublicURL+core.FilesPath)
	path, err := st.svc.Worker().Blob().(interface{ Path(string) (string, error) }).Path(key)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ffmpeg.Probe(context.Background(), path)
	if err != nil {
		t.Fatalf("probe the video: %v", err)
	}
	if !p.HasVideo || len(p.Streams) == 0 || p.Streams[0].CodecName != "h264" || p.Streams[0].Width != width || p.Streams[0].Height != height || p.Duration < 0.9 {
		t.Errorf("video: %+v, want h264 %d×%d of about 1 s", p, width, height)
	}
}

// tinyPNG is a valid 2 × 2 PNG.
func tinyPNG(t *testing.T) []byte {
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	draw.Draw(img, img.Bounds(), image.NewUniform(red), image.Point{}, draw.Src)
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFileTools(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	pic := tinyPNG(t)

	var up core.UploadResult
	ok(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"content_base64": base64.StdEncoding.EncodeToString(pic), "name": "dot.png"}, nil), &up)
	if up.Count != 1 || up.Assets[0].Type != "image" || up.Assets[0].Width != 2 {
		t.Fatalf("upload_file (base64): %+v", up)
	}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(pic) }))
	defer web.Close()
	var fromURL core.UploadResult
	ok(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"url": web.URL + "/pictures/red.png"}, nil), &fromURL)
	if fromURL.Count != 1 || fromURL.Assets[0].Name != "red.png" {
		t.Errorf("upload_file (url): %+v", fromURL)
	}
	failed(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"name": "nothing"}, nil), core.CodeInvalidRequest)
	failed(t, "upload_file", callTool(t, c, "upload_file", map[string]any{"content_base64": base64.StdEncoding.EncodeToString([]byte("just text"))}, nil), core.CodeUnsupportedFileType)

	var listed core.ListFilesResult
	ok(t, "list_files", callTool(t, c, "list_files", map[string]any{"type": "image"}, nil), &listed)
	if len(listed.Files) != 2 {
		t.Errorf("list_files: %+v", listed)
	}
	failed(t, "list_files", callTool(t, c, "list_files", map[string]any{"type": "bogus"}, nil), core.CodeInvalidRequest)

	var deleted core.DeleteFileResult
	ok(t, "delete_file", callTool(t, c, "delete_file", map[string]any{"fileId": up.Assets[0].ID}, nil), &deleted)
	if !deleted.Deleted {
		t.Errorf("delete_file: %+v", deleted)
	}
	failed(t, "delete_file", callTool(t, c, "delete_file", map[string]any{"fileId": up.Assets[0].ID}, nil), core.CodeNotFound)
}

func TestAccountTools(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	var credits core.CreditsResult
	ok(t, "get_credits", callTool(t, c, "get_credits", nil, nil), &credits)
	if credits.Credits != core.DefaultCredits || credits.Currency != "credits" {
		t.Errorf("get_credits: %+v", credits)
	}
	var caps core.CapabilitiesResult
	ok(t, "get_capabilities", callTool(t, c, "get_capabilities", map[string]any{}, nil), &caps)
	if len(caps.Schema.ClipTypes) < 10 || len(caps.Render.Qualities) == 0 {
		t.Errorf("get_capabilities: %+v", caps)
	}
	failed(t, "get_capabilities", callTool(t, c, "get_capabilities", "not an object", nil), core.CodeInvalidRequest)

	// A backend without an account (wired for HTTP, called without one) answers with the auth error.
	anon, _ := inProcessClient(t, NewLocal(st.svc, ""))
	failed(t, "get_credits", callTool(t, anon, "get_credits", nil, nil), core.CodeMissingAPIKey)
}

func TestResourcesAndPrompt(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	ctx := context.Background()
	list, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	uris := map[string]bool{}
	for _, r := range list.Resources {
		uris[r.URI] = true
	}
	for _, u := range []string{SchemaURI, GuideURI, CapabilitiesURI, examplesURI + "product-promo.json"} {
		if !uris[u] {
			t.Errorf("resource %s not listed (have %v)", u, uris)
		}
	}
	read := func(uri string) string {
		req := mcp.ReadResourceRequest{}
		req.Params.URI = uri
		res, err := c.ReadResource(ctx, req)
		if err != nil {
			t.Fatalf("read %s: %v", uri, err)
		}
		return res.Contents[0].(mcp.TextResourceContents).Text
	}
	if s := read(SchemaURI); !strings.Contains(s, `"$id": "https://framecast.dev/schemas/video-document.schema.json"`) {
		t.Errorf("schema resource: %.200s", s)
	}
	if s := read(GuideURI); !strings.Contains(s, "## Clip types") {
		t.Errorf("guide resource: %.200s", s)
	}
	if s := read(CapabilitiesURI); !strings.Contains(s, `"clipTypes"`) {
		t.Errorf("capabilities resource: %.200s", s)
	}
	// Examples that name media by local paths (for the command line) are refused by the server's media
	// check, as create_preview refuses them; one without media is valid as it is.
	ex := read(examplesURI + "data-shapes.json")
	var v ValidationResult
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": ex}, nil), &v)
	if !v.Valid {
		t.Errorf("the example resource is not a valid document: %+v", v.Errors)
	}
	ok(t, "validate_document", callTool(t, c, "validate_document", map[string]any{"document": read(examplesURI + "product-promo.json")}, nil), &v)
	if v.Valid || !strings.Contains(v.Errors[0].Message, "not an http(s) URL") {
		t.Errorf("an example with local media paths: %+v", v)
	}

	preq := mcp.GetPromptRequest{}
	preq.Params.Name = "make_video"
	preq.Params.Arguments = map[string]string{"brief": "A 10 second teaser for a coffee shop", "format": "1080x1920"}
	p, err := c.GetPrompt(ctx, preq)
	if err != nil {
		t.Fatal(err)
	}
	text := p.Messages[0].Content.(mcp.TextContent).Text
	for _, want := range []string{"coffee shop", "1080x1920", "validate_document", "render_frames", "render_video", "wait_for_video"} {
		if !strings.Contains(text, want) {
			t.Errorf("make_video prompt lacks %q", want)
		}
	}
	preq.Params.Arguments = nil
	if _, err := c.GetPrompt(ctx, preq); err == nil {
		t.Error("make_video without a brief succeeded")
	}
}
