package templates

import (
	"strings"
	"testing"

	"github.com/framecast/framecast/schemas"
)

func TestEveryTemplateNameIsImplemented(t *testing.T) {
	for _, name := range schemas.Names(schemas.TemplateNames) {
		if All[name] == nil {
			t.Errorf("template %q is listed in schemas.TemplateNames but not implemented", name)
		}
	}
	if len(All) != len(schemas.TemplateNames) {
		t.Errorf("%d templates implemented, %d listed", len(All), len(schemas.TemplateNames))
	}
}

func TestSamplesExpandInsideTheTemplateWindow(t *testing.T) {
	for name := range All {
		tc := &schemas.TemplateClip{BaseClip: schemas.BaseClip{Type: "template", Start: 2, Duration: 6, ZIndex: 3}, Template: name, Data: sampleOf(t, name)}
		clips, warnings, err := Expand(tc, Canvas{W: 1280, H: 720})
		if err != nil || len(warnings) > 0 {
			t.Fatalf("%s: %v %v", name, err, warnings)
		}
		if len(clips) < 2 {
			t.Errorf("%s: only %d clips", name, len(clips))
		}
		for i, c := range clips {
			b := c.Base()
			if b.Type == "" || b.Start < 2 || b.End() > 8+1e-9 || b.ZIndex < 3 {
				t.Errorf("%s clip %d (%s): start %.2f end %.2f z %.0f outside the template's window", name, i, b.Type, b.Start, b.End(), b.ZIndex)
			}
		}
	}
}

func TestUnknownVariantFallsBackWithAWarning(t *testing.T) {
	tc := &schemas.TemplateClip{BaseClip: schemas.BaseClip{Duration: 3}, Template: "quote", Variant: "neon", Data: map[string]any{"quote": "q"}}
	clips, warnings, err := Expand(tc, Canvas{W: 640, H: 360})
	if err != nil || len(clips) == 0 || len(warnings) != 1 {
		t.Fatalf("clips %d warnings %v err %v", len(clips), warnings, err)
	}
}

func TestOverrides(t *testing.T) {
	tc := &schemas.TemplateClip{BaseClip: schemas.BaseClip{Duration: 3}, Template: "quote", Data: map[string]any{"quote": "q", "author": "a"},
		Overrides: &schemas.TemplateOverrides{Data: map[string]any{"author": "Grace"}, ZIndexOffset: 10,
			Style: &schemas.Style{FontFamily: "Courier New"}, Transition: &schemas.Transition{Type: "fade", Duration: 0.5}}}
	clips, _, err := Expand(tc, Canvas{W: 640, H: 360})
	if err != nil {
		t.Fatal(err)
	}
	last := clips[len(clips)-1]
	tx := last.Spec.(*schemas.TextClip)
	if tx.Text != "— Grace" || tx.ZIndex != 10 || tx.Style.FontFamily != "Courier New" || tx.Transition == nil || tx.Style.FontSize == nil {
		t.Fatalf("overrides not applied: %+v style %+v", tx.BaseClip, tx.Style)
	}
}

// sampleOf returns the sample data of template name, from schemas.Templates.
func sampleOf(t *testing.T, name string) map[string]any {
	t.Helper()
	spec, ok := schemas.TemplateSpecOf(name)
	if !ok {
		t.Fatalf("template %q is not in schemas.Templates", name)
	}
	return spec.Sample
}

// TestCatalogueMatchesTheEngine: the capabilities list every template with the variants core names
// (core.templateVariants: default, dark, light), which are the palettes here.
func TestCatalogueMatchesTheEngine(t *testing.T) {
	for _, spec := range schemas.Templates {
		tpl := All[spec.Name]
		if tpl == nil {
			t.Fatalf("%s: not implemented", spec.Name)
		}
		if got := tpl.VariantNames(); strings.Join(got, ",") != "dark,default,light" {
			t.Errorf("%s: variants %v, the capabilities say default, dark, light", spec.Name, got)
		}
		if len(spec.Fields) == 0 || spec.Sample == nil {
			t.Errorf("%s: no fields or sample", spec.Name)
		}
		for k := range spec.Sample {
			if _, ok := spec.Field(k); !ok {
				t.Errorf("%s: sample key %q is not a field", spec.Name, k)
			}
		}
	}
}
