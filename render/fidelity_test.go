package render

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framecast/framecast/internal/golden"
)

// contactSheet lays frames of one size out left to right, columns wide, with a 4-pixel grey gap, so that one
// golden PNG shows a whole area (gradients, scripts, photos, subtitles, code reveal) at a glance.
func contactSheet(frames []*image.RGBA, columns int) *image.RGBA {
	const gap = 4
	if len(frames) == 0 {
		return image.NewRGBA(image.Rect(0, 0, 1, 1))
	}
	w, h := frames[0].Rect.Dx(), frames[0].Rect.Dy()
	rows := (len(frames) + columns - 1) / columns
	sheet := image.NewRGBA(image.Rect(0, 0, columns*w+(columns+1)*gap, rows*h+(rows+1)*gap))
	draw.Draw(sheet, sheet.Rect, image.NewUniform(color.Gray{Y: 0x60}), image.Point{}, draw.Src)
	for i, f := range frames {
		x, y := gap+(i%columns)*(w+gap), gap+(i/columns)*(h+gap)
		draw.Draw(sheet, image.Rect(x, y, x+w, y+h), f, f.Rect.Min, draw.Src)
	}
	return sheet
}

// checkSheet compares a contact sheet with testdata/sheets/name.png.
func checkSheet(t *testing.T, name string, frames []*image.RGBA, columns int) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "sheets", name+".png"), contactSheet(frames, columns), goldenTolerance)
}

// frameOf draws the frame at `at` of a full document (JSON).
func frameOf(t *testing.T, doc string, at float64) *image.RGBA {
	t.Helper()
	tl := loadTimeline(t, parseDoc(t, doc))
	img, err := tl.Frame(context.Background(), at)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// docWithBackground is a 320×180 document whose meta.background is bg (JSON) and whose only clip is clips.
func docWithBackground(bg, clips string) string {
	return fmt.Sprintf(`{"meta": {"version": "2.0.0", "width": 320, "height": 180, "fps": 30, "background": %s},
		"tracks": [{"id": "a", "clips": [%s]}]}`, bg, clips)
}

// Item 1 of issue 10: a gradient meta.background is drawn as a gradient (it was one flat colour: the first stop
// for linear, the last for radial, one mid colour for conic), the same as the gradient as a full-frame shape fill.
func TestGradientBackground(t *testing.T) {
	gradients := []string{
		`{"type":"linear","angle":90,"stops":[{"offset":0,"color":"#ff0000"},{"offset":1,"color":"#0000ff"}]}`,
		`{"type":"radial","stops":[{"offset":0,"color":"#ffffff"},{"offset":1,"color":"#000000"}]}`,
		`{"type":"conic","stops":[{"offset":0,"color":"#f97316"},{"offset":0.5,"color":"#22c55e"},{"offset":1,"color":"#f97316"}]}`,
	}
	const none = `{"type":"rect","start":0,"duration":1,"transform":{"width":1,"height":1},"style":{"fill":"transparent"}}`
	var frames []*image.RGBA
	for _, g := range gradients {
		bg := frameOf(t, docWithBackground(g, none), 0.5)
		shape := frameOf(t, docWithBackground(`"#000000"`, `{"type":"rect","start":0,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":`+g+`}}`), 0.5)
		left, right := meanColor(bg, image.Rect(0, 80, 20, 100)), meanColor(bg, image.Rect(300, 80, 320, 100))
		centre, corner := meanColor(bg, image.Rect(150, 80, 170, 100)), meanColor(bg, image.Rect(0, 0, 10, 10))
		if left == right && centre == corner {
			t.Errorf("background %s is flat: %v everywhere", g, left)
		}
		for _, p := range []image.Point{{5, 5}, {160, 90}, {300, 170}, {60, 150}} {
			if d := golden.Diff(bg.At(p.X, p.Y), shape.At(p.X, p.Y)); d > 3 {
				t.Errorf("background %s at %v is %v, the same gradient as a full-frame fill is %v", g, p, bg.At(p.X, p.Y), shape.At(p.X, p.Y))
			}
		}
		frames = append(frames, bg)
	}
	checkSheet(t, "gradients", frames, 3)
}

// Item 11 of issue 10: blur and lightSweep dissolve from the outgoing clip (they began with a hard cut): just
// after the incoming clip starts the frame is still mostly the outgoing clip, half-way it is a mix.
func TestBlurAndLightSweepDissolve(t *testing.T) {
	for _, name := range []string{"blur", "lightSweep", "fade"} {
		t.Run(name, func(t *testing.T) {
			tl := loadTimeline(t, parseDoc(t, smallDoc(`{"type":"rect","start":0,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#0000ff"}},`+
				`{"type":"rect","start":1,"duration":1,"transform":{"width":"100%","height":"100%"},"style":{"fill":"#ff0000"},"transition":{"type":"`+name+`","duration":1}}`)))
			at := func(sec float64) [3]float64 {
				img, err := tl.Frame(context.Background(), sec)
				if err != nil {
					t.Fatal(err)
				}
				return meanColor(img, image.Rect(140, 70, 180, 110))
			}
			if c := at(1.05); c[2] < 180 || c[0] > 60 {
				t.Errorf("at the start of the %s transition the centre is %v: want still mostly the outgoing blue", name, c)
			}
			if c := at(1.5); c[2] < 70 || c[0] < 70 {
				t.Errorf("half-way through the %s transition the centre is %v: want both clips mixed", name, c)
			}
		})
	}
}

// Item 9 of issue 10: a template's overrides.style restyles its text, not every generated clip:
// `"fill":"#ff0000"` on `list` painted the whole frame red; now the background keeps its colour and the
// words turn red.
func TestTemplateStyleOverrideRestylesTheText(t *testing.T) {
	img := frameOf(t, smallDoc(`{"type":"template","template":"list","start":0,"duration":4,"data":{"title":"Why","items":["One","Two"]},"overrides":{"style":{"fill":"#ff0000"}}}`), 3)
	if c := meanColor(img, image.Rect(0, 0, 320, 20)); c[0] > 128 && c[1] < 60 {
		t.Errorf("the top band of the frame is %v: the background was painted red", c)
	}
	red := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] > 200 && img.Pix[i+1] < 60 && img.Pix[i+2] < 60 {
			red++
		}
	}
	if red == 0 || red > len(img.Pix)/4/4 {
		t.Errorf("%d red pixels: want the words (and only them) red", red)
	}
	checkGolden(t, "template_list_style_override", img)
}

