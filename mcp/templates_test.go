package mcp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestTemplatesAsData reads framecast://templates (every template with typed, described fields, a sample
// and a thumbnail link), draws a thumbnail, and finds the same list in get_capabilities.
func TestTemplatesAsData(t *testing.T) {
	st := newStack(t)
	c, _ := inProcessClient(t, NewLocal(st.svc, st.account.ID))
	ctx := context.Background()

	res, err := c.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: TemplatesURI}})
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Name      string
		Fields    []struct{ Name, Type, Description string }
		Sample    map[string]any
		Thumbnail string
	}
	if err := json.Unmarshal([]byte(res.Contents[0].(mcp.TextResourceContents).Text), &list); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, tpl := range list {
		names[tpl.Name] = true
		if len(tpl.Fields) == 0 || tpl.Sample == nil || tpl.Thumbnail != thumbnailURI(tpl.Name) {
			t.Errorf("%s: fields %v, sample %v, thumbnail %q", tpl.Name, tpl.Fields, tpl.Sample, tpl.Thumbnail)
		}
	}
	for _, want := range []string{"lower-third", "title-card", "quote", "countdown", "logo-sting", "talking-head"} {
		if !names[want] {
			t.Errorf("framecast://templates lacks %s", want)
		}
	}

	for _, name := range []string{"lower-third", "logo-sting"} {
		thumb, err := c.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: thumbnailURI(name)}})
		if err != nil {
			t.Fatal(err)
		}
		blob := thumb.Contents[0].(mcp.BlobResourceContents)
		raw, _ := base64.StdEncoding.DecodeString(blob.Blob)
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil || blob.MIMEType != "image/png" || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 360 {
			t.Fatalf("%s thumbnail: %v %s %v", name, err, blob.MIMEType, img)
		}
		if dir := os.Getenv("FRAMECAST_TEST_OUT"); dir != "" {
			os.WriteFile(dir+"/thumb-"+name+".png", raw, 0o644)
		}
	}

	caps := callTool(t, c, "get_capabilities", map[string]any{}, nil)
	if text := texts(caps); !strings.Contains(text, `"lower-third"`) || !strings.Contains(text, thumbnailURI("title-card")) {
		t.Errorf("get_capabilities does not list the templates with thumbnails")
	}
}
