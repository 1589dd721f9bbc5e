package mcp

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// maxToolBytes bounds the JSON of tools/list, on average per tool: agent hosts load it into every
// conversation. It was 213 KB (8.9 KB a tool) while five tools embedded the whole document schema; with
// the schema as a resource the 24 tools took 2.3 KB each, and the template tools, which carry the variable
// declarations' schema, keep the average near 2.5 KB; the render reuse fields (reused, segmentsReused,
// segmentsTotal) in every task and render answer brought the 33 tools to 90 KB, 2.73 KB each.
const maxToolBytes = 2_800

// TestToolsListIsSmallTypedAndDescribed checks what strict clients (the MCP TypeScript SDK) and models
// need of tools/list: every property of every input and output schema is an object schema (never a bare
// true), says what it holds and is described; and the whole list stays under maxToolsListBytes.
func TestToolsListIsSmallTypedAndDescribed(t *testing.T) {
	st := newStack(t)
	list := servedTools(t, NewServer(NewLocal(st.svc, st.account.ID), testOptions()))
	raw, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tools/list: %d tools, %d bytes", len(list), len(raw))
	if len(raw) > maxToolBytes*len(list) {
		t.Errorf("tools/list is %d bytes for %d tools, want at most %d a tool", len(raw), len(list), maxToolBytes)
	}
	var bad []string
	for _, tool := range list {
		for kind, s := range map[string]json.RawMessage{"input": tool.InputSchema, "output": tool.OutputSchema} {
			var m any
			if err := json.Unmarshal(s, &m); err != nil {
				t.Fatal(err)
			}
			bad = append(bad, untypedOrUndescribed(m, tool.Name+"."+kind)...)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("%d properties are not typed and described:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// untypedOrUndescribed lists the properties below node that are not an object schema with a type (or a
// reference, a choice, a constant or an enumeration) and a description.
func untypedOrUndescribed(node any, path string) []string {
	m, ok := node.(map[string]any)
	if !ok {
		return nil
	}
	var bad []string
	props, _ := m["properties"].(map[string]any)
	for name, p := range props {
		ps, ok := p.(map[string]any)
		switch {
		case !ok:
			bad = append(bad, path+"."+name+": not a schema object")
			continue
		case ps["description"] == nil || ps["description"] == "":
			bad = append(bad, path+"."+name+": no description")
		case ps["type"] == nil && ps["$ref"] == nil && ps["oneOf"] == nil && ps["anyOf"] == nil && ps["const"] == nil && ps["enum"] == nil:
			bad = append(bad, path+"."+name+": no type")
		}
		bad = append(bad, untypedOrUndescribed(p, path+"."+name)...)
	}
	bad = append(bad, untypedOrUndescribed(m["items"], path+"[]")...)
	if ap, ok := m["additionalProperties"].(map[string]any); ok {
		bad = append(bad, untypedOrUndescribed(ap, path+"{}")...)
	}
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		list, _ := m[k].([]any)
		for _, sub := range list {
			bad = append(bad, untypedOrUndescribed(sub, path)...)
		}
	}
	return bad
}
