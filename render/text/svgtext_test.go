package text

import (
	"bytes"
	"strings"
	"testing"
)

// SVG text keeps the document around it byte for byte and replaces each <text> (with its tspans) by a group
// of paths carrying the element's paint and transform.
func TestSVGTextToPaths(t *testing.T) {
	in := `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="200" height="50"/>` +
		`<g font-size="20"><text x="100" y="30" text-anchor="middle" fill="red" transform="rotate(3)">Hi <tspan fill="blue">there</tspan></text></g></svg>`
	out, warnings, err := NewRegistry().SVGTextToPaths([]byte(in))
	if err != nil || len(warnings) > 0 {
		t.Fatalf("err %v, warnings %v", err, warnings)
	}
	s := string(out)
	if strings.Contains(s, "<text") || strings.Contains(s, "tspan") || strings.Count(s, "<path d=\"M") != 2 {
		t.Fatalf("want two paths in place of the text: %s", s)
	}
	for _, keep := range []string{`<rect width="200" height="50"/>`, `<g fill="red" transform="rotate(3)">`, `fill="blue"/>`} {
		if !strings.Contains(s, keep) {
			t.Errorf("%q missing from %s", keep, s)
		}
	}
	// Markup without text is returned as it is; malformed markup too, with an error.
	plain := []byte(`<svg><rect width="1" height="1"/></svg>`)
	if out, _, _ := NewRegistry().SVGTextToPaths(plain); !bytes.Equal(out, plain) {
		t.Errorf("markup without text changed: %s", out)
	}
	bad := []byte(`<svg><text>unclosed`)
	if out, _, err := NewRegistry().SVGTextToPaths(bad); err == nil || !bytes.Equal(out, bad) {
		t.Errorf("malformed markup: err %v, out %s", err, out)
	}
}

// FuzzSVGTextToPaths: any markup gives markup back, with or without an error — never a panic.
func FuzzSVGTextToPaths(f *testing.F) {
	f.Add([]byte(`<svg><text x="1" y="2" font-size="3em" style="font: bold 12px serif">a <tspan dx="2" dy="-1">b</tspan> c</text></svg>`))
	f.Add([]byte(`<svg><g font-family="DejaVu Sans" font-size="150%"><text x="1,2" y="3 4" text-anchor="end">مرحبا 123 😀</text></g></svg>`))
	f.Add([]byte(`<svg><text/><text></text><x:text xmlns:x="y">z</x:text></svg>`))
	r := NewRegistry()
	f.Fuzz(func(t *testing.T, markup []byte) {
		if len(markup) > 4096 {
			return
		}
		out, _, _ := r.SVGTextToPaths(markup)
		if out == nil && markup != nil {
			t.Fatal("nil markup returned")
		}
	})
}