// Photos as phones make them (items 5 and 6 of issue 10), drawn by the engine: every EXIF orientation upright,
// a lossy WebP with black at 0 and white at 255, a 16-bit PNG, Display P3 JPEG and PNG converted to sRGB (and an
// sRGB-tagged JPEG beside them), an animated WebP at four times. One contact sheet.
func TestPhotosSheet(t *testing.T) {
	var frames []*image.RGBA
	img := func(src string) string {
		return `{"type":"image","src":"assets/photos/` + src + `","start":0,"duration":1,"transform":{"width":192,"height":128}}`
	}
	for o := 1; o <= 8; o++ {
		f := frameOf(t, smallDoc(img(fmt.Sprintf("orient%d.jpg", o))), 0.5)
		// The picture is 192×128 in the middle: red top-left quadrant, white bottom-right.
		if c := meanColor(f, image.Rect(70, 65, 140, 80)); c[0] < 180 || c[1] > 80 {
			t.Errorf("orientation %d: top-left quadrant is %v, want red (the photo upright)", o, c)
		}
		if c := meanColor(f, image.Rect(180, 100, 240, 140)); c[0] < 230 || c[2] < 230 {
			t.Errorf("orientation %d: bottom-right quadrant is %v, want white", o, c)
		}
		frames = append(frames, f)
	}
	webp := frameOf(t, smallDoc(img("levels_lossy.webp")), 0.5)
	if c := meanColor(webp, image.Rect(70, 60, 110, 120)); c[0] > 3 {
		t.Errorf("lossy WebP black bar is %v, want 0", c)
	}
	if c := meanColor(webp, image.Rect(210, 60, 250, 120)); c[0] < 252 {
		t.Errorf("lossy WebP white bar is %v, want 255", c)
	}
	frames = append(frames, webp, frameOf(t, smallDoc(img("deep16.png")), 0.5))
	// Display P3 photos (JPEG, PNG, 16-bit PNG) drawn in sRGB: the first patch is pure sRGB red, not P3's
	// (234, 51, 35) read as sRGB.
	for _, p3 := range []string{"p3.jpg", "p3.png", "p3_16.png", "srgb.jpg"} {
		f := frameOf(t, smallDoc(`{"type":"image","src":"assets/photos/`+p3+`","start":0,"duration":1,"transform":{"width":256,"height":32}}`), 0.5)
		if c := meanColor(f, image.Rect(36, 84, 60, 96)); c[0] < 248 || c[1] > 8 || c[2] > 8 {
			t.Errorf("%s: the red patch is %v, want sRGB red", p3, c)
		}
		frames = append(frames, f)
	}
	// An animated WebP made by gif2webp, at 0.05, 0.15, 0.35 and 0.65 s: red; a blue quarter; the blue quarter
	// gone and a green one; a yellow one added (TestAnimatedImageClipsPlay checks the pixels).
	for _, at := range []float64{0.05, 0.15, 0.35, 0.65} {
		frames = append(frames, frameOf(t, smallDoc(`{"type":"image","src":"assets/animated/anim.webp","start":0,"duration":2,"transform":{"width":128,"height":128}}`), at))
	}
	checkSheet(t, "photos", frames, 4)
}

