package three

import (
	"image"
	"slices"
	"strings"
	"testing"

	"github.com/framecast/framecast/internal/golden"
	"github.com/framecast/framecast/schemas"
)

func ptr[T any](v T) *T { return &v }

func color(s string) *schemas.Color { return ptr(schemas.Color(s)) }

// demoScene is a rotated red box, a blue sphere and a gold torus under a white key light and a warm point
// light, seen from slightly above.
func demoScene() *schemas.ThreeClip {
	c := &schemas.ThreeClip{
		Camera: &schemas.ThreeCamera{Position: &[3]float64{0, 1.5, 6}},
		Lights: []schemas.ThreeLight{
			{Type: "ambient", Intensity: ptr(0.3)},
			{Type: "directional", Position: &[3]float64{-1, 2, 3}, Intensity: ptr(0.8)},
			{Type: "point", Position: &[3]float64{3, 0, 2}, Color: color("#ffaa66"), Intensity: ptr(0.6)},
		},
		Objects: []schemas.ThreeObject{
			{Type: "box", Position: &[3]float64{-2, 0, 0}, Rotation: &[3]float64{30, 45, 0}, Size: &[3]float64{1.2, 1.2, 1.2},
				Material: &schemas.ThreeMaterial{Color: color("#e04040")}},
			{Type: "sphere", Scale: ptr(1.5), Material: &schemas.ThreeMaterial{Color: color("#4080ff")}},
			{Type: "torus", Position: &[3]float64{2, 0, 0}, Rotation: &[3]float64{60, 0, 0}, Scale: ptr(1.6),
				Material: &schemas.ThreeMaterial{Color: color("#f0c030")}},
		},
	}
	c.Duration = 2
	return c
}

func draw(t testing.TB, c *schemas.ThreeClip, w, h int, at float64) (*image.RGBA, []string) {
	t.Helper()
	layer, warnings, err := Draw(c, w, h, at)
	if err != nil {
		t.Fatal(err)
	}
	if layer.Img.Rect.Dx() != w || layer.Img.Rect.Dy() != h || layer.BoxW != float64(w) || layer.BoxH != float64(h) {
		t.Fatalf("layer %v with box %g×%g, want %d×%d", layer.Img.Rect, layer.BoxW, layer.BoxH, w, h)
	}
	return layer.Img, warnings
}

func TestSceneGolden(t *testing.T) {
	img, warnings := draw(t, demoScene(), 160, 120, 0)
	if len(warnings) > 0 {
		t.Errorf("warnings %v", warnings)
	}
	golden.Check(t, "testdata/scene.png", img, golden.Tolerance{Channel: 2})
}

func TestWireframeGolden(t *testing.T) {
	c := demoScene()
	for i := range c.Objects {
		c.Objects[i].Material.Wireframe = i != 1
	}
	img, _ := draw(t, c, 160, 120, 0)
	golden.Check(t, "testdata/wireframe.png", img, golden.Tolerance{Channel: 2})
}

func TestAllPrimitivesGolden(t *testing.T) {
	c := &schemas.ThreeClip{Camera: &schemas.ThreeCamera{Position: &[3]float64{0, 2, 7}}}
	for i, kind := range []schemas.ThreeShape{schemas.ShapeBox, schemas.ShapeSphere, schemas.ShapeCylinder, schemas.ShapeCone, schemas.ShapeTorus, schemas.ShapePlane} {
		c.Objects = append(c.Objects, schemas.ThreeObject{Type: kind,
			Position: &[3]float64{float64(i%3)*2 - 2, 1 - float64(i/3)*2, 0}, Rotation: &[3]float64{20, 30, 0}})
	}
	img, _ := draw(t, c, 160, 120, 0)
	golden.Check(t, "testdata/primitives.png", img, golden.Tolerance{Channel: 2})
}

func TestAnimationChangesThePicture(t *testing.T) {
	c := &schemas.ThreeClip{Objects: []schemas.ThreeObject{{Type: "box", Animations: []schemas.ThreeAnimation{
		{Property: "rotation.y", From: 0, To: 90, Duration: 2, Easing: "easeInOutCubic"},
		{Property: "position.x", From: -1, To: 1}, // over the clip's duration
	}}}}
	c.Duration = 4
	first, _ := draw(t, c, 64, 48, 0)
	second, _ := draw(t, c, 64, 48, 1)
	if slices.Equal(first.Pix, second.Pix) {
		t.Fatal("the frames at t=0 and t=1 are identical")
	}
	// At t=0 the box sits left of center (x = -1), at t=4 right of it.
	end, _ := draw(t, c, 64, 48, 4)
	if first.RGBAAt(16, 24).A == 0 || first.RGBAAt(48, 24).A != 0 {
		t.Error("at t=0 the box is not on the left")
	}
	if end.RGBAAt(48, 24).A == 0 || end.RGBAAt(16, 24).A != 0 {
		t.Error("at the end the box is not on the right")
	}
}

