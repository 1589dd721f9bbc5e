package motion

import "github.com/framecast/framecast/schemas"

// Box is a reference box: the rectangle that percentages and positions are measured in. It is the canvas
// (X = Y = 0, W × H = the video size), or the inner box of the layout a clip sits in.
type Box struct{ X, Y, W, H float64 }

// Geometry is where and how a clip's box is placed on the canvas. The box of Width × Height px has its anchor
// point (AnchorX, AnchorY, fractions of the box) at canvas point (X, Y); scale, rotation and skew act around
// that point.
type Geometry struct {
	X, Y             float64 // canvas px of the anchor point
	Width, Height    float64 // box size in px
	AnchorX, AnchorY float64 // anchor inside the box, 0..1 (center = 0.5, 0.5)
	ScaleX, ScaleY   float64
	Rotation         float64 // degrees clockwise
	SkewX, SkewY     float64 // degrees
	Opacity          float64 // 0..1
}

// anchors maps each anchor name to its point inside the box.
var anchors = map[schemas.Anchor][2]float64{
	"":                        {0.5, 0.5},
	schemas.AnchorCenter:      {0.5, 0.5},
	schemas.AnchorTopLeft:     {0, 0},
	schemas.AnchorTop:         {0.5, 0},
	schemas.AnchorTopRight:    {1, 0},
	schemas.AnchorLeft:        {0, 0.5},
	schemas.AnchorRight:       {1, 0.5},
	schemas.AnchorBottomLeft:  {0, 1},
	schemas.AnchorBottom:      {0.5, 1},
	schemas.AnchorBottomRight: {1, 1},
}

// Base returns the static geometry of clip c in reference box ref, from its transform, opacity and
// style.opacity, with the document's defaults: x and y "50%" of ref (measured from ref's top-left corner),
// anchor center (an unknown anchor also means center), scale 1, no rotation or skew, opacity 1.
// style.opacity wins over the clip's opacity.
//
// Width and Height come from transform.width and transform.height (percentages of ref.W and ref.H). When the
// transform does not give them they are 0, and the caller must set them to the clip's intrinsic size (a
// text's measured box, an image's pixels, a circle's diameter…) before evaluating motion.
func Base(c *schemas.BaseClip, ref Box) Geometry {
	g := Geometry{
		X: ref.X + ref.W/2, Y: ref.Y + ref.H/2,
		AnchorX: 0.5, AnchorY: 0.5,
		ScaleX: 1, ScaleY: 1,
		Opacity: 1,
	}
	if c == nil {
		return g
	}
	if tr := c.Transform; tr != nil {
		if tr.X != nil {
			g.X = ref.X + tr.X.Px(ref.W)
		}
		if tr.Y != nil {
			g.Y = ref.Y + tr.Y.Px(ref.H)
		}
		if tr.Width != nil {
			g.Width = tr.Width.Px(ref.W)
		}
		if tr.Height != nil {
			g.Height = tr.Height.Px(ref.H)
		}
		if a, ok := anchors[tr.Anchor]; ok {
			g.AnchorX, g.AnchorY = a[0], a[1]
		}
		if tr.Scale != nil {
			g.ScaleX, g.ScaleY = tr.Scale.X, tr.Scale.Y
		}
		g.Rotation = tr.Rotation
		if tr.Skew != nil {
			g.SkewX, g.SkewY = tr.Skew[0], tr.Skew[1]
		}
	}
	switch {
	case c.Style != nil && c.Style.Opacity != nil:
		g.Opacity = *c.Style.Opacity
	case c.Opacity != nil:
		g.Opacity = *c.Opacity
	}
	return g
}
