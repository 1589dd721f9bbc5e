package schemas

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const testMeta = `"meta": {"version": "2.0.0", "width": 640, "height": 360}`

// docWith returns a document with one track holding clips.
func docWith(clips ...string) string {
	return `{` + testMeta + `, "tracks": [{"clips": [` + strings.Join(clips, ",") + `]}]}`
}

// docAssets returns a document with assets and one track holding clips.
func docAssets(assets string, clips ...string) string {
	return `{` + testMeta + `, "assets": ` + assets + `, "tracks": [{"clips": [` + strings.Join(clips, ",") + `]}]}`
}

// docMeta returns a document with the given meta object and one rect clip.
func docMeta(meta string) string {
	return `{"meta": ` + meta + `, "tracks": [{"clips": [{"type": "rect", "start": 0, "duration": 1}]}]}`
}

// rect returns a 1 s rect clip with extra members.
func rect(extra string) string {
	if extra != "" {
		extra = ", " + extra
	}
	return `{"type": "rect", "start": 0, "duration": 1` + extra + `}`
}

const testAssets = `{"images": [{"id": "logo", "src": "https://example.com/logo.png"}],
	"videos": [{"id": "intro", "src": "https://example.com/intro.mp4"}],
	"svgs": [{"id": "badge", "svg": "<svg/>"}]}`