// subtitleDoc is a w×h document with one subtitle clip of the given duration, words (JSON) and config (JSON).
func subtitleDoc(w, h int, dur float64, words, config string) string {
	return fmt.Sprintf(`{"meta": {"version": "2.0.0", "width": %d, "height": %d, "fps": 30, "background": "#202030"},
		"tracks": [{"id": "a", "clips": [{"type":"subtitle","start":0,"duration":%g,"words":%s,"config":%s}]}]}`, w, h, dur, words, config)
}

// inkRows returns the first and last rows of img holding pixels far from the #202030 background (-1 when none).
func inkRows(img *image.RGBA) (top, bottom int) {
	top, bottom = -1, -1
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			i := img.PixOffset(x, y)
			if golden.Diff(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}, color.RGBA{0x20, 0x20, 0x30, 255}) > 40 {
				if top < 0 {
					top = y
				}
				bottom = y
				break
			}
		}
	}
	return top, bottom
}

// inkColumns is inkRows across.
func inkColumns(img *image.RGBA) (left, right int) {
	left, right = -1, -1
	for x := 0; x < img.Rect.Dx(); x++ {
		for y := 0; y < img.Rect.Dy(); y++ {
			i := img.PixOffset(x, y)
			if golden.Diff(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}, color.RGBA{0x20, 0x20, 0x30, 255}) > 40 {
				if left < 0 {
					left = x
				}
				right = x
				break
			}
		}
	}
	return left, right
}

const twoCues = `{"srt":"1\n00:00:00,500 --> 00:00:02,000\nHello there\n\n2\n00:00:04,000 --> 00:00:05,500\nGeneral Kenobi, you are bold\n"}`

