package render

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"path/filepath"
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
// a lossy WebP with black at 0 and white at 255, a 16-bit PNG. One contact sheet.
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
	checkSheet(t, "photos", frames, 5)
}
