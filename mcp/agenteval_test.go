package mcp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The agent eval replays recorded tool-call sequences, one per brief (testdata/agent-eval/*.json: a
// promo, a bar chart, karaoke captions, a slideshow with music, a lower third, a code reveal), against
// the in-process server, as an agent that reads only what the server says would make them: no network,
// no model. Each sequence must reach a valid document (a misspelled field on the way is reported) and
// a rendered video that ffprobe reads. `make agent-eval` runs it alone.
//
// A recording is {"brief", "calls": [{"as", "tool", "arguments", "expectValid"?, "expectWarning"?}]}. A string
// "${name.path}" in arguments is replaced by a value of an earlier call named name: its arguments and
// its structured result merged (such as "${create.taskId}", "${img.assets.0.url}" or
// "${check.document}"); "${examples}" is the examples folder's absolute path.

type recording struct {
	Brief string `json:"brief"`
	Calls []struct {
		As          string         `json:"as"`
		Tool        string         `json:"tool"`
		Arguments   map[string]any `json:"arguments"`
		ExpectValid *bool          `json:"expectValid"`
		// ExpectWarning is a text one of validate_document's warnings must hold (a misspelled field).
		ExpectWarning string `json:"expectWarning"`
	} `json:"calls"`
}

var placeholder = regexp.MustCompile(`\$\{([^}]+)\}`)

// lookup follows a dotted path (names and list indexes) through decoded JSON.
func lookup(vars map[string]any, path string) (any, bool) {
	var cur any = vars
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[part]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// substitute replaces the placeholders in v.
func substitute(t *testing.T, v any, vars map[string]any) any {
	switch x := v.(type) {
	case string:
		if m := placeholder.FindStringSubmatch(x); m != nil && m[0] == x {
			val, ok := lookup(vars, m[1])
			if !ok {
				t.Fatalf("%s: no such value", x)
			}
			return val
		}
		return placeholder.ReplaceAllStringFunc(x, func(p string) string {
			val, ok := lookup(vars, p[2:len(p)-1])
			if !ok {
				t.Fatalf("%s: no such value", p)
			}
			s, _ := val.(string)
			return s
		})
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = substitute(t, e, vars)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = substitute(t, e, vars)
		}
		return out
	}
	return v
}

func TestAgentEval(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "agent-eval", "*.json"))
	if err != nil || len(files) < 6 {
		t.Fatalf("agent-eval recordings: %v %v", files, err)
	}
	sort.Strings(files)
	examples, err := filepath.Abs(filepath.Join("..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var rec recording
			if err := json.Unmarshal(raw, &rec); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			st := newStack(t)
			opts := testOptions()
			opts.AllowLocalFiles = true
			c, _ := inProcessClientWith(t, NewLocal(st.svc, st.account.ID), opts)
			vars := map[string]any{"examples": examples}
			valid, videoURL := false, ""
			for i, call := range rec.Calls {
				args := substitute(t, call.Arguments, vars).(map[string]any)
				res := callTool(t, c, call.Tool, args, nil)
				if res.IsError {
					t.Fatalf("call %d %s (%s): %s", i, call.As, call.Tool, texts(res))
				}
				var out map[string]any
				b, _ := json.Marshal(res.StructuredContent)
				json.Unmarshal(b, &out)
				merged := map[string]any{}
				for k, v := range args {
					merged[k] = v
				}
				for k, v := range out {
					merged[k] = v
				}
				vars[call.As] = merged
				switch call.Tool {
				case "validate_document":
					got, _ := out["valid"].(bool)
					want := call.ExpectValid == nil || *call.ExpectValid
					if got != want {
						t.Fatalf("call %d %s: valid %v, want %v: %v", i, call.As, got, want, out["errors"])
					}
					if call.ExpectWarning != "" {
						var w strings.Builder
						list, _ := out["warnings"].([]any)
						for _, p := range list {
							m, _ := p.(map[string]any)
							w.WriteString(fmt.Sprintf("%v: %v\n", m["path"], m["message"]))
						}
						if !strings.Contains(w.String(), call.ExpectWarning) {
							t.Fatalf("call %d %s: warnings %s lack %q", i, call.As, w.String(), call.ExpectWarning)
						}
						t.Logf("%s: the agent reads %s and fixes it", call.As, w.String())
					}
					valid = got
				case "wait_for_video":
					if out["status"] != "completed" {
						t.Fatalf("call %d: the video is %v: %v", i, out["status"], out["error"])
					}
					videoURL, _ = out["videoUrl"].(string)
				}
			}
			if !valid || videoURL == "" {
				t.Fatalf("%q: valid document %v, video %q", rec.Brief, valid, videoURL)
			}
			checkMP4(t, st, videoURL, 320, 180)
			t.Logf("%s: %d calls, a valid document and a rendered video", rec.Brief, len(rec.Calls))
		})
	}
}
