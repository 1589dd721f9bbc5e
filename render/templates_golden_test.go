package render

import (
	"context"
	"image"
	"testing"
)

// templateCases: the templates added for agents' briefs, and the ones that frame other clips, each over a
// photo so that a template painting an opaque frame over the clips below shows.
var templateCases = []goldenCase{
	{"template_lower_third", `{"type":"image","src":` + photo + `,"start":0,"duration":3,"transform":{"width":"100%","height":"100%"},"style":{"objectFit":"cover"}},` +
		`{"type":"template","template":"lower-third","start":0,"duration":3,"zIndex":1,"data":{"name":"Grace Hopper","title":"Rear Admiral"}}`, 1.5},
	{"template_talking_head_no_video", `{"type":"image","src":` + photo + `,"start":0,"duration":3,"transform":{"width":"100%","height":"100%"},"style":{"objectFit":"cover"}},` +
		`{"type":"template","template":"talking-head","start":0,"duration":3,"zIndex":1,"data":{"name":"Ada Lovelace","title":"Chief Engineer"}}`, 1.5},
	{"template_title_card", `{"type":"template","template":"title-card","start":0,"duration":3,"data":{"kicker":"CHAPTER 1","title":"The Beginning","subtitle":"Where it all started"}}`, 2},
	{"template_logo_sting", `{"type":"template","template":"logo-sting","start":0,"duration":3,"data":{"text":"FC","tagline":"Video from JSON"}}`, 2},
	{"template_countdown", `{"type":"template","template":"countdown","start":0,"duration":3,"data":{"from":3,"label":"Launching in"}}`, 0.5},
}

func TestTemplateGoldenFrames(t *testing.T) {
	for _, c := range templateCases {
		t.Run(c.name, func(t *testing.T) {
			tl := loadTimeline(t, parseDoc(t, smallDoc(c.clips)))
			img, err := tl.Frame(context.Background(), c.at)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.name, img)
		})
	}
}

// TestFramingTemplatesLeaveTheClipBelowVisible: lower-third, and talking-head without data.video, draw
// over the top of the frame nothing at all: the photo below shows there exactly as without the template.
func TestFramingTemplatesLeaveTheClipBelowVisible(t *testing.T) {
	photoOnly := `{"type":"image","src":` + photo + `,"start":0,"duration":3,"transform":{"width":"100%","height":"100%"},"style":{"objectFit":"cover"}}`
	bare, err := loadTimeline(t, parseDoc(t, smallDoc(photoOnly))).Frame(context.Background(), 1.5)
	if err != nil {
		t.Fatal(err)
	}
	top := image.Rect(0, 0, 320, 90)
	want := meanColor(bare, top)
	for _, c := range templateCases[:2] {
		img, err := loadTimeline(t, parseDoc(t, smallDoc(c.clips))).Frame(context.Background(), 1.5)
		if err != nil {
			t.Fatal(err)
		}
		got := meanColor(img, top)
		for i := range got {
			if !near(got[i], want[i], 1) {
				t.Errorf("%s: the top half is %v, the photo alone %v: the template covers the clip below", c.name, got, want)
				break
			}
		}
	}
}