// Item 2 of issue 10: subtitle cues are the batches. Cue 1 (0.5–2 s) and cue 2 (4–5.5 s) used to show merged
// ("Hello there General Kenobi,") and to stay up through the gap.
func TestSubtitleCuesAreBatches(t *testing.T) {
	tl := loadTimeline(t, parseDoc(t, subtitleDoc(480, 270, 6, twoCues, `{}`)))
	var look *subtitleLook
	for _, it := range tl.items {
		if l, ok := it.look.(*subtitleLook); ok {
			look = l
		}
	}
	if look == nil {
		t.Fatal("no subtitle look")
	}
	words := func(at float64) string {
		b, _, n, _ := look.state(at)
		if b < 0 {
			return ""
		}
		var ws []string
		for i := look.batches[b].first; i < look.batches[b].first+n; i++ {
			ws = append(ws, look.words[i].PunctuatedWord)
		}
		return strings.Join(ws, " ")
	}
	for _, c := range []struct {
		at   float64
		want string
	}{{0.2, ""}, {1.0, "Hello there"}, {1.99, "Hello there"}, {3.0, ""}, {4.2, "General Kenobi, you are bold"}, {5.6, ""}} {
		if got := words(c.at); got != c.want {
			t.Errorf("at %gs the caption is %q, want %q", c.at, got, c.want)
		}
	}
	frame := func(at float64) *image.RGBA {
		img, err := tl.Frame(context.Background(), at)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	if top, _ := inkRows(frame(3.0)); top >= 0 {
		t.Errorf("the gap between the cues shows something (ink from row %d)", top)
	}
}

// Stream mode starts each cue afresh: the first word of the next cue does not join the previous line.
func TestSubtitleStreamStartsEachCue(t *testing.T) {
	tl := loadTimeline(t, parseDoc(t, subtitleDoc(480, 270, 6, twoCues, `{"mode":"stream"}`)))
	look := tl.items[0].look.(*subtitleLook)
	b, _, n, _ := look.state(4.1)
	if b != 1 || n != 1 || look.words[look.batches[b].first].Word != "General" {
		t.Errorf("at 4.1 s stream shows batch %d with %d words, want only \"General\" of cue 2", b, n)
	}
}

// A batch stays until its words end (not gone by 4.95 s of a 5 s clip); hold keeps the last one to the clip end.
func TestSubtitleHoldAndEnd(t *testing.T) {
	words := `[{"word":"one","start":0,"end":1},{"word":"two","start":1,"end":5}]`
	look := loadTimeline(t, parseDoc(t, subtitleDoc(480, 270, 5, words, `{}`))).items[0].look.(*subtitleLook)
	if b, _, _, _ := look.state(4.95); b != 0 {
		t.Errorf("at 4.95 s of a 5 s clip whose last word ends at 5 s the batch is gone")
	}
	early := `{"srt":"1\n00:00:00,000 --> 00:00:02,000\nShort cue\n"}`
	look = loadTimeline(t, parseDoc(t, subtitleDoc(480, 270, 5, early, `{}`))).items[0].look.(*subtitleLook)
	if b, _, _, _ := look.state(4.9); b >= 0 {
		t.Errorf("without hold the cue shows after its end")
	}
	look = loadTimeline(t, parseDoc(t, subtitleDoc(480, 270, 5, early, `{"hold":true}`))).items[0].look.(*subtitleLook)
	if b, _, _, _ := look.state(4.9); b != 0 {
		t.Errorf("with hold the last cue is gone before the clip ends")
	}
}

// The default size follows the frame (5% of the short edge), and a long batch wraps inside the safe area
// (the default 80 px on 720p pushed a 6-word batch past the top of the frame).
func TestSubtitleSizeAndSafeArea(t *testing.T) {
	long := `[{"word":"Extraordinary","start":0,"end":0.5},{"word":"circumstances","start":0.5,"end":1},{"word":"require","start":1,"end":1.5},{"word":"extraordinarily","start":1.5,"end":2},{"word":"unforgettable","start":2,"end":2.5},{"word":"measures","start":2.5,"end":3}]`
	tl := loadTimeline(t, parseDoc(t, subtitleDoc(1280, 720, 3, long, `{"wordsPerBatch":6}`)))
	if look := tl.items[0].look.(*subtitleLook); look.style.Size != 36 {
		t.Errorf("default size on 720p is %g, want 36 (5%% of 720)", look.style.Size)
	}
	for _, config := range []string{`{"wordsPerBatch":6}`, `{"wordsPerBatch":6,"fontSize":200}`, `{"wordsPerBatch":6,"fontSize":200,"position":"top","paddingBottom":0}`} {
		img := frameOf(t, subtitleDoc(1280, 720, 3, long, config), 1)
		top, bottom := inkRows(img)
		left, right := inkColumns(img)
		if top < 0 || top < 720*0.05-2 || bottom > 720*0.95+2 || left < 1280*0.05-2 || right > 1280*0.95+2 {
			t.Errorf("%s: the caption spans rows %d–%d, columns %d–%d: want inside the safe area (5%% margins)", config, top, bottom, left, right)
		}
	}
}

// Karaoke: every word spoken so far stays highlighted.
func TestSubtitleKaraoke(t *testing.T) {
	words := `[{"word":"one","start":0,"end":1},{"word":"two","start":1,"end":2},{"word":"three","start":2,"end":3}]`
	look := loadTimeline(t, parseDoc(t, subtitleDoc(480, 270, 3, words, `{"mode":"karaoke"}`))).items[0].look.(*subtitleLook)
	if _, spoken, shown, _ := look.state(2.5); spoken != 2 || shown != 3 {
		t.Errorf("karaoke at 2.5 s: spoken through word %d with %d shown, want through 2 with all 3", spoken, shown)
	}
}

// The subtitles contact sheet: cue 1, the gap, cue 2, stream, karaoke, hold, a long batch at a huge size
// shrunk into the safe area, and a background box.
func TestSubtitlesSheet(t *testing.T) {
	words := `[{"word":"Spoken","start":0,"end":1},{"word":"words","start":1,"end":2},{"word":"stay","start":2,"end":3},{"word":"lit","start":3,"end":4}]`
	long := `[{"word":"Captions","start":0,"end":0.5},{"word":"never","start":0.5,"end":1},{"word":"leave","start":1,"end":1.5},{"word":"the","start":1.5,"end":2},{"word":"frame","start":2,"end":2.5},{"word":"whatever","start":2.5,"end":3}]`
	frames := []*image.RGBA{
		frameOf(t, subtitleDoc(480, 270, 6, twoCues, `{}`), 1.0),
		frameOf(t, subtitleDoc(480, 270, 6, twoCues, `{}`), 3.0),
		frameOf(t, subtitleDoc(480, 270, 6, twoCues, `{}`), 4.3),
		frameOf(t, subtitleDoc(480, 270, 6, twoCues, `{"mode":"stream"}`), 4.9),
		frameOf(t, subtitleDoc(480, 270, 4, words, `{"mode":"karaoke"}`), 2.5),
		frameOf(t, subtitleDoc(480, 270, 6, `{"srt":"1\n00:00:00,000 --> 00:00:02,000\nHeld to the end\n"}`, `{"hold":true}`), 5.9),
		frameOf(t, subtitleDoc(480, 270, 3, long, `{"wordsPerBatch":6,"fontSize":120}`), 1),
		frameOf(t, subtitleDoc(480, 270, 6, twoCues, `{"backgroundColor":"#000000","position":"center"}`), 1.0),
	}
	checkSheet(t, "subtitles", frames, 4)
}

// scriptLines: one caption per script (and emoji), for the scripts contact sheet.
var scriptLines = []string{
	"Hello, wörld — ça va?", "Καλημέρα · Привет, мир", "مرحبا بالعالم 123", "שלום עולם 2024",
	"नमस्ते दुनिया · สวัสดีชาวโลก", "你好，世界！欢迎观看", "歡迎光臨，謝謝觀看", "こんにちは、カタカナと漢字", "안녕하세요 세계",
	"Party time 🎉🥳✨ 😀😂🙏", "❤️ 👍🏽 👨‍👩‍👧 🇯🇵 🇫🇷 🏳️‍🌈", "⭐ ☕ ⚽ 1️⃣ #️⃣ vs ★ ☺",
}

// Items 3 and 4 of issue 10: every script and emoji draws (no empty boxes, no warnings), right-to-left lines
// in bidi order, emoji in their own colours (skin tones, families, flags and keycaps as one glyph each; ★ and
// ☺ without U+FE0F stay text symbols). One contact sheet.
func TestScriptsSheet(t *testing.T) {
	var frames []*image.RGBA
	for _, line := range scriptLines {
		doc := fmt.Sprintf(`{"meta": {"version": "2.0.0", "width": 480, "height": 80, "fps": 30, "background": "#202030"},
			"tracks": [{"id": "a", "clips": [{"type":"text","text":%s,"start":0,"duration":1,"style":{"fontSize":36,"fill":"#ffffff"}}]}]}`, mustJSON(line))
		tl := loadTimeline(t, parseDoc(t, doc))
		if w := tl.Warnings(); len(w) > 0 {
			t.Errorf("%q: warnings %v", line, w)
		}
		img, err := tl.Frame(context.Background(), 0.5)
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, img)
	}
	checkSheet(t, "scripts", frames, 1)
}

