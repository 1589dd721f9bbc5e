package compose

import (
	"image"
	"image/color"
	"image/draw"
)

// Fill paints src over the whole of dst, replacing what was there (the background of a frame). A uniform
// source (*image.Uniform) is written by copying one prepared row; an *image.RGBA of the same size is copied
// row by row; anything else goes through image/draw, read at dst's own coordinates. Fill is meant for backgrounds, which are opaque; a
// translucent source is stored as is, not blended.
func Fill(dst *image.RGBA, src image.Image) {
	if dst == nil || dst.Rect.Empty() || src == nil || !wellFormed(dst) {
		return
	}
	switch s := src.(type) {
	case *image.Uniform:
		FillColor(dst, color.RGBAModel.Convert(s.C).(color.RGBA))
	case *image.RGBA:
		if !wellFormed(s) {
			return
		}
		if s.Rect.Size() == dst.Rect.Size() {
			n := dst.Rect.Dx() * 4
			for y := range dst.Rect.Dy() {
				copy(dst.Pix[y*dst.Stride:y*dst.Stride+n], s.Pix[y*s.Stride:y*s.Stride+n])
			}
			return
		}
		draw.Draw(dst, dst.Rect, src, s.Rect.Min, draw.Src)
	default:
		// Sources without bounds (gradients are defined over the whole plane, their Bounds are huge) are read
		// in dst's own coordinates: the pixel at (x, y) of dst takes the source's colour at (x, y). Reading
		// from src.Bounds().Min would sample a gradient a billion pixels away, giving one flat colour.
		draw.Draw(dst, dst.Rect, src, dst.Rect.Min, draw.Src)
	}
}

// FillColor sets every pixel of dst to the premultiplied colour c.
func FillColor(dst *image.RGBA, c color.RGBA) {
	if dst == nil || dst.Rect.Empty() || !wellFormed(dst) {
		return
	}
	n := dst.Rect.Dx() * 4
	first := dst.Pix[:n]
	first[0], first[1], first[2], first[3] = c.R, c.G, c.B, c.A
	for filled := 4; filled < n; filled *= 2 {
		copy(first[filled:], first[:filled])
	}
	for y := 1; y < dst.Rect.Dy(); y++ {
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+n], first)
	}
}

// Clear makes every pixel of dst transparent black.
func Clear(dst *image.RGBA) {
	if dst == nil || dst.Rect.Empty() || !wellFormed(dst) {
		return
	}
	n := dst.Rect.Dx() * 4
	for y := range dst.Rect.Dy() {
		clear(dst.Pix[y*dst.Stride : y*dst.Stride+n])
	}
}

// wellFormed reports whether img's pixel slice really holds its rectangle, so that row slicing cannot go
// out of range. A hand-built image.RGBA may not.
func wellFormed(img *image.RGBA) bool {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	return h <= 0 || w <= 0 || img.Stride >= w*4 && len(img.Pix) >= (h-1)*img.Stride+w*4
}
