package paint

import (
	"encoding/binary"
	"image"
	"image/color"
)

// Photos as phones and cameras make them. A JPEG stores its pixels as the sensor read them and says in its
// EXIF Orientation tag how to turn them upright (a portrait phone photo is usually stored landscape with tag 6);
// lossy WebP stores limited-range BT.601 YCbCr (black at Y=16, white at Y=235), which Go's image.YCbCr would
// read as full range (JPEG's), giving a washed-out picture with black at 16 and white at 235.

// jpegOrientation returns the EXIF Orientation (1–8) of a JPEG file, or 1 when it has none or data is not a
// JPEG. Only the markers before the first scan are read.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image: no EXIF before the pixels
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			if o := exifOrientation(seg[6:]); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation reads tag 0x0112 from the first IFD of a TIFF structure (the body of an EXIF segment).
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int(bo.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > len(tiff) {
		return 0
	}
	count := int(bo.Uint16(tiff[ifd:]))
	for e := 0; e < count; e++ {
		off := ifd + 2 + 12*e
		if off+12 > len(tiff) {
			return 0
		}
		if bo.Uint16(tiff[off:]) == 0x0112 && bo.Uint16(tiff[off+2:]) == 3 { // Orientation, SHORT
			return int(bo.Uint16(tiff[off+8:]))
		}
	}
	return 0
}

// orientationSource maps a pixel (x, y) of the upright picture to the pixel of the stored one (w×h) that
// EXIF orientation o puts there.
func orientationSource(o, x, y, w, h int) (sx, sy int) {
	switch o {
	case 2: // mirrored horizontally
		return w - 1 - x, y
	case 3: // turned 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored vertically
		return x, h - 1 - y
	case 5: // transposed
		return y, x
	case 6: // stored turned 90° counter-clockwise: turn it clockwise
		return y, h - 1 - x
	case 7: // transversed
		return w - 1 - y, h - 1 - x
	case 8: // stored turned 90° clockwise: turn it counter-clockwise
		return w - 1 - y, x
	}
	return x, y
}

// Orient returns img turned upright as EXIF orientation o (1–8) says; o = 1 (or out of range) returns img.
func Orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	src := toRGBA(img)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		row := dst.Pix[y*dst.Stride:]
		for x := 0; x < dw; x++ {
			sx, sy := orientationSource(o, x, y, w, h)
			copy(row[x*4:x*4+4], src.Pix[sy*src.Stride+sx*4:])
		}
	}
	return dst
}

// toRGBA returns img as an *image.RGBA at the origin, converting when it is not one already.
func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// limitedRangeToRGBA converts a lossy WebP picture (limited-range BT.601 YCbCr, with or without alpha) to
// premultiplied RGBA with the coefficients libwebp uses, so black is 0 and white 255.
func limitedRangeToRGBA(img image.Image) (image.Image, bool) {
	var yc *image.YCbCr
	var alpha []uint8
	var aStride int
	switch m := img.(type) {
	case *image.YCbCr:
		yc = m
	case *image.NYCbCrA:
		yc, alpha, aStride = &m.YCbCr, m.A, m.AStride
	default:
		return img, false
	}
	b := yc.Rect
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := out.Pix[(y-b.Min.Y)*out.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			Y := float64(yc.Y[yc.YOffset(x, y)])
			ci := yc.COffset(x, y)
			cb, cr := float64(yc.Cb[ci])-128, float64(yc.Cr[ci])-128
			l := 1.164383 * (Y - 16)
			r, g, bl := clamp255(l+1.596027*cr), clamp255(l-0.391762*cb-0.812968*cr), clamp255(l+2.017232*cb)
			a := uint8(255)
			if alpha != nil {
				a = alpha[(y-b.Min.Y)*aStride+(x-b.Min.X)]
			}
			c := color.NRGBA{r, g, bl, a}
			p := color.RGBAModel.Convert(c).(color.RGBA)
			i := (x - b.Min.X) * 4
			row[i], row[i+1], row[i+2], row[i+3] = p.R, p.G, p.B, p.A
		}
	}
	return out, true
}

func clamp255(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}
