package paint

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/framecast/framecast/schemas"
)

// ParseColor reads a CSS color (see schemas.ParseColor) and names the failing value in its error.
// The result is not premultiplied.
func ParseColor(s schemas.Color) (color.NRGBA, error) {
	c, err := schemas.ParseColor(string(s))
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("paint: %w", err)
	}
	return c, nil
}

// premultiply converts a straight-alpha color to the premultiplied form the layers store.
func premultiply(c color.NRGBA) color.RGBA {
	a := uint32(c.A)
	return color.RGBA{
		R: uint8((uint32(c.R)*a + 127) / 255),
		G: uint8((uint32(c.G)*a + 127) / 255),
		B: uint8((uint32(c.B)*a + 127) / 255),
		A: c.A,
	}
}

// Source returns the image to fill with for p, laid out over the w×h box whose top-left corner is (x0, y0) in
// the coordinates of the image being drawn into.
//
// A color gives an *image.Uniform. A gradient gives an unbounded image whose colors follow the box:
//   - linear: angle in degrees, 0 = left to right, 90 = top to bottom (clockwise, like every angle of the
//     document); default 90. The gradient line passes through the box center and is as long as the box's
//     projection on it, so the first and last stops touch the box corners, as in CSS.
//   - radial: a circle from the box center (offset 0) to the farthest corner (offset 1).
//   - conic: around the box center, starting at angle (0 = 3 o'clock, default 0) and turning clockwise.
//
// Stops are sorted by offset and interpolated in sRGB between premultiplied colors; before the first stop and
// after the last the end colors continue. A nil paint gives a transparent image.
func Source(p *schemas.Paint, x0, y0, w, h float64) (image.Image, error) {
	if p == nil {
		return image.Transparent, nil
	}
	if p.Gradient == nil {
		c, err := ParseColor(p.Color)
		if err != nil {
			return nil, err
		}
		return image.NewUniform(premultiply(c)), nil
	}
	return newGradient(p.Gradient, x0, y0, w, h)
}

// lutSize is the number of precomputed colors along a gradient: more than the 8-bit steps any two stops can
// produce over a full-HD frame needs, so banding comes from the 8-bit output, not from the table.
const lutSize = 2048

// gradient is an image.Image whose color depends on the position in its box. It implements image.RGBA64Image
// so that image/draw reads it without allocating.
type gradient struct {
	kind   schemas.GradientType
	cx, cy float64 // box center
	dx, dy float64 // linear: unit direction
	length float64 // linear: length of the gradient line; radial: radius
	start  float64 // conic: start angle in radians
	lut    [lutSize]color.RGBA
}

func newGradient(g *schemas.Gradient, x0, y0, w, h float64) (*gradient, error) {
	if len(g.Stops) == 0 {
		return nil, fmt.Errorf("paint: gradient has no stops")
	}
	gr := &gradient{kind: g.Type, cx: x0 + w/2, cy: y0 + h/2}
	switch g.Type {
	case schemas.GradientLinear:
		angle := 90.0
		if g.Angle != nil {
			angle = *g.Angle
		}
		rad := angle * math.Pi / 180
		gr.dx, gr.dy = math.Cos(rad), math.Sin(rad)
		gr.length = math.Abs(w*gr.dx) + math.Abs(h*gr.dy)
	case schemas.GradientRadial:
		gr.length = math.Hypot(w, h) / 2
	case schemas.GradientConic:
		if g.Angle != nil {
			gr.start = *g.Angle * math.Pi / 180
		}
	default:
		return nil, fmt.Errorf("paint: unknown gradient type %q: want linear, radial or conic", g.Type)
	}
	if gr.length < 1e-9 {
		gr.length = 1e-9
	}
	if err := gr.fillTable(g.Stops); err != nil {
		return nil, err
	}
	return gr, nil
}

// fillTable precomputes the premultiplied colors at lutSize evenly spaced offsets.
func (g *gradient) fillTable(stops []schemas.GradientStop) error {
	type stop struct {
		at   float64
		rgba [4]float64 // premultiplied, 0..255
	}
	list := make([]stop, len(stops))
	for i, s := range stops {
		c, err := ParseColor(s.Color)
		if err != nil {
			return fmt.Errorf("gradient stop %d: %w", i, err)
		}
		p := premultiply(c)
		list[i] = stop{at: math.Min(1, math.Max(0, s.Offset)), rgba: [4]float64{float64(p.R), float64(p.G), float64(p.B), float64(p.A)}}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].at < list[j].at })
	k := 0
	for i := range g.lut {
		t := float64(i) / (lutSize - 1)
		for k < len(list)-1 && list[k+1].at < t {
			k++
		}
		var c [4]float64
		switch {
		case t <= list[0].at:
			c = list[0].rgba
		case k == len(list)-1:
			c = list[k].rgba
		default:
			a, b := list[k], list[k+1]
			f := 0.0
			if b.at > a.at {
				f = (t - a.at) / (b.at - a.at)
			}
			for j := range c {
				c[j] = a.rgba[j] + (b.rgba[j]-a.rgba[j])*f
			}
		}
		g.lut[i] = color.RGBA{uint8(c[0] + 0.5), uint8(c[1] + 0.5), uint8(c[2] + 0.5), uint8(c[3] + 0.5)}
	}
	return nil
}

// offset returns the gradient position (0..1, clamped) of the point (x, y).
func (g *gradient) offset(x, y float64) float64 {
	x, y = x-g.cx, y-g.cy
	var t float64
	switch g.kind {
	case schemas.GradientLinear:
		t = (x*g.dx+y*g.dy)/g.length + 0.5
	case schemas.GradientRadial:
		t = math.Hypot(x, y) / g.length
	default: // conic: atan2 grows clockwise on screen because y points down
		a := math.Atan2(y, x) - g.start
		t = math.Mod(a, 2*math.Pi) / (2 * math.Pi)
		if t < 0 {
			t++
		}
	}
	return min(1, max(0, t))
}

// RGBAAt returns the premultiplied color at the center of pixel (x, y).
func (g *gradient) RGBAAt(x, y int) color.RGBA {
	t := g.offset(float64(x)+0.5, float64(y)+0.5)
	return g.lut[int(t*(lutSize-1)+0.5)]
}

// ColorModel returns color.RGBAModel.
func (g *gradient) ColorModel() color.Model { return color.RGBAModel }

// Bounds is unbounded, like image.Uniform's.
func (g *gradient) Bounds() image.Rectangle { return image.Rect(-1e9, -1e9, 1e9, 1e9) }

// At returns the color at pixel (x, y).
func (g *gradient) At(x, y int) color.Color { return g.RGBAAt(x, y) }

// RGBA64At returns the color at pixel (x, y) in 16 bits per channel.
func (g *gradient) RGBA64At(x, y int) color.RGBA64 {
	c := g.RGBAAt(x, y)
	return color.RGBA64{uint16(c.R) * 0x101, uint16(c.G) * 0x101, uint16(c.B) * 0x101, uint16(c.A) * 0x101}
}