// A character no font draws is a warning naming it and the clip (it was a silent empty box).
func TestUncoveredCharacterWarnsWithTheClipPath(t *testing.T) {
	tl := loadTimeline(t, parseDoc(t, smallDoc(`{"type":"text","text":"clef \uD834\uDD1E","start":0,"duration":1}`)))
	w := strings.Join(tl.Warnings(), "\n")
	if !strings.Contains(w, "tracks[0].clips[0]") || !strings.Contains(w, "U+1D11E") {
		t.Errorf("warnings %q: want the clip path and U+1D11E", w)
	}
}

// brightBox is the bounding box of pixels brighter than 150 in every channel (light code text on its panel).
func brightBox(img *image.RGBA) image.Rectangle {
	r := image.Rectangle{Min: image.Pt(1<<30, 1<<30)}
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			i := img.PixOffset(x, y)
			if img.Pix[i] > 150 && img.Pix[i+1] > 150 && img.Pix[i+2] > 150 {
				r.Min.X, r.Min.Y = min(r.Min.X, x), min(r.Min.Y, y)
				r.Max.X, r.Max.Y = max(r.Max.X, x+1), max(r.Max.Y, y+1)
			}
		}
	}
	return r
}

const codeSample = `"code":"x := 1\ny := 2\nz := x + y\nprint(z)","language":"go","fontSize":16`

