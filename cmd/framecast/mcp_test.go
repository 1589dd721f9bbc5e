package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestMCPOverAServer runs `framecast mcp --stdio --server URL` against a `framecast serve` process and
// speaks MCP to it over its standard input and output, as an agent's host does: the tools answer through
// the server's REST API (package client), with the server's errors. The server also publishes its OpenAPI
// document.
func TestMCPOverAServer(t *testing.T) {
	srv := startServe(t)
	resp, err := http.Get(srv.url + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var openapi struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	err = json.NewDecoder(resp.Body).Decode(&openapi)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || openapi.OpenAPI != "3.1.0" || openapi.Paths["/api/v1/video/{taskId}"] == nil {
		t.Errorf("GET /openapi.json: %d %v %+v", resp.StatusCode, err, openapi)
	}

	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "mcp", "--stdio", "--server", srv.url, "--api-key", srv.key)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	lines := bufio.NewScanner(stdout)
	lines.Buffer(make([]byte, 1<<20), 16<<20)
	send := func(msg string) { t.Helper(); io.WriteString(stdin, msg+"\n") }
	// answer reads messages until the answer to id.
	answer := func(id int) map[string]any {
		t.Helper()
		for lines.Scan() {
			var m map[string]any
			if json.Unmarshal(lines.Bytes(), &m) == nil && m["id"] == float64(id) {
				return m
			}
		}
		t.Fatalf("no answer to request %d: %v", id, lines.Err())
		return nil
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}`)
	answer(1)
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)

	send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_credits","arguments":{}}}`)
	res, _ := answer(2)["result"].(map[string]any)
	credits, _ := res["structuredContent"].(map[string]any)
	if res["isError"] == true || credits["credits"] != float64(1000) || credits["success"] != true {
		t.Errorf("get_credits: %v", res)
	}

	send(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_video","arguments":{"taskId":"nosuchtask00"}}}`)
	res, _ = answer(3)["result"].(map[string]any)
	if text, _ := json.Marshal(res); res["isError"] != true || !strings.Contains(string(text), "NOT_FOUND") {
		t.Errorf("get_video of an unknown task: %s", text)
	}
}
