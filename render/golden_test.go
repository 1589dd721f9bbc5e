package render

import (
	"context"
	"fmt"
	"image"
	"testing"

	"github.com/framecast/framecast/schemas"
)

// goldenCase is one small document and the time of the frame compared with its golden PNG.
type goldenCase struct {
	name  string
	clips string
	at    float64
}

const (
	photo = `"../../examples/assets/photo1.jpg"`
	prod  = `"../../examples/assets/product.png"`
)

// clipTypeCases: one frame for every clip type the engine draws.
var clipTypeCases = []goldenCase{
	{"text", `{"type":"text","text":"Hello\nFramecast","start":0,"duration":2,"style":{"fontSize":40,"fontWeight":"bold","fill":"#ffcc00","stroke":"#000000","strokeWidth":2,"shadowColor":"#000","shadowBlur":4,"shadowOffset":[3,3]}}`, 0.5},
	{"text_wrap_left", `{"type":"text","text":"The quick brown fox jumps over the lazy dog","start":0,"duration":2,"transform":{"width":200},"style":{"fontSize":24,"textAlign":"left","fontFamily":"Times New Roman","fontStyle":"italic","lineHeight":1.4,"letterSpacing":1}}`, 0.5},
	{"text_gradient", `{"type":"text","text":"GRADIENT","start":0,"duration":2,"style":{"fontSize":56,"fontWeight":900,"fill":{"type":"linear","stops":[{"offset":0,"color":"#f43f5e"},{"offset":1,"color":"#3b82f6"}]}}}`, 0.5},
	{"image_png", `{"type":"image","src":` + prod + `,"start":0,"duration":2,"transform":{"width":120}}`, 0.5},
	{"image_jpeg_cover_radius", `{"type":"image","src":` + photo + `,"start":0,"duration":2,"transform":{"width":200,"height":120},"style":{"objectFit":"cover","borderRadius":24}}`, 0.5},
	{"image_contain", `{"type":"image","src":` + photo + `,"start":0,"duration":2,"transform":{"width":200,"height":160},"style":{"objectFit":"contain"}}`, 0.5},
	{"image_webp", `{"type":"image","src":"assets/small.webp","start":0,"duration":2}`, 0.5},
	{"image_gif", `{"type":"image","src":"assets/small.gif","start":0,"duration":2}`, 0.5},
	{"image_svg", `{"type":"image","src":"assets/logo.svg","start":0,"duration":2,"transform":{"width":180}}`, 0.5},
	{"image_filters", `{"type":"image","src":` + photo + `,"start":0,"duration":2,"transform":{"width":240,"height":140},"style":{"filters":[{"type":"grayscale","value":1},{"type":"contrast","value":1.5},{"type":"blur","value":2}]}}`, 0.5},
	{"rect", `{"type":"rect","start":0,"duration":2,"transform":{"width":200,"height":100,"rotation":10},"style":{"fill":{"type":"linear","angle":90,"stops":[{"offset":0,"color":"#22c55e"},{"offset":1,"color":"#14532d"}]},"stroke":"#ffffff","strokeWidth":4,"borderRadius":20}}`, 0.5},
	{"circle_arc", `{"type":"circle","start":0,"duration":2,"size":140,"startAngle":0,"endAngle":270,"style":{"fill":{"type":"conic","stops":[{"offset":0,"color":"#f97316"},{"offset":1,"color":"#a855f7"}]}}}`, 0.5},
	{"polygon", `{"type":"polygon","start":0,"duration":2,"sides":5,"size":140,"style":{"fill":"#0ea5e9","stroke":"#e0f2fe","strokeWidth":3}}`, 0.5},
	{"line_arrows", `{"type":"line","start":0,"duration":2,"points":[[0,0],[120,60],[240,0]],"radius":20,"transform":{"x":40,"y":60},"lineWidth":5,"startArrow":true,"endArrow":true,"style":{"stroke":"#facc15"}}`, 0.5},
	{"path_draw", `{"type":"path","start":0,"duration":2,"data":"M 0 0 C 60 -80 160 80 240 0","transform":{"x":40,"y":90},"lineWidth":6,"drawEnd":0.6,"endArrow":true,"lineCap":"round","style":{"stroke":"#f472b6"}}`, 0.5},
	{"svg", `{"type":"svg","start":0,"duration":2,"svg":"<svg xmlns='http://www.w3.org/2000/svg' width='100' height='100' viewBox='0 0 100 100'><circle cx='50' cy='50' r='45' fill='#10b981'/><rect x='30' y='30' width='40' height='40' fill='#064e3b'/></svg>","transform":{"width":120}}`, 0.5},
	{"video", `{"type":"video","src":"../../examples/assets/clip.mp4","start":0,"duration":2,"source":{"start":1},"transform":{"width":"100%","height":"100%"}}`, 0.5},
	{"code", `{"type":"code","start":0,"duration":2,"language":"go","code":"func main() {\n\tfmt.Println(\"hi\") // greet\n\treturn\n}","fontSize":16,"selection":[[2,2]]}`, 0.5},
	{"icon", `{"type":"icon","start":0,"duration":2,"icon":"mdi:rocket-launch","color":"#f97316","transform":{"width":100,"height":100}}`, 0.5},
	{"subtitle", `{"type":"subtitle","start":0,"duration":2,"words":[{"word":"one","start":0,"end":0.4},{"word":"two","start":0.4,"end":0.8},{"word":"three","start":0.8,"end":1.2}],"config":{"fontSize":28,"paddingBottom":30}}`, 0.6},
	{"layout", `{"type":"layout","start":0,"duration":2,"direction":"horizontal","gap":10,"padding":10,"alignItems":"center","justifyContent":"center","transform":{"width":300,"height":120},"children":[{"type":"rect","start":0,"duration":1,"transform":{"width":60,"height":60},"style":{"fill":"#ef4444"}},{"type":"circle","start":0,"duration":1,"size":80,"style":{"fill":"#22c55e"}},{"type":"text","text":"Row","start":0,"duration":1,"style":{"fontSize":32}}]}`, 0.5},
	{"three", `{"type":"three","start":0,"duration":2,"camera":{"position":[0,1,4]},"objects":[{"type":"box","position":[-1,0,0],"rotation":[20,30,0],"material":{"color":"#ef4444"}},{"type":"sphere","position":[1,0,0],"material":{"color":"#3b82f6"},"animations":[{"property":"position.y","from":-0.5,"to":0.5,"duration":2}]}]}`, 1},
	{"template_quote", `{"type":"template","template":"quote","start":0,"duration":3,"data":{"quote":"Less is more.","author":"Mies"}}`, 2},
}