// Item 8 of issue 10: a code clip keeps its font size in a box of another size (its glyphs were stretched to
// transform.width/height); the panel fills the box.
func TestCodeKeepsItsFontSizeInTheBox(t *testing.T) {
	natural := frameOf(t, smallDoc(`{"type":"code","start":0,"duration":2,`+codeSample+`}`), 0.5)
	boxed := frameOf(t, smallDoc(`{"type":"code","start":0,"duration":2,`+codeSample+`,"transform":{"width":300,"height":170}}`), 0.5)
	a, b := brightBox(natural), brightBox(boxed)
	// (Within a few pixels: the natural panel sits at a half-pixel offset, which softens its edges.)
	if !near(float64(a.Dy()), float64(b.Dy()), 5) || !near(float64(a.Dx()), float64(b.Dx()), 6) {
		t.Errorf("the text is %v in its own panel but %v in a 300x170 box: want the same size", a, b)
	}
	// The panel (not the #202030 background) reaches the box's corners.
	if c := meanColor(boxed, image.Rect(14, 10, 20, 16)); near(c[0], 0x20, 2) && near(c[2], 0x30, 2) {
		t.Errorf("the panel does not fill the box: %v at its top-left", c)
	}
}

// The reveal option: lines appear one after another, or characters as if typed.
func TestCodeReveal(t *testing.T) {
	lines := func(at float64, reveal string) int {
		img := frameOf(t, smallDoc(`{"type":"code","start":0,"duration":4,`+codeSample+`,"reveal":`+reveal+`}`), at)
		return brightBox(img).Dy()
	}
	one, all := lines(0.6, `{"mode":"line","duration":2}`), lines(3, `{"mode":"line","duration":2}`)
	if !(one > 0 && all > 3*one) {
		t.Errorf("line reveal: %d px of text at 0.6 s of a 2 s reveal of 4 lines, %d px when done", one, all)
	}
	if n := lines(0, `{"mode":"char","speed":10,"delay":1}`); n > 0 {
		t.Errorf("char reveal before its delay shows %d px of text", n)
	}
	img := frameOf(t, smallDoc(`{"type":"code","start":0,"duration":4,`+codeSample+`,"reveal":{"mode":"char","speed":10}}`), 0.35)
	typed, full := brightBox(img).Dx(), brightBox(frameOf(t, smallDoc(`{"type":"code","start":0,"duration":4,`+codeSample+`}`), 0.35)).Dx()
	if typed <= 0 || typed >= full {
		t.Errorf("char reveal at 0.35 s (3 characters): text %d px wide, the whole first line %d px", typed, full)
	}
}

// The code contact sheet: natural panel, a larger box, line reveal and typed reveal part-way.
func TestCodeSheet(t *testing.T) {
	c := func(extra string, at float64) *image.RGBA {
		return frameOf(t, smallDoc(`{"type":"code","start":0,"duration":4,`+codeSample+extra+`}`), at)
	}
	checkSheet(t, "code", []*image.RGBA{
		c(``, 1), c(`,"transform":{"width":300,"height":170}`, 1),
		c(`,"reveal":{"mode":"line","duration":2}`, 1.1), c(`,"reveal":{"mode":"char","speed":12}`, 1.5),
	}, 2)
}

