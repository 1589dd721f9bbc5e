// Package raster holds the image types the render packages pass to each other.
package raster

import (
	"image"

	"github.com/framecast/framecast/render/hugemem"
)

// Layer is a clip's drawn content in the clip's own coordinates, before it is placed on the canvas.
//
// Img is premultiplied RGBA. The clip's box (the rectangle its transform describes, the thing the anchor,
// rotation and scale refer to) has size BoxW × BoxH and its top-left corner lies at (BoxX, BoxY) inside Img,
// so content such as a stroke or a shadow may extend past the box on any side.
type Layer struct {
	Img        *image.RGBA
	BoxX, BoxY float64
	BoxW, BoxH float64
	// Opaque says every pixel of Img has alpha 255 (a decoded frame of a video without alpha): a draw that
	// copies it at a whole-pixel offset replaces what lies under it, so nothing needs to be put there first.
	// A layer made from another with other pixels must leave it false unless it keeps alpha.
	Opaque bool
}

// Empty reports whether the layer has nothing to draw.
func (l Layer) Empty() bool { return l.Img == nil || l.Img.Rect.Empty() }

// NewLayer returns a transparent layer of w × h pixels whose box is the whole image.
func NewLayer(w, h int) Layer {
	if w < 1 {
		w = 1
	}
	if h < 1 {
		h = 1
	}
	return Layer{Img: hugemem.NewRGBA(image.Rect(0, 0, w, h)), BoxW: float64(w), BoxH: float64(h)}
}