func TestDefaultCameraCentersTheObject(t *testing.T) {
	img, _ := draw(t, &schemas.ThreeClip{Objects: []schemas.ThreeObject{{Type: "sphere"}}}, 80, 60, 0)
	if a := img.RGBAAt(40, 30).A; a != 255 {
		t.Errorf("center alpha %d, want 255", a)
	}
	for _, p := range []image.Point{{0, 0}, {79, 0}, {0, 59}, {79, 59}} {
		if a := img.RGBAAt(p.X, p.Y).A; a != 0 {
			t.Errorf("corner %v alpha %d, want 0", p, a)
		}
	}
	// The default light comes from the upper right: that side of the sphere is brighter.
	if img.RGBAAt(44, 26).R <= img.RGBAAt(36, 34).R {
		t.Errorf("upper right %v not brighter than lower left %v", img.RGBAAt(44, 26), img.RGBAAt(36, 34))
	}
}

func TestModelIsSkippedWithAWarning(t *testing.T) {
	c := &schemas.ThreeClip{Objects: []schemas.ThreeObject{{Type: "box"}, {Type: "model"}}}
	img, warnings := draw(t, c, 40, 30, 0)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "object 1") {
		t.Errorf("warnings %q, want one naming object 1", warnings)
	}
	if img.RGBAAt(20, 15).A == 0 {
		t.Error("the box was not drawn")
	}
}

func TestCameraInsideAnObjectClips(t *testing.T) {
	// The camera sits inside a big plane's span, close to it: the near plane must cut triangles cleanly.
	c := &schemas.ThreeClip{
		Camera:  &schemas.ThreeCamera{Position: &[3]float64{0, 0.5, 0}, LookAt: &[3]float64{0, 0, -5}},
		Objects: []schemas.ThreeObject{{Type: "plane", Size: &[3]float64{20, 20, 1}, Rotation: &[3]float64{-90, 0, 0}}},
	}
	img, _ := draw(t, c, 40, 30, 0)
	if img.RGBAAt(20, 29).A != 255 || img.RGBAAt(20, 0).A != 0 {
		t.Errorf("floor bottom alpha %d, sky alpha %d; want 255 and 0", img.RGBAAt(20, 29).A, img.RGBAAt(20, 0).A)
	}
}

func TestBadInputIsAnError(t *testing.T) {
	for name, c := range map[string]*schemas.ThreeClip{
		"object type": {Objects: []schemas.ThreeObject{{Type: "teapot"}}},
		"light type":  {Lights: []schemas.ThreeLight{{Type: "spot"}}},
		"color":       {Objects: []schemas.ThreeObject{{Type: "box", Material: &schemas.ThreeMaterial{Color: color("nope")}}}},
		"size":        {Objects: []schemas.ThreeObject{{Type: "box", Size: &[3]float64{1, 0, 1}}}},
		"property":    {Objects: []schemas.ThreeObject{{Type: "box", Animations: []schemas.ThreeAnimation{{Property: "scale"}}}}},
		"easing":      {Objects: []schemas.ThreeObject{{Type: "box", Animations: []schemas.ThreeAnimation{{Property: "rotation.x", Easing: "wobbly"}}}}},
		"fov":         {Camera: &schemas.ThreeCamera{FOV: ptr(0.0)}},
		"camera":      {Camera: &schemas.ThreeCamera{Position: &[3]float64{}}},
	} {
		if _, _, err := Draw(c, 10, 10, 0); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, _, err := Draw(nil, 10, 10, 0); err == nil {
		t.Error("nil clip: no error")
	}
	if _, _, err := Draw(&schemas.ThreeClip{}, 0, 10, 0); err == nil {
		t.Error("zero width: no error")
	}
}

func BenchmarkFullHD(b *testing.B) {
	c := demoScene()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Draw(c, 1920, 1080, 0.5); err != nil {
			b.Fatal(err)
		}
	}
}
