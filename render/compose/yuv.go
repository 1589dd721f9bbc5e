package compose

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
)

// BT.709 limited-range luma coefficients in 16-bit fixed point: Y = 16 + 219/255·(Kr·R + Kg·G + Kb·B) with
// Kr = 0.2126, Kb = 0.0722, Kg = 1 − Kr − Kb, rounded so that they sum exactly to 219/255 (white is 235).
const yR, yG, yB = 11966, 40254, 4064

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
	return ToYUV420Rect(dst, src, image.Rect(0, 0, src.Rect.Dx(), src.Rect.Dy()))
}

// ToYUV420Rows is [ToYUV420] for rows y0..y1-1 of src only (counted from the top of src), leaving the rest
// of dst as it was. The band is widened to even boundaries, since each chroma row covers two image rows.
func ToYUV420Rows(dst []byte, src *image.RGBA, y0, y1 int) error {
	if src == nil {
		return fmt.Errorf("compose: convert to yuv420p: no source image")
	}
	return ToYUV420Rect(dst, src, image.Rect(0, y0, src.Rect.Dx(), y1))
}

// ToYUV420Rect is [ToYUV420] for the pixels of r only (counted from the top-left corner of src), leaving the
// rest of dst as it was: the same bytes as converting the whole frame, inside r widened to even boundaries
// (each chroma sample covers a 2×2 block), see [EvenRect].
func ToYUV420Rect(dst []byte, src *image.RGBA, r image.Rectangle) error {
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
	r = EvenRect(r, w, h)
	if r.Empty() {
		return nil
	}
	x0, x1 := r.Min.X, r.Max.X
	cw, ch := (w+1)/2, (h+1)/2
	yPlane, uPlane, vPlane := dst[:w*h], dst[w*h:w*h+cw*ch], dst[w*h+cw*ch:w*h+2*cw*ch]
	c0, c1 := x0/2, (x1+1)/2
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		next := min(y+1, h-1)
		convertRowPair(
			yPlane[y*w+x0:y*w+x1], yPlane[next*w+x0:next*w+x1],
			uPlane[y/2*cw+c0:y/2*cw+c1], vPlane[y/2*cw+c0:y/2*cw+c1],
			src.Pix[y*src.Stride+x0*4:y*src.Stride+x1*4], src.Pix[next*src.Stride+x0*4:next*src.Stride+x1*4])
	}
	return nil
}

// EvenRect is r within a w×h frame widened to even boundaries (an odd last row or column counts as even):
// the pixels whose yuv420p bytes, luma and chroma, depend only on pixels inside it.
func EvenRect(r image.Rectangle, w, h int) image.Rectangle {
	r = r.Intersect(image.Rect(0, 0, w, h))
	if r.Empty() {
		return image.Rectangle{}
	}
	return image.Rect(r.Min.X&^1, r.Min.Y&^1, min(w, (r.Max.X+1)&^1), min(h, (r.Max.Y+1)&^1))
}

// CopyYUV420Rect copies the bytes of the pixels of r (widened as [EvenRect] does) from the w×h yuv420p frame
// src to dst, luma and chroma: with [ToYUV420Rect], a frame that differs from another only inside r is made
// from it without converting the rest.
func CopyYUV420Rect(dst, src []byte, w, h int, r image.Rectangle) error {
	need := YUV420Size(w, h)
	if len(dst) < need || len(src) < need {
		return fmt.Errorf("compose: copy between %d×%d yuv420p frames: they hold %d and %d bytes, need %d", w, h, len(dst), len(src), need)
	}
	r = EvenRect(r, w, h)
	if r.Empty() {
		return nil
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(dst[y*w+r.Min.X:y*w+r.Max.X], src[y*w+r.Min.X:y*w+r.Max.X])
	}
	cw, ch := (w+1)/2, (h+1)/2
	c0, c1 := r.Min.X/2, (r.Max.X+1)/2
	for _, plane := range [2]int{w * h, w*h + cw*ch} {
		for y := r.Min.Y / 2; y < (r.Max.Y+1)/2; y++ {
			o := plane + y*cw
			copy(dst[o+c0:o+c1], src[o+c0:o+c1])
		}
	}
	return nil
}