// Item 4 of issue 10: animated GIF and WebP image clips play at the file's own frame timing from the clip's
// start (they showed their first frame for ever), loop, and each frame is a pure function of the time: asked
// out of order, twice, the same picture. The picture is 128×128 in the middle of 320×180: quarters centred
// at (128, 58), (192, 58), (128, 122), (192, 122).
func TestAnimatedImageClipsPlay(t *testing.T) {
	red, blue, green, yellow := [3]int{255, 0, 0}, [3]int{0, 0, 255}, [3]int{0, 255, 0}, [3]int{255, 255, 0}
	for _, file := range []string{"anim.gif", "anim.webp"} {
		tl := loadTimeline(t, parseDoc(t, smallDoc(`{"type":"image","src":"assets/animated/`+file+`","start":0.5,"duration":3,"transform":{"width":128,"height":128}}`)))
		for _, s := range []struct {
			at             float64
			tl, tr, bl, br [3]int
		}{
			{2.15, red, red, yellow, green}, // 1.65 s into the clip: the second play-through, last frame
			{0.55, red, red, red, red},
			{0.65, blue, red, red, red},
			{0.85, red, red, red, green},
			{1.15, red, red, yellow, green},
			{1.55, red, red, red, red},
			{0.65, blue, red, red, red},
		} {
			img, err := tl.Frame(context.Background(), s.at)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []struct {
				p    image.Point
				want [3]int
			}{{image.Pt(128, 58), s.tl}, {image.Pt(192, 58), s.tr}, {image.Pt(128, 122), s.bl}, {image.Pt(192, 122), s.br}} {
				c := img.RGBAAt(q.p.X, q.p.Y)
				if got := [3]int{int(c.R), int(c.G), int(c.B)}; got != q.want {
					t.Errorf("%s at %.2f s: pixel %v is %v, want %v", file, s.at, q.p, got, q.want)
				}
			}
		}
	}
}

// svgTextFile is an SVG with text: anchors, a gradient fill, a tspan with its own fill and style, fonts
// inherited from a group and set in style, CJK and a symbol through the fallback chain.
const svgTextFile = "assets/text.svg"

// Item 7 of issue 10: SVG <text> is drawn (it was dropped), with the engine's fonts, in svg clips and in image
// clips with an .svg src: both draw the same picture. Golden svg_text.png; the pixels under each text line are
// the text's colour.
func TestSVGText(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", svgTextFile))
	if err != nil {
		t.Fatal(err)
	}
	svgClip := frameOf(t, smallDoc(`{"type":"svg","start":0,"duration":1,"svg":`+mustJSON(string(data))+`,"transform":{"width":320,"height":180}}`), 0.5)
	imageClip := frameOf(t, smallDoc(`{"type":"image","src":"`+svgTextFile+`","start":0,"duration":1,"transform":{"width":320,"height":180}}`), 0.5)
	worst := 0
	for y := 0; y < svgClip.Rect.Dy(); y++ {
		for x := 0; x < svgClip.Rect.Dx(); x++ {
			worst = max(worst, golden.Diff(svgClip.RGBAAt(x, y), imageClip.RGBAAt(x, y)))
		}
	}
	if worst > 2 {
		t.Errorf("svg clip and image clip differ (by up to %d)", worst)
	}
	checkGolden(t, "svg_text", svgClip)
	// Each line has ink of its colour where the text is (a dropped <text> left the background only).
	for _, line := range []struct {
		name  string
		r     image.Rectangle
		match func(c color.RGBA) bool
	}{
		{"gradient title", image.Rect(80, 20, 240, 50), func(c color.RGBA) bool { return c.R > 200 && c.G > 100 && c.B < 80 }},
		{"white left text", image.Rect(20, 75, 70, 100), func(c color.RGBA) bool { return c.R > 200 && c.G > 200 && c.B > 200 }},
		{"blue tspan", image.Rect(70, 75, 130, 100), func(c color.RGBA) bool { return c.B > 200 && c.R < 100 }},
		{"pink end-anchored", image.Rect(130, 120, 300, 145), func(c color.RGBA) bool { return c.R > 200 && c.B > 150 && c.G < 150 }},
	} {
		n := 0
		for y := line.r.Min.Y; y < line.r.Max.Y; y++ {
			for x := line.r.Min.X; x < line.r.Max.X; x++ {
				if line.match(svgClip.RGBAAt(x, y)) {
					n++
				}
			}
		}
		if n < 40 {
			t.Errorf("%s: %d pixels of its colour in %v: the text is not drawn there", line.name, n, line.r)
		}
	}
}