func TestValidateReportsInvalidDocuments(t *testing.T) {
	cases := []struct {
		name, doc string
		lim       *Limits // nil: DefaultLimits
		path, msg string
	}{
		// JSON itself
		{"syntax", `{"meta": {`, nil, "", "line 1, column"},
		{"syntax line", "{\n  \"meta\": {,}}", nil, "", "line 2, column 12"},
		{"trailing data", docWith(rect("")) + ` {}`, nil, "", "after the document"},
		{"not an object", `[1, 2]`, nil, "", "must be a JSON object"},
		{"wrapped in config", `{"config": ` + docWith(rect("")) + `}`, nil, "config", `sent bare, not wrapped in {"config": …}`},
		// meta
		{"meta missing", `{"tracks": [{"clips": [` + rect("") + `]}]}`, nil, "meta", "is required"},
		{"width missing", docMeta(`{"version": "2.0.0", "height": 10}`), nil, "meta.width", "is required"},
		{"width string", docMeta(`{"version": "2.0.0", "width": "640", "height": 10}`), nil, "meta.width", `must be a number, not the string "640"`},
		{"width zero", docMeta(`{"version": "2.0.0", "width": 0, "height": 10}`), nil, "meta.width", "must be at least 1"},
		{"width fraction", docMeta(`{"version": "2.0.0", "width": 1.5, "height": 10}`), nil, "meta.width", "must be a whole number"},
		{"width limit", docMeta(`{"version": "2.0.0", "width": 5000, "height": 10}`), nil, "meta.width", "must be at most 4096"},
		// Issue 10 item 12: 641×361 was padded to 642×362 silently.
		{"odd width", docMeta(`{"version": "2.0.0", "width": 641, "height": 360}`), nil, "meta.width", "641 is odd: MP4 video (H.264, 4:2:0) needs an even width; use 640 or 642"},
		{"odd height", docMeta(`{"version": "2.0.0", "width": 640, "height": 361}`), nil, "meta.height", "use 360 or 362"},
		{"height limit", docMeta(`{"version": "2.0.0", "width": 10, "height": 9000}`), nil, "meta.height", "must be at most 4096"},
		{"fps zero", docMeta(`{"version": "2.0.0", "width": 10, "height": 10, "fps": 0}`), nil, "meta.fps", "must be greater than 0"},
		{"fps limit", docMeta(`{"version": "2.0.0", "width": 10, "height": 10, "fps": 240}`), nil, "meta.fps", "must be at most 120"},
		{"version", docMeta(`{"version": "1.0.0", "width": 10, "height": 10}`), nil, "meta.version", `unsupported version "1.0.0"`},
		{"background name", docMeta(`{"version": "2.0.0", "width": 10, "height": 10, "background": "blurple"}`), nil, "meta.background", `did you mean "purple"?`},
		{"gradient one stop", docMeta(`{"version": "2.0.0", "width": 10, "height": 10, "background": {"type": "linear", "stops": [{"offset": 0, "color": "red"}]}}`), nil, "meta.background.stops", "at least 2 items"},
		{"gradient offset", docMeta(`{"version": "2.0.0", "width": 10, "height": 10, "background": {"type": "radial", "stops": [{"offset": 0, "color": "red"}, {"offset": 2, "color": "red"}]}}`), nil, "meta.background.stops[1].offset", "must be between 0 and 1"},
		{"gradient type", docMeta(`{"version": "2.0.0", "width": 10, "height": 10, "background": {"type": "diagonal", "stops": [{"offset": 0, "color": "red"}, {"offset": 1, "color": "red"}]}}`), nil, "meta.background.type", `unknown gradient type "diagonal"; use one of "linear", "radial", "conic"`},
		// tracks and clips
		{"tracks empty", `{` + testMeta + `, "tracks": []}`, nil, "tracks", "must not be empty"},
		{"tracks missing", `{` + testMeta + `}`, nil, "tracks", "is required"},
		{"type missing", docWith(`{"start": 0, "duration": 1}`), nil, "tracks[0].clips[0].type", "is required: one of video, image, text"},
		{"type unknown", docWith(`{"type": "txt", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].type", `unknown clip type "txt" — did you mean "text"?`},
		{"type number", docWith(`{"type": 3, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].type", "must be a string, not a number"},
		{"duration missing", docWith(`{"type": "rect", "start": 0}`), nil, "tracks[0].clips[0].duration", "is required"},
		{"duration zero", docWith(rect(""), `{"type": "rect", "start": 0, "duration": 0}`), nil, "tracks[0].clips[1].duration", "must be greater than 0"},
		{"duration string", docWith(`{"type": "rect", "start": 0, "duration": "5"}`), nil, "tracks[0].clips[0].duration", `must be a number, not the string "5"`},
		{"start negative", docWith(`{"type": "rect", "start": -1, "duration": 1}`), nil, "tracks[0].clips[0].start", "must be at least 0"},
		{"opacity", docWith(rect(`"opacity": 1.5`)), nil, "tracks[0].clips[0].opacity", "must be between 0 and 1 (got 1.5)"},
		{"clip id twice", docWith(rect(`"id": "a"`), rect(`"id": "a"`)), nil, "tracks[0].clips[1].id", `duplicate clip id "a" (first used at tracks[0].clips[0])`},
		{"style not object", docWith(rect(`"style": "bold"`)), nil, "tracks[0].clips[0].style", `must be an object, not the string "bold"`},
		{"style fill", docWith(rect(`"style": {"fill": "#ggg"}`)), nil, "tracks[0].clips[0].style.fill", "hex digits"},
		{"font weight", docWith(`{"type": "text", "text": "a", "start": 0, "duration": 1, "style": {"fontWeight": "heavyish"}}`), nil, "tracks[0].clips[0].style.fontWeight", `fontWeight "heavyish"`},
		{"filter type", docWith(rect(`"style": {"filters": [{"type": "blurr", "value": 2}]}`)), nil, "tracks[0].clips[0].style.filters[0].type", `unknown filter type "blurr" — did you mean "blur"?`},
		{"transform length", docWith(rect(`"transform": {"x": "abc"}`)), nil, "tracks[0].clips[0].transform.x", `want a number of pixels or a percentage`},
		{"anchor", docWith(rect(`"transform": {"anchor": "top_left"}`)), nil, "tracks[0].clips[0].transform.anchor", `unknown anchor "top_left" — did you mean "top-left"?`},
		{"scale", docWith(rect(`"transform": {"scale": "big"}`)), nil, "tracks[0].clips[0].transform.scale", "scale: want a number or [sx, sy]"},
		{"skew length", docWith(rect(`"transform": {"skew": [1]}`)), nil, "tracks[0].clips[0].transform.skew", "must have exactly 2 items, not 1"},
		// motion
		{"animation type", docWith(rect(`"animations": [{"type": "fadein", "duration": 1}]`)), nil, "tracks[0].clips[0].animations[0].type", `unknown animation type "fadein" — did you mean "fadeIn"?`},
		{"animations not list", docWith(rect(`"animations": {"type": "fadeIn"}`)), nil, "tracks[0].clips[0].animations", "must be a list, not an object"},
		{"easing", docWith(rect(`"animations": [{"type": "fadeIn", "duration": 1, "easing": "easeInSin"}]`)), nil, "tracks[0].clips[0].animations[0].easing", `did you mean "easeInSine"?`},
		{"transition type", docWith(rect(`"transition": {"type": "crossfade", "duration": 1}`)), nil, "tracks[0].clips[0].transition.type", `unknown transition type "crossfade"; use one of "fade"`},
		{"keyframe property", docWith(rect(`"keyframes": [{"property": "opactiy", "frames": [{"time": 0, "value": 1}]}]`)), nil, "tracks[0].clips[0].keyframes[0].property", `did you mean "opacity"?`},
		{"keyframe color kind", docWith(rect(`"keyframes": [{"property": "fill", "frames": [{"time": 0, "value": 1}]}]`)), nil, "tracks[0].clips[0].keyframes[0].frames[0].value", `keyframe property "fill" takes colors`},
		{"keyframe number kind", docWith(rect(`"keyframes": [{"property": "opacity", "frames": [{"time": 0, "value": "red"}]}]`)), nil, "tracks[0].clips[0].keyframes[0].frames[0].value", `keyframe property "opacity" takes numbers`},
		{"keyframe time", docWith(rect(`"keyframes": [{"property": "x", "frames": [{"time": -1, "value": 3}]}]`)), nil, "tracks[0].clips[0].keyframes[0].frames[0].time", "must be at least 0"},
		{"keyframe frames empty", docWith(rect(`"keyframes": [{"property": "x", "frames": []}]`)), nil, "tracks[0].clips[0].keyframes[0].frames", "must not be empty"},
		// clip types
		{"text needs text", docWith(`{"type": "text", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].text", "is required"},
		{"image needs src", docWith(`{"type": "image", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].src", "is required"},
		{"video src type", docWith(`{"type": "video", "src": 42, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].src", `must be a URL string or {"$ref": "<asset id>"}`},
		{"audio volume", docWith(`{"type": "audio", "src": "a.mp3", "start": 0, "duration": 1, "volume": -1}`), nil, "tracks[0].clips[0].volume", "must be at least 0"},
		{"audio pan", docWith(`{"type": "audio", "src": "a.mp3", "start": 0, "duration": 1, "pan": 2}`), nil, "tracks[0].clips[0].pan", "must be between -1 and 1"},
		{"ducking target", docWith(rect(`"id": "music"`), `{"type": "audio", "src": "a.mp3", "start": 0, "duration": 1, "ducking": {"targets": ["musc"]}}`), nil, "tracks[0].clips[1].ducking.targets[0]", `unknown clip id "musc" — did you mean "music"?`},
		{"polygon sides", docWith(`{"type": "polygon", "sides": 2, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].sides", "must be at least 3"},
		{"line points", docWith(`{"type": "line", "points": [[0, 0]], "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].points", "must have at least 2 items, not 1"},
		{"line drawEnd", docWith(`{"type": "line", "points": [[0, 0], [1, 1]], "drawEnd": 2, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].drawEnd", "must be between 0 and 1"},
		{"path needs data", docWith(`{"type": "path", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].data", "is required"},
		{"svg needs svg or src", docWith(`{"type": "svg", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].svg", `give "svg"`},
		{"svg empty", docWith(`{"type": "svg", "svg": "", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].svg", `is empty: give SVG markup`},
		{"svg blank beside src", docWith(`{"type": "svg", "svg": " \n", "src": "a.svg", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].svg", `leave "svg" out and give "src"`},
		{"svg asset empty", docAssets(`{"svgs": [{"id": "s", "svg": ""}]}`, rect("")), nil, "assets.svgs[0].svg", `is empty`},
		{"icon needs icon", docWith(`{"type": "icon", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].icon", "is required"},
		{"icon color", docWith(`{"type": "icon", "icon": "mdi:star", "color": "rgb(1,2)", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].color", "write rgb(r, g, b)"},
		{"code needs code", docWith(`{"type": "code", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].code", "is required"},
		{"subtitle needs words", docWith(`{"type": "subtitle", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].words", "is required"},
		{"subtitle position", docWith(`{"type": "subtitle", "words": [], "config": {"position": "middle"}, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].config.position", `unknown subtitle position "middle"`},
		{"subtitle in layout", docWith(`{"type": "layout", "start": 0, "duration": 1, "children": [{"type": "subtitle", "words": []}]}`), nil, "tracks[0].clips[0].children[0].type", "cannot be a child of a layout"},
		{"layout direction", docWith(`{"type": "layout", "direction": "row", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].direction", `unknown layout direction "row"`},
		{"layout child error", docWith(`{"type": "layout", "start": 0, "duration": 1, "children": [{"type": "text"}]}`), nil, "tracks[0].clips[0].children[0].text", "is required"},
		{"template name", docWith(`{"type": "template", "template": "quotes", "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].template", `unknown template "quotes" — did you mean "quote"?`},
		{"three light", docWith(`{"type": "three", "lights": [{"type": "spot"}], "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].lights[0].type", `unknown three light type "spot"; use one of "ambient", "directional", "point"`},
		// assets
		{"unknown asset", docAssets(testAssets, `{"type": "image", "src": {"$ref": "lgo"}, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].src.$ref", `unknown asset id "lgo" — did you mean "logo"?; known ids: "badge", "intro", "logo"`},
		{"no assets", docWith(`{"type": "image", "src": {"$ref": "logo"}, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].src.$ref", `the document has no assets`},
		{"asset group", docAssets(testAssets, `{"type": "video", "src": {"$ref": "logo"}, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].src.$ref", `asset "logo" is in assets.images, but this field takes an asset from assets.videos`},
		{"svg asset group", docAssets(testAssets, `{"type": "svg", "svg": {"$ref": "logo"}, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].svg.$ref", "assets.svgs"},
		{"words asset group", docAssets(testAssets, `{"type": "subtitle", "words": {"$ref": "intro"}, "start": 0, "duration": 1}`), nil, "tracks[0].clips[0].words.$ref", "assets.subtitles"},
		{"asset id twice", docAssets(`{"images": [{"id": "a", "src": "x.png"}], "audios": [{"id": "a", "src": "x.mp3"}]}`, rect("")), nil, "assets.audios[0].id", `duplicate asset id "a" (first used at assets.images[0].id)`},
		{"asset src missing", docAssets(`{"images": [{"id": "a"}]}`, rect("")), nil, "assets.images[0].src", "is required"},
		// limits
		{"duration limit", docWith(`{"type": "rect", "start": 3000, "duration": 1000}`), nil, "tracks[0].clips[0]", "the video would last 4000 s (this clip ends last); the limit is 3600 s"},
		{"clip limit", docWith(rect(""), rect(""), `{"type": "layout", "start": 0, "duration": 1, "children": [`+rect("")+`]}`), &Limits{MaxClips: 3}, "tracks", "the document has 4 clips (layout children included); the limit is 3"},
		{"size limit", docWith(rect("")), &Limits{MaxBytes: 50}, "", "the limit is 50 bytes"},
	}
	if len(cases) < 45 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lim := DefaultLimits()
			if c.lim != nil {
				lim = *c.lim
			}
			res := Validate([]byte(c.doc), lim)
			if res.OK() || res.Document != nil {
				t.Fatalf("accepted; want an error at %q", c.path)
			}
			for _, p := range res.Errors {
				if p.Path == c.path && strings.Contains(p.Message, c.msg) {
					return
				}
			}
			t.Errorf("no error at %q containing %q; got %v", c.path, c.msg, res.Errors)
		})
	}
}

func TestValidateAcceptsValidDocuments(t *testing.T) {
	seen := map[string]bool{}
	for _, path := range validFiles(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res := Validate(raw, DefaultLimits())
		if !res.OK() || len(res.Warnings) > 0 || res.Document == nil {
			t.Fatalf("%s: errors %v, warnings %v", path, res.Errors, res.Warnings)
		}
		for _, tr := range res.Document.Tracks {
			for _, c := range tr.Clips {
				seen[c.Base().Type] = true
				if l, ok := c.Spec.(*LayoutClip); ok {
					for _, child := range l.Children {
						seen[child.Base().Type] = true
					}
				}
			}
		}
		// What the decoded document encodes to is valid too (the value types write the shapes they read).
		again, err := json.Marshal(res.Document)
		if err != nil {
			t.Fatal(err)
		}
		if res2 := Validate(again, DefaultLimits()); !res2.OK() {
			t.Errorf("%s: re-encoded document is invalid: %v", path, res2.Errors)
		}
	}
	for _, k := range ClipKinds {
		if !seen[k.Name] {
			t.Errorf("no valid test document has a %s clip", k.Name)
		}
	}
}

func TestValidateWarnsAboutUnknownFields(t *testing.T) {
	doc := docWith(`{"type": "text", "text": "hi", "start": 0, "duration": 1, "fontsize": 40, "colour": "red",
		"style": {"fontsize": 40, "color": "red", "glow": 3}, "animations": [{"type": "fadeIn", "duration": 1, "speed": 2}]}`)
	res := Validate([]byte(doc), DefaultLimits())
	if !res.OK() || res.Document == nil {
		t.Fatalf("unknown fields must not be errors: %v", res.Errors)
	}
	want := map[string]string{
		"tracks[0].clips[0].fontsize":            `unknown field "fontsize" — did you mean "style.fontSize"?; it is ignored`,
		"tracks[0].clips[0].colour":              `unknown field "colour"; it is ignored`,
		"tracks[0].clips[0].style.fontsize":      `unknown field "fontsize" — did you mean "fontSize"?; it is ignored`,
		"tracks[0].clips[0].style.color":         `unknown field "color" — did you mean "fill"?; it is ignored`,
		"tracks[0].clips[0].style.glow":          `unknown field "glow"; it is ignored`,
		"tracks[0].clips[0].animations[0].speed": `unknown field "speed"; it is ignored`,
	}
	got := map[string]string{}
	for _, w := range res.Warnings {
		got[w.Path] = w.Message
	}
	for path, msg := range want {
		if got[path] != msg {
			t.Errorf("warning at %s = %q, want %q", path, got[path], msg)
		}
	}
	if len(res.Warnings) != len(want) {
		t.Errorf("got %d warnings, want %d: %v", len(res.Warnings), len(want), res.Warnings)
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	doc := `{"meta": {"version": "2.0.0", "width": -5, "height": "tall"},
		"tracks": [
			{"clips": [{"type": "text", "start": 0, "duration": 0}, {"type": "image", "src": {"$ref": "nope"}, "start": 0, "duration": 1}]},
			{"clips": [{"type": "rect", "start": "soon", "duration": 1, "animations": [{"type": "fadein", "duration": 1}]}, {"type": "wat"}]}
		]}`
	res := Validate([]byte(doc), DefaultLimits())
	want := []string{
		"meta.width", "meta.height", "tracks[0].clips[0].duration", "tracks[0].clips[0].text",
		"tracks[0].clips[1].src.$ref", "tracks[1].clips[0].start", "tracks[1].clips[0].animations[0].type", "tracks[1].clips[1].type",
	}
	var got []string
	for _, p := range res.Errors {
		got = append(got, p.Path)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("error paths\n got %v\nwant %v\n(%v)", got, want, res.Errors)
	}
}

func TestProblemJSON(t *testing.T) {
	b, err := json.Marshal(Problem{Path: "meta.width", Message: "is required"})
	if err != nil || string(b) != `{"path":"meta.width","message":"is required"}` {
		t.Errorf("Problem encodes as %s (%v)", b, err)
	}
	res := Validate([]byte(`{}`), DefaultLimits())
	if err := res.Err(); err == nil || !strings.Contains(err.Error(), "meta: is required") {
		t.Errorf("Err() = %v", err)
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"fadeIn", "fadeOut", "zoomIn", "slideIn"}
	for in, want := range map[string]string{"fadein": "fadeIn", "FADEOUT": "fadeOut", "zomIn": "zoomIn", "sldeIn": "slideIn", "spin": "", "x": ""} {
		if got := suggest(in, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidateCapsTheProblemList(t *testing.T) {
	clips := make([]string, MaxProblems+50)
	for i := range clips {
		clips[i] = `{"type": "rect", "start": 0, "duration": 0, "bogus": 1}`
	}
	res := Validate([]byte(docWith(clips...)), DefaultLimits())
	for _, list := range [][]Problem{res.Errors, res.Warnings} {
		last := list[len(list)-1]
		if len(list) != MaxProblems+1 || last.Path != "" || !strings.Contains(last.Message, "and 50 more") {
			t.Errorf("%d problems, last %v", len(list), last)
		}
	}
}
