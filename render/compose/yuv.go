package compose

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
)

// BT.709 limited-range coefficients in 16-bit fixed point. Y = 16 + 219/255·(Kr·R + Kg·G + Kb·B) with
// Kr = 0.2126, Kb = 0.0722, Kg = 1 − Kr − Kb; Cb and Cr scale (B − Y) and (R − Y) to ±112 around 128. Each
// row of coefficients was rounded so it sums exactly to 219/255 (luma) or 0 (chroma), keeping grey grey.
const (
	yR, yG, yB = 11966, 40254, 4064
	uR, uG, uB = -6596, -22188, 28784
	vR, vG, vB = 28784, -26145, -2639
)

// YUV420Size returns the size in bytes of a w × h yuv420p frame: a full-size Y plane and two chroma planes
// of ⌈w/2⌉ × ⌈h/2⌉.
func YUV420Size(w, h int) int {
	cw, ch := (w+1)/2, (h+1)/2
	return w*h + 2*cw*ch
}

// ToYUV420 converts src into the yuv420p frame dst (Y plane, then U, then V; see [YUV420Size]) in BT.709
// limited range. Chroma is the average of each 2×2 block; an odd last column or row is averaged with itself.
// Pixels are read as premultiplied, that is as if composited over black (a finished frame is opaque anyway).
func ToYUV420(dst []byte, src *image.RGBA) error {
	if src == nil {
		return fmt.Errorf("compose: convert to yuv420p: no source image")
	}
	return ToYUV420Rows(dst, src, 0, src.Rect.Dy())
}

