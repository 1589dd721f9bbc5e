package mcp

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// conformanceDir holds the conformance client: the official MCP TypeScript SDK (package.json pins
// @modelcontextprotocol/sdk, package-lock.json its dependencies; `.ci/run` installs them with npm ci)
// and conformance.mjs, the script it runs.
const conformanceDir = "conformance"

// conformanceClient returns the node command and the script, skipping the test on a developer machine
// without node or `npm ci` run in mcp/conformance, and failing it when CI=true.
func conformanceClient(t *testing.T) (node, script string) {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: the MCP conformance test must run in CI (.ci/run installs it)", what)
		}
		t.Skipf("%s: run `npm ci` in mcp/conformance to check the server with the official MCP TypeScript SDK", what)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(conformanceDir, "node_modules", "@modelcontextprotocol", "sdk", "package.json")); err != nil {
		missing("mcp/conformance/node_modules is missing")
	}
	return node, "conformance.mjs"
}

// runConformance runs the script with args and fails the test with its output unless it passes.
func runConformance(t *testing.T, node, script string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command(node, append([]string{script}, args...)...)
	cmd.Dir = conformanceDir
	cmd.Env = append(env, "FRAMECAST_MAX_TOOL_BYTES="+strconv.Itoa(maxToolBytes))
	out, err := cmd.CombinedOutput()
	var checks []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "info ") || strings.HasPrefix(line, "FAIL") || line == "PASS" {
			checks = append(checks, line)
		}
	}
	if err != nil || !strings.Contains(string(out), "\nPASS") {
		t.Fatalf("the MCP TypeScript SDK client failed (%v):\n%s", err, out)
	}
	t.Logf("%s", strings.Join(checks, "\n"))
}

// TestTypeScriptSDKConformance connects the official MCP TypeScript SDK client (1.32) to the built binary
// over stdio (`framecast mcp --stdio`) and to `framecast serve` over streamable HTTP. Its listTools
// validates every tool's schemas (it rejected the whole list while an output schema held a bare true);
// callTool validates each structured result against the tool's output schema. See conformance.mjs for the
// calls: validate_document, get_schema, render_frame, create_video + render_video + wait_for_video,
// -32602 for bad arguments, resources and the prompt.
func TestTypeScriptSDKConformance(t *testing.T) {
	node, script := conformanceClient(t)
	bin := framecastBinary(t)
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("stdio", func(t *testing.T) {
		data := t.TempDir()
		key := newKey(t, abs, data)
		runConformance(t, node, script, append(os.Environ(), "FRAMECAST_API_KEY="+key), "stdio", abs, data)
	})
	t.Run("streamable-http", func(t *testing.T) {
		data := t.TempDir()
		key := newKey(t, abs, data)
		base := startServe(t, abs, data)
		runConformance(t, node, script, os.Environ(), "http", base, key)
	})
}