// convertRowPair converts two RGBA rows (the same slice twice for an odd last row) into two luma rows and
// one row each of U and V.
func convertRowPair(y0, y1, u, v, top, bottom []byte) {
	w := len(y0)
	pairs := w / 2
	if fastWords {
		// Whole steps of vector blocks first (none without AVX2), the rest word by word: the same arithmetic.
		i := convertBlocksVector(top[:pairs*8], bottom[:pairs*8], y0[:pairs*2], y1[:pairs*2], u[:pairs], v[:pairs])
		convertPairs(words64(top[i*8:pairs*8]), words64(bottom[i*8:pairs*8]), words16(y0[i*2:pairs*2]), words16(y1[i*2:pairs*2]), u[i:pairs], v[i:pairs])
	} else {
		var tw, bw [64]uint64
		var yt, yb [64]uint16
		for i := 0; i < pairs; i += len(tw) {
			n := min(len(tw), pairs-i)
			for j := range n {
				tw[j] = binary.LittleEndian.Uint64(top[8*(i+j):])
				bw[j] = binary.LittleEndian.Uint64(bottom[8*(i+j):])
			}
			convertPairs(tw[:n], bw[:n], yt[:n], yb[:n], u[i:i+n], v[i:i+n])
			for j := range n {
				binary.LittleEndian.PutUint16(y0[2*(i+j):], yt[j])
				binary.LittleEndian.PutUint16(y1[2*(i+j):], yb[j])
			}
		}
	}
	if w%2 == 1 { // odd width: the last column pairs with itself
		t := uint64(binary.LittleEndian.Uint32(top[4*w-4:]))
		b := uint64(binary.LittleEndian.Uint32(bottom[4*w-4:]))
		var yt, yb [1]uint16
		convertPairs([]uint64{t | t<<32}, []uint64{b | b<<32}, yt[:], yb[:], u[pairs:pairs+1], v[pairs:pairs+1])
		y0[w-1], y1[w-1] = byte(yt[0]), byte(yb[0])
	}
}

// convertPairs converts 2×2 blocks of pixels: top[i] and bottom[i] hold two horizontally adjacent pixels
// each (little-endian RGBA, read as one uint64); yTop[i] and yBottom[i] receive their two luma bytes, u[i]
// and v[i] the block's chroma.
//
// Luma is computed for both pixels of a word at once, one per 32-bit lane. Chroma needs only the sums of red,
// of blue and of the (unrounded) luma of the block: Cb and Cr are scaled differences B − Y and R − Y.
func convertPairs(top, bottom []uint64, yTop, yBottom []uint16, u, v []byte) {
	const (
		lanes   = 0x000000FF_000000FF
		even    = 0x00FF00FF_00FF00FF
		yOffset = (16<<16 + 1<<15) * (1 + 1<<32) // +16, and rounding, in both lanes
		// Chroma in 32.32 fixed point from the sums of four pixels: Cb = 128 + kb·(ΣB − ΣY)/4 with
		// kb = (224/255)/(2(1 − Kb)), where ΣY = Σluma/(65536·219/255); likewise Cr with R and Kr.
		cbB, cbY = 508303785, 9031
		crR, crY = 598938598, 10641
		cOffset  = 128<<32 + 1<<31
		rawLuma  = 4 * (16<<16 + 1<<15) // the offsets added to four luma values, taken out again
	)
	bottom, yTop, yBottom, u, v = bottom[:len(top)], yTop[:len(top)], yBottom[:len(top)], u[:len(top)], v[:len(top)]
	for i, t := range top {
		b := bottom[i]
		lt := t&lanes*yR + t>>8&lanes*yG + t>>16&lanes*yB + yOffset
		lb := b&lanes*yR + b>>8&lanes*yG + b>>16&lanes*yB + yOffset
		yTop[i] = uint16(lt>>16&0xFF | lt>>40&0xFF00)
		yBottom[i] = uint16(lb>>16&0xFF | lb>>40&0xFF00)
		sum := lt + lb
		sumY := int64(sum&0xFFFFFFFF+sum>>32) - rawLuma
		rb := t&even + b&even // red and blue of both columns, two rows summed, in 16-bit lanes
		rb += rb >> 32        // and both columns
		sumR, sumB := int64(rb&0xFFFF), int64(rb>>16&0xFFFF)
		u[i] = byte((cbB*sumB - cbY*sumY + cOffset) >> 32)
		v[i] = byte((crR*sumR - crY*sumY + cOffset) >> 32)
	}
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
