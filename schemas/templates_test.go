package schemas

import (
	"strings"
	"testing"
)

// TestTemplateDataKeysAreChecked: a misspelled data key of a template clip (or its overrides.data) is a
// warning with its path and a did-you-mean; known keys are not.
func TestTemplateDataKeysAreChecked(t *testing.T) {
	doc := `{"meta":{"version":"2.0.0","width":320,"height":180},"tracks":[{"clips":[
		{"type":"template","template":"lower-third","start":0,"duration":2,"data":{"name":"Ada","titl":"Engineer"},
		 "overrides":{"data":{"colour":"#ff0000"}}}]}]}`
	res := Validate([]byte(doc), Limits{})
	if !res.OK() {
		t.Fatalf("errors: %v", res.Errors)
	}
	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.Path+": "+w.Message)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`tracks[0].clips[0].data.titl: template "lower-third" has no data field "titl", so it is ignored — did you mean "title"?`,
		`tracks[0].clips[0].overrides.data.colour:`, `did you mean "color"?`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "data.name") {
		t.Errorf("a known key is warned about:\n%s", all)
	}
}

// TestTemplateCatalogue: every template name has fields, each typed and described.
func TestTemplateCatalogue(t *testing.T) {
	if len(TemplateNames) != len(Templates) || len(Templates) < 13 {
		t.Fatalf("%d names, %d templates", len(TemplateNames), len(Templates))
	}
	for _, tpl := range Templates {
		for _, f := range tpl.Fields {
			if f.Name == "" || f.Type == "" || f.Description == "" {
				t.Errorf("%s: field %+v is not typed and described", tpl.Name, f)
			}
		}
	}
}