// animationCases: every preset animation, mid-way.
var animationCases = func() []goldenCase {
	anims := map[string]string{
		"fadeIn":   `{"type":"fadeIn","duration":1}`,
		"fadeOut":  `{"type":"fadeOut","duration":1}`,
		"zoomIn":   `{"type":"zoomIn","duration":1,"easing":"easeOutBack"}`,
		"zoomOut":  `{"type":"zoomOut","duration":1}`,
		"slideIn":  `{"type":"slideIn","duration":1,"direction":"up","distance":80}`,
		"slideOut": `{"type":"slideOut","duration":1,"direction":"right","distance":80}`,
		"move":     `{"type":"move","duration":1,"from":{"x":60,"y":60},"to":{"x":260,"y":120}}`,
		"scale":    `{"type":"scale","duration":1,"from":1,"to":[2,0.5]}`,
		"rotate":   `{"type":"rotate","duration":1,"from":0,"to":90}`,
		"filter":   `{"type":"filter","filter":"hue","duration":1,"from":0,"to":180}`,
	}
	var out []goldenCase
	for _, name := range schemas.Names(schemas.AnimationTypes) {
		out = append(out, goldenCase{"anim_" + name,
			`{"type":"rect","start":0,"duration":2,"transform":{"width":80,"height":50},"style":{"fill":"#f59e0b","borderRadius":8},"animations":[` + anims[name] + `]}`, 0.5})
	}
	return out
}()

