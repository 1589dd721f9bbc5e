package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/framecast/framecast/client"
)

// A video from a document: create it, render it, wait for it.
func Example() {
	srv := mustStart() // a real server on loopback; use your server's URL and API key
	defer srv.stop()
	ctx := context.Background()

	c, err := client.New(srv.URL, srv.Key)
	if err != nil {
		panic(err)
	}
	task, err := c.CreateVideo(ctx, client.CreateVideoInput{Config: json.RawMessage(document),
		TaskOptions: client.TaskOptions{Title: "hello", Metadata: map[string]any{"order": 42}}})
	if err != nil {
		panic(err)
	}
	fmt.Println("created:", task.Status, task.Width, "x", task.Height, task.Duration, "s")

	render, err := c.RenderVideo(ctx, task.TaskID, client.RenderOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("rendering:", render.Status, render.Quality, "for", render.Cost, "credits;", render.RemainingCredits, "left")

	polls := 0
	video, err := c.WaitForVideo(ctx, task.TaskID, func(v *client.Video) { polls++ })
	if err != nil {
		panic(err)
	}
	fmt.Println("done:", video.Status, strings.HasSuffix(video.VideoURL, ".mp4"), polls > 0, string(video.Metadata))
	// Output:
	// created: created 160 x 90 1 s
	// rendering: rendering 720p for 1 credits; 999 left
	// done: completed true true {"order":42}
}

// API errors are *client.Error values with the HTTP status and the API's code.
func ExampleError() {
	srv := mustStart()
	defer srv.stop()
	ctx := context.Background()
	c, _ := client.New(srv.URL, srv.Key)

	_, err := c.GetVideo(ctx, "nosuchtask00")
	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}

	_, err = c.CreateVideo(ctx, client.CreateVideoInput{Config: map[string]any{"meta": map[string]any{"width": 0}}})
	if errors.As(err, &apiErr) && apiErr.Code == client.CodeInvalidConfig {
		problems, _ := apiErr.Details["errors"].([]any)
		fmt.Println(apiErr.StatusCode, apiErr.Code, len(problems) > 0)
	}

	bad, _ := client.New(srv.URL, "sk-not-a-key")
	_, err = bad.GetCredits(ctx)
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// 404 NOT_FOUND
	// 400 INVALID_CONFIG true
	// 401 INVALID_API_KEY
}

// Upload a file from any io.Reader; its URL is then usable as a clip's src.
func ExampleClient_UploadFiles() {
	srv := mustStart()
	defer srv.stop()
	ctx := context.Background()
	c, _ := client.New(srv.URL, srv.Key)

	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="red"/></svg>`
	up, err := c.UploadFiles(ctx, client.UploadFile{Name: "dot.svg", Content: strings.NewReader(svg)})
	if err != nil {
		panic(err)
	}
	f := up.Assets[0]
	fmt.Println(up.Count, f.Name, f.Type, f.MimeType, f.Size)

	list, _ := c.ListFiles(ctx, client.ListFilesOptions{Type: "image"})
	fmt.Println(list.Pagination.Total, list.Files[0].ID == f.ID)
	// Output:
	// 1 dot.svg image image/svg+xml 110
	// 1 true
}
