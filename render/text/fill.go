package text

import (
	"image"
	"image/color"

	"github.com/framecast/framecast/render/paint"
	"github.com/framecast/framecast/schemas"
)

// defaultFill is the text color when a Style sets none.
var defaultFill = schemas.SolidPaint("#ffffff")

// paintSource returns the image glyphs are painted with: override when set, else p, else def (which may be
// nil). Gradients span the box (x0, y0, w, h) of the layer (see paint.Source). A nil image means nothing
// would be visible.
func paintSource(p *schemas.Paint, override *color.NRGBA, def *schemas.Paint, x0, y0, w, h float64) (image.Image, error) {
	var src image.Image
	switch {
	case override != nil:
		src = image.NewUniform(*override)
	case p != nil || def != nil:
		if p == nil {
			p = def
		}
		var err error
		if src, err = paint.Source(p, x0, y0, w, h); err != nil {
			return nil, err
		}
	default:
		return nil, nil
	}
	if u, ok := src.(*image.Uniform); ok {
		if _, _, _, a := u.RGBA(); a == 0 {
			return nil, nil
		}
	}
	return src, nil
}