// transitionCases: every transition, mid-way, entering over an adjoining clip on the same track.
var transitionCases = func() []goldenCase {
	var out []goldenCase
	for _, name := range schemas.Names(schemas.TransitionTypes) {
		out = append(out, goldenCase{"transition_" + name,
			`{"type":"rect","start":0,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#1d4ed8"}},` +
				`{"type":"image","src":` + photo + `,"start":1,"duration":2,"transform":{"width":240,"height":140},"transition":{"type":"` + name + `","duration":1,"direction":"left"}}`, 1.5})
	}
	return out
}()

var keyframeCases = []goldenCase{
	{"keyframes", `{"type":"rect","start":0,"duration":2,"transform":{"width":60,"height":60},"style":{"fill":"#ffffff"},"keyframes":[` +
		`{"property":"x","frames":[{"time":0,"value":40},{"time":1,"value":280,"easing":"easeInOutCubic"}]},` +
		`{"property":"rotation","frames":[{"time":0,"value":0},{"time":1,"value":180}]},` +
		`{"property":"fill","frames":[{"time":0,"value":"#ff0000"},{"time":1,"value":"#0000ff"}]},` +
		`{"property":"opacity","frames":[{"time":0,"value":1},{"time":1,"value":0.5}]}]}`, 0.4},
}

func TestGoldenFrames(t *testing.T) {
	groups := map[string][]goldenCase{"clips": clipTypeCases, "animations": animationCases, "transitions": transitionCases, "keyframes": keyframeCases}
	for group, cases := range groups {
		for _, c := range cases {
			t.Run(group+"/"+c.name, func(t *testing.T) {
				tl := loadTimeline(t, parseDoc(t, smallDoc(c.clips)))
				img, err := tl.Frame(context.Background(), c.at)
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, c.name, img)
			})
		}
	}
}

// Every clip type of the engine has a golden case, and so does every animation and transition.
func TestGoldenCoverage(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range clipTypeCases {
		doc := parseDoc(t, smallDoc(c.clips))
		covered[doc.Tracks[0].Clips[0].Base().Type] = true
	}
	for _, k := range schemas.ClipKinds {
		if k.Name == "audio" { // heard, not seen
			continue
		}
		if !covered[k.Name] {
			t.Errorf("no golden frame for clip type %q", k.Name)
		}
	}
	if len(animationCases) != len(schemas.AnimationTypes) || len(transitionCases) != len(schemas.TransitionTypes) {
		t.Errorf("animation or transition cases out of step with the schemas lists")
	}
}

// What a viewer notices, beyond the goldens: a fade-in is dark at its start and bright at its end, and the
// cross-dissolve shows both clips half-way.
func TestFadeAndCrossDissolve(t *testing.T) {
	doc := parseDoc(t, smallDoc(`{"type":"rect","start":0,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#ff0000"}},`+
		`{"type":"rect","start":1,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#0000ff"},"transition":{"type":"fade","duration":0.5}}`))
	tl := loadTimeline(t, doc)
	at := func(sec float64) [3]float64 {
		img, err := tl.Frame(context.Background(), sec)
		if err != nil {
			t.Fatal(err)
		}
		return meanColor(img, image.Rect(100, 60, 220, 120))
	}
	if c := at(0.5); !near(c[0], 255, 2) || !near(c[2], 0, 2) {
		t.Errorf("before the transition: %v, want red", c)
	}
	if c := at(1.25); !near(c[0], 128, 12) || !near(c[2], 128, 12) {
		t.Errorf("half-way through the cross-dissolve: %v, want half red, half blue", c)
	}
	if c := at(1.6); !near(c[2], 255, 2) || !near(c[0], 0, 2) {
		t.Errorf("after the transition: %v, want blue", c)
	}
}

func TestFrameIsAPureFunctionOfTime(t *testing.T) {
	tl := loadTimeline(t, parseDoc(t, smallDoc(animationCases[0].clips+","+clipTypeCases[0].clips)))
	a, _ := tl.Frame(context.Background(), 0.7)
	_, _ = tl.Frame(context.Background(), 0.1)
	b, _ := tl.Frame(context.Background(), 0.7)
	if fmt.Sprint(a.Pix) != fmt.Sprint(b.Pix) {
		t.Fatal("the same time drew different frames")
	}
}