// ToYUV420Rows is [ToYUV420] for rows y0..y1-1 of src only (counted from the top of src), leaving the rest
// of dst as it was. The band is widened to even boundaries, since each chroma row covers two image rows.
func ToYUV420Rows(dst []byte, src *image.RGBA, y0, y1 int) error {
	if src == nil {
		return fmt.Errorf("compose: convert to yuv420p: no source image")
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if need := YUV420Size(w, h); len(dst) < need {
		return fmt.Errorf("compose: convert %d×%d to yuv420p: destination holds %d bytes, need %d", w, h, len(dst), need)
	}
	if !wellFormed(src) {
		return fmt.Errorf("compose: convert %d×%d to yuv420p: malformed image (stride %d, %d bytes of pixels)", w, h, src.Stride, len(src.Pix))
	}
	y0 = max(0, y0) &^ 1
	y1 = min(h, (y1+1)&^1)
	cw, ch := (w+1)/2, (h+1)/2
	yPlane, uPlane, vPlane := dst[:w*h], dst[w*h:w*h+cw*ch], dst[w*h+cw*ch:w*h+2*cw*ch]
	for y := y0; y < y1; y += 2 {
		next := min(y+1, h-1)
		convertRowPair(
			yPlane[y*w:y*w+w], yPlane[next*w:next*w+w],
			uPlane[y/2*cw:y/2*cw+cw], vPlane[y/2*cw:y/2*cw+cw],
			src.Pix[y*src.Stride:y*src.Stride+w*4], src.Pix[next*src.Stride:next*src.Stride+w*4])
	}
	return nil
}

// convertRowPair converts two RGBA rows (the same slice twice for an odd last row) into two luma rows and
// one row each of U and V.
func convertRowPair(y0, y1, u, v, top, bottom []byte) {
	if !fastWords {
		lumaRow(y0, top)
		lumaRow(y1, bottom)
		chromaRow(u, v, top, bottom)
		return
	}
	w := len(y0)
	tw, bw := words64(top[:w*4]), words64(bottom[:w*4])
	yt, yb := words16(y0), words16(y1[:w])
	bw, yt, yb, u, v = bw[:len(tw)], yt[:len(tw)], yb[:len(tw)], u[:len(tw)], v[:len(tw)]
	for i, t := range tw {
		b := bw[i]
		y := lumaPair(t)
		yt[i] = uint16(y>>16&0xFF | y>>40&0xFF00)
		y = lumaPair(b)
		yb[i] = uint16(y>>16&0xFF | y>>40&0xFF00)
		u[i], v[i] = chromaOfSums(blockSums(t, b))
	}
	if w%2 == 1 {
		lumaRow(y0[w-1:], top[w*4-4:])
		lumaRow(y1[w-1:], bottom[w*4-4:])
		chromaRow(u[w/2:], v[w/2:], top[w*4-4:], bottom[w*4-4:])
	}
}

// lumaRow converts one RGBA row into luma. Two adjacent pixels are read as one uint64 and computed
// together, one in each 32-bit lane.
func lumaRow(dst, src []byte) {
	src = src[:len(dst)*4]
	pairs := len(dst) / 2
	if fastWords {
		in, out := words64(src), words16(dst)
		out = out[:len(in)]
		for i, p := range in {
			y := lumaPair(p)
			out[i] = uint16(y>>16&0xFF | y>>40&0xFF00)
		}
	} else {
		for i := range pairs {
			y := lumaPair(binary.LittleEndian.Uint64(src[8*i:]))
			dst[2*i], dst[2*i+1] = byte(y>>16), byte(y>>48)
		}
	}
	if len(dst)%2 == 1 {
		p := src[len(src)-4:]
		dst[len(dst)-1] = luma(int32(p[0]), int32(p[1]), int32(p[2]))
	}
}

// lumaPair computes 16.16 fixed-point luma of the two pixels of p, one in each 32-bit lane.
func lumaPair(p uint64) uint64 {
	const (
		lanes   = 0x000000FF_000000FF
		yOffset = (16<<16 + 1<<15) * (1 + 1<<32) // +16, and rounding, in both lanes
	)
	return p&lanes*yR + p>>8&lanes*yG + p>>16&lanes*yB + yOffset
}

// chromaRow computes one row of U and V from the 2×2 blocks of two RGBA rows.
func chromaRow(u, v, top, bottom []byte) {
	w := len(top) / 4
	pairs := w / 2
	top, bottom = top[:w*4], bottom[:w*4]
	u, v = u[:(w+1)/2], v[:(w+1)/2]
	if fastWords {
		tw, bw := words64(top), words64(bottom)
		bw, u, v := bw[:len(tw)], u[:len(tw)], v[:len(tw)]
		for i, t := range tw {
			u[i], v[i] = chromaOfSums(blockSums(t, bw[i]))
		}
	} else {
		for i := range pairs {
			u[i], v[i] = chromaOfSums(blockSums(binary.LittleEndian.Uint64(top[8*i:]), binary.LittleEndian.Uint64(bottom[8*i:])))
		}
	}
	if w%2 == 1 { // odd width: the last column pairs with itself
		p, q := top[len(top)-4:], bottom[len(bottom)-4:]
		t := uint64(p[0]) | uint64(p[1])<<8 | uint64(p[2])<<16
		b := uint64(q[0]) | uint64(q[1])<<8 | uint64(q[2])<<16
		u[pairs], v[pairs] = chromaOfSums(blockSums(t|t<<32, b|b<<32))
	}
}

// blockSums returns the sums of the red, green and blue values of a 2×2 block given as its top and bottom
// pixel pairs, added up in 16-bit lanes.
func blockSums(t, b uint64) (r, g, bl int32) {
	const evenBytes = 0x00FF00FF_00FF00FF
	rb := t&evenBytes + b&evenBytes // red and blue of both columns, two rows summed
	ga := t>>8&evenBytes + b>>8&evenBytes
	rb += rb >> 32 // and both columns
	ga += ga >> 32
	return int32(rb & 0xFFFF), int32(ga & 0xFFFF), int32(rb >> 16 & 0xFFFF)
}

// chromaOfSums converts the channel sums of four pixels into U and V.
func chromaOfSums(r, g, b int32) (u, v byte) {
	const offset = 128<<18 + 1<<17 // +128, and rounding, for sums of four pixels (18 = 16 + 2 bits)
	return byte((uR*r + uG*g + uB*b + offset) >> 18), byte((vR*r + vG*g + vB*b + offset) >> 18)
}

func luma(r, g, b int32) byte {
	return byte((yR*r + yG*g + yB*b + 16<<16 + 1<<15) >> 16)
}

// DiffRows reports which rows of two frames differ: rows y0..y1-1 (counted from the top) hold every
// difference, and same is true (with y0 = y1 = 0) when the frames are identical. Frames of different sizes
// differ everywhere.
func DiffRows(a, b *image.RGBA) (y0, y1 int, same bool) {
	if a == nil || b == nil || a.Rect.Size() != b.Rect.Size() || !wellFormed(a) || !wellFormed(b) {
		h := 0
		if a != nil {
			h = a.Rect.Dy()
		}
		return 0, h, false
	}
	w, h := a.Rect.Dx(), a.Rect.Dy()
	n := w * 4
	if a.Stride == n && b.Stride == n && len(a.Pix) >= n*h && len(b.Pix) >= n*h {
		if bytes.Equal(a.Pix[:n*h], b.Pix[:n*h]) {
			return 0, 0, true
		}
	}
	row := func(p *image.RGBA, y int) []byte { return p.Pix[y*p.Stride : y*p.Stride+n] }
	for y0 = 0; y0 < h && bytes.Equal(row(a, y0), row(b, y0)); y0++ {
	}
	if y0 == h {
		return 0, 0, true
	}
	for y1 = h; bytes.Equal(row(a, y1-1), row(b, y1-1)); y1-- {
	}
	return y0, y1, false
}
