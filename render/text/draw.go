package text

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"sync"

	"golang.org/x/image/vector"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
)

// budget bounds the layers this package draws (schemas.DrawBudget).
var budget = schemas.DrawBudget()

// clampLayer bounds a layer of w × h px to the budget's side and area. Text this large reaches far past any
// frame (the font size and the text length are bounded too): it is cut at the bound rather than refused, so
// that a document that validates renders.
func clampLayer(w, h int) (int, int) {
	w, h = min(w, budget.MaxLayerSide), min(h, budget.MaxLayerSide)
	if w > 0 && w*h > budget.MaxLayerPixels {
		h = budget.MaxLayerPixels / w
	}
	return w, h
}

var rasterizers = sync.Pool{New: func() any { return vector.NewRasterizer(0, 0) }}

// Draw lays out s with st and paints it into a new layer. The layer's box is the text box (Block.BoxWidth ×
// Block.BoxHeight); the image is larger when glyphs, the stroke or synthetic styles reach past the box. The
// returned warnings tell about substitutions such as an unknown font family.
func (r *Registry) Draw(s string, st Style) (raster.Layer, []string, error) {
	b, err := r.Layout(s, st)
	if err != nil {
		return raster.Layer{}, nil, err
	}
	st, _ = st.withDefaults() // Layout has validated st
	layer, err := b.draw(st)
	if err != nil {
		return raster.Layer{}, b.Warnings, err
	}
	return layer, b.Warnings, nil
}

// glyphPlacement returns where glyph g of line l lands in a layer whose box starts at (boxX, boxY).
func (b *Block) glyphPlacement(l *Line, g placedGlyph, boxX, boxY float64) placement {
	return placement{ox: boxX + l.X + g.x, oy: boxY + l.Baseline + g.y, size: b.size, skew: b.skew}
}

// draw paints the block: the stroke, then the fill over it.
func (b *Block) draw(st Style) (raster.Layer, error) {
	pad := st.StrokeWidth/2 + b.embolden/2 + 1
	inkX0, inkY0, inkX1, inkY1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range b.Lines {
		l := &b.Lines[i]
		for _, g := range l.glyphs {
			o := g.face.outline(g.id)
			if o.empty() {
				continue
			}
			x0, y0, x1, y1 := o.bounds(b.glyphPlacement(l, g, 0, 0))
			inkX0, inkY0 = math.Min(inkX0, x0-pad), math.Min(inkY0, y0-pad)
			inkX1, inkY1 = math.Max(inkX1, x1+pad), math.Max(inkY1, y1+pad)
		}
	}
	ix0, iy0 := math.Floor(math.Min(0, inkX0)), math.Floor(math.Min(0, inkY0))
	w := int(math.Ceil(math.Max(b.BoxWidth, inkX1)) - ix0)
	h := int(math.Ceil(math.Max(b.BoxHeight, inkY1)) - iy0)
	w, h = clampLayer(w, h)
	layer := raster.NewLayer(w, h)
	layer.BoxX, layer.BoxY, layer.BoxW, layer.BoxH = 0-ix0, 0-iy0, b.BoxWidth, b.BoxHeight
	if math.IsInf(inkX0, 1) {
		return layer, nil // nothing but spaces
	}
	// Only the pixels the glyphs can touch are rasterized: a line in a wide box costs its own width.
	ink := image.Rect(int(math.Floor(inkX0-ix0)), int(math.Floor(inkY0-iy0)),
		int(math.Ceil(inkX1-ix0)), int(math.Ceil(inkY1-iy0))).Intersect(layer.Img.Rect)

	if st.StrokeWidth > 0 {
		src, err := paintSource(st.Stroke, st.StrokeColor, nil, layer.BoxX, layer.BoxY, layer.BoxW, layer.BoxH)
		if err != nil {
			return raster.Layer{}, fmt.Errorf("draw text: stroke: %w", err)
		}
		if src != nil {
			b.paint(layer, ink, src, (st.StrokeWidth+b.embolden)/2, false)
		}
	}
	src, err := paintSource(st.Fill, st.FillColor, defaultFill, layer.BoxX, layer.BoxY, layer.BoxW, layer.BoxH)
	if err != nil {
		return raster.Layer{}, fmt.Errorf("draw text: fill: %w", err)
	}
	if src != nil {
		b.paint(layer, ink, src, b.embolden/2, true)
	}
	return layer, nil
}

// paint rasterizes the block's glyphs into the ink rectangle of layer with src. With fill set it fills the outlines, grown by
// grow pixels (synthetic bold); without, it paints only the band within grow pixels of the outlines (a
// stroke).
func (b *Block) paint(layer raster.Layer, ink image.Rectangle, src image.Image, grow float64, fill bool) {
	z := rasterizers.Get().(*vector.Rasterizer)
	defer rasterizers.Put(z)
	z.Reset(ink.Dx(), ink.Dy())
	var flat flattener
	type colorGlyph struct {
		o *glyphOutline
		p placement
	}
	var colored []colorGlyph
	for i := range b.Lines {
		l := &b.Lines[i]
		for _, g := range l.glyphs {
			o := g.face.outline(g.id)
			if o.empty() {
				continue
			}
			p := b.glyphPlacement(l, g, layer.BoxX-float64(ink.Min.X), layer.BoxY-float64(ink.Min.Y))
			if len(o.layers) > 0 {
				if fill { // drawn in its own colours after the fill; a stroke goes around its silhouette
					colored = append(colored, colorGlyph{o, b.glyphPlacement(l, g, layer.BoxX, layer.BoxY)})
				} else {
					flat.contours = flat.contours[:0]
					o.emitLayers(&flat, p)
					strokeContours(z, flat.contours, grow, 1)
				}
				continue
			}
			if fill {
				o.emit(z, p)
			}
			if grow > 0 {
				flat.contours = flat.contours[:0]
				o.emit(&flat, p)
				sign := 1.0
				if fill && signedArea(flat.contours) < 0 {
					sign = -1 // match the glyph's own winding so the band merges with the fill
				}
				strokeContours(z, flat.contours, grow, sign)
			}
		}
	}
	drawMask(z, layer.Img, ink, src)
	for _, c := range colored {
		drawColorGlyph(layer.Img, ink, c.o, c.p, src)
	}
}

// drawMask composites src through the rasterizer's coverage onto the rectangle r of dst (source-over). src
// is in dst's coordinates.
func drawMask(z *vector.Rasterizer, dst *image.RGBA, r image.Rectangle, src image.Image) {
	if _, ok := src.(*image.Uniform); ok {
		z.DrawOp = draw.Over
		z.Draw(dst, r, src, image.Point{})
		return
	}
	mask := image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
	z.DrawOp = draw.Src
	z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
	draw.DrawMask(dst, r, src, r.Min, mask, image.Point{}, draw.Over)
}
