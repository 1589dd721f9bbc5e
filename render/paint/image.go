package paint

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif"  // registers GIF: image.Decode returns the first frame
	_ "image/jpeg" // registers JPEG
	_ "image/png"  // registers PNG
	"math"
	"regexp"

	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/schemas"
	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP
)

// ErrNeedsFFmpeg is returned (wrapped, test it with errors.Is) by DecodeImage for formats that have no pure-Go
// decoder, such as AVIF and HEIC: the caller should decode the file with FFmpeg instead.
var ErrNeedsFFmpeg = errors.New("format has no pure-Go decoder: decode it with ffmpeg")

// DecodeImage decodes a PNG, JPEG, GIF (first frame; DecodeAnimation plays them), WebP or SVG file. A JPEG or PNG with an RGB colour
// profile (Display P3, Adobe RGB, …) is converted to sRGB (icc.go); a JPEG is turned upright as its EXIF
// Orientation says; a lossy WebP is read as the limited-range YCbCr it stores (black 0, white 255). An SVG is rasterized at its intrinsic
// size; to keep it sharp at another size, call SVG with the final size instead. AVIF and HEIC give an error
// wrapping ErrNeedsFFmpeg.
func DecodeImage(data []byte) (image.Image, error) {
	switch {
	case isISOBMFFImage(data):
		return nil, fmt.Errorf("decode image (%s): %w", data[8:12], ErrNeedsFFmpeg)
	case IsSVG(data):
		l, err := SVG(data, 0, 0)
		if err != nil {
			return nil, err
		}
		return l.Img, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode image (want png, jpeg, gif, webp, svg or avif): %w", err)
	}
	if err := checkImageSize(cfg.Width, cfg.Height); err != nil {
		return nil, fmt.Errorf("decode %s image: %w", format, err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode image (want png, jpeg, gif, webp, svg or avif): %w", err)
	}
	if img.Bounds().Empty() {
		return nil, fmt.Errorf("decode image: the %s image is empty", format)
	}
	switch format {
	case "webp":
		// Lossy WebP is limited-range YCbCr; lossless decodes to NRGBA and is left alone.
		img, _ = limitedRangeToRGBA(img)
	case "jpeg":
		if p := jpegICCProfile(data); p != nil {
			img = convertToSRGB(img, p)
		}
		img = Orient(img, jpegOrientation(data))
	case "png":
		if p := pngICCProfile(data); p != nil {
			img = convertToSRGB(img, p)
		}
	}
	return img, nil
}

// isISOBMFFImage reports an AVIF or HEIF file: an ISO base media "ftyp" box with an image brand.
func isISOBMFFImage(data []byte) bool {
	if len(data) < 12 || string(data[4:8]) != "ftyp" {
		return false
	}
	switch string(data[8:12]) {
	case "avif", "avis", "heic", "heix", "heim", "heis", "mif1", "msf1":
		return true
	}
	return false
}

// IsSVG reports whether data looks like an SVG document. The engine should render such images with SVG at
// their final size rather than scale the intrinsic-size raster DecodeImage makes.
func IsSVG(data []byte) bool {
	head := bytes.TrimLeft(data[:min(len(data), 4096)], " \t\r\n\ufeff")
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	return bytes.HasPrefix(head, []byte("<")) && bytes.Contains(head, []byte("<svg"))
}

// SVGSize returns the intrinsic size of an SVG document: its width and height attributes in px, else its
// viewBox size, else 300×150 (the browsers' default). A missing dimension follows the viewBox's aspect ratio.
func SVGSize(markup []byte) (w, h float64, err error) {
	dec := xml.NewDecoder(bytes.NewReader(markup))
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, 0, fmt.Errorf("svg: no <svg> element: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local != "svg" {
			return 0, 0, fmt.Errorf("svg: the root element is <%s>, want <svg>", se.Name.Local)
		}
		w, h = schemas.SVGRootSize(se)
		if w <= 0 || h <= 0 {
			w, h = 300, 150 // the browsers' default
		}
		return w, h, nil
	}
}

// SVG renders an SVG document (via oksvg and rasterx) stretched to w×h px. A zero w or h is taken from the
// intrinsic size (SVGSize), keeping the aspect ratio when the other is given.
func SVG(markup []byte, w, h float64) (layer raster.Layer, err error) {
	return SVGContext(context.Background(), markup, w, h)
}

// SVGContext is SVG that stops, returning ctx.Err(), soon after ctx is done: it checks between the paths
// it draws. The markup is checked against the budget (CheckSVG) and the size before anything is parsed or
// allocated.
func SVGContext(ctx context.Context, markup []byte, w, h float64) (layer raster.Layer, err error) {
	defer recoverAsError(&err, "svg")
	iw, ih, err := CheckSVG(markup)
	if err != nil {
		return raster.Layer{}, err
	}
	switch {
	case w <= 0 && h <= 0:
		w, h = iw, ih
	case w <= 0:
		w = h * iw / ih
	case h <= 0:
		h = w * ih / iw
	}
	if err := checkSize(math.Round(w), math.Round(h)); err != nil {
		return raster.Layer{}, fmt.Errorf("svg: %w", err)
	}
	pw, ph := int(math.Round(w)), int(math.Round(h))
	// Parsing 20,000 elements takes a good part of a second: the reader stops it when ctx is done.
	icon, err := oksvg.ReadIconStream(contextReader{ctx, bytes.NewReader(completeRectRadii(markup))}, oksvg.IgnoreErrorMode)
	if err := ctx.Err(); err != nil {
		return raster.Layer{}, err
	}
	if err != nil {
		return raster.Layer{}, fmt.Errorf("svg: %w", err)
	}
	if icon.ViewBox.W <= 0 || icon.ViewBox.H <= 0 {
		icon.ViewBox.W, icon.ViewBox.H = iw, ih
	}
	layer = raster.NewLayer(pw, ph)
	icon.SetTarget(0, 0, float64(pw), float64(ph))
	scanner := rasterx.NewScannerGV(pw, ph, layer.Img, layer.Img.Bounds())
	dasher := rasterx.NewDasher(pw, ph, scanner)
	// icon.Draw, one path at a time: 60,000 thick paths kept a core busy for a minute after the client left.
	for _, p := range icon.SVGPaths {
		if err := ctx.Err(); err != nil {
			return raster.Layer{}, err
		}
		p.DrawTransformed(dasher, 1, icon.Transform)
	}
	return layer, nil
}

var (
	rectTag    = regexp.MustCompile(`<rect\b[^>]*>`)
	radiusAttr = regexp.MustCompile(`\s(r[xy])\s*=\s*("[^"]*"|'[^']*')`)
)

// completeRectRadii gives every <rect> that sets only one of rx and ry the other with the same value, as SVG
// specifies; oksvg would otherwise draw square corners.
func completeRectRadii(markup []byte) []byte {
	return rectTag.ReplaceAllFunc(markup, func(tag []byte) []byte {
		found := radiusAttr.FindAllSubmatch(tag, -1)
		if len(found) != 1 {
			return tag
		}
		missing := "ry"
		if string(found[0][1]) == "ry" {
			missing = "rx"
		}
		end := len(tag) - 1
		if bytes.HasSuffix(tag, []byte("/>")) {
			end--
		}
		out := append([]byte{}, tag[:end]...)
		out = append(out, ' ')
		out = append(out, missing...)
		out = append(out, '=')
		out = append(out, found[0][2]...)
		return append(out, tag[end:]...)
	})
}

// Fit scales img once into a boxW×boxH layer: "fill" stretches it, "contain" fits it inside (transparent
// bars), "cover" (also the default) fills the box and crops what overflows, centered. The filter is
// Catmull-Rom, which x/image/draw widens when shrinking, so downscaled images do not alias. Non-zero radii
// round the corners of the visible image (for contain, of the letterboxed picture, not of the empty box).
func Fit(img image.Image, boxW, boxH float64, fit schemas.ObjectFit, radius schemas.Corners) raster.Layer {
	w := int(min(maxLayerSide, max(1, math.Round(finiteOr(boxW, 1)))))
	h := int(min(maxLayerSide, max(1, math.Round(finiteOr(boxH, 1)))))
	layer := raster.NewLayer(w, h)
	sb := img.Bounds()
	if sb.Empty() {
		return layer
	}
	iw, ih := float64(sb.Dx()), float64(sb.Dy())
	sx, sy := float64(w)/iw, float64(h)/ih
	switch fit {
	case schemas.ObjectFitFill:
	case schemas.ObjectFitContain:
		sx = math.Min(sx, sy)
		sy = sx
	default: // cover
		sx = math.Max(sx, sy)
		sy = sx
	}
	dw, dh := int(math.Round(iw*sx)), int(math.Round(ih*sy))
	x0, y0 := (w-dw)/2, (h-dh)/2
	dr := image.Rect(x0, y0, x0+dw, y0+dh)
	if dw == sb.Dx() && dh == sb.Dy() {
		draw.Draw(layer.Img, dr, img, sb.Min, draw.Src)
	} else {
		xdraw.CatmullRom.Scale(layer.Img, dr, img, sb, xdraw.Src, nil)
	}
	if radius != (schemas.Corners{}) {
		vis := dr.Intersect(layer.Img.Rect)
		maskRounded(layer.Img, float64(vis.Min.X), float64(vis.Min.Y), float64(vis.Dx()), float64(vis.Dy()), radius)
	}
	return layer
}

// RoundCorners clears what lies outside the layer's box rounded with radii r (top-left, top-right,
// bottom-right, bottom-left), with antialiased edges. It changes l.Img in place.
func RoundCorners(l raster.Layer, r schemas.Corners) {
	if l.Empty() {
		return
	}
	maskRounded(l.Img, l.BoxX, l.BoxY, l.BoxW, l.BoxH, r)
}

// maskRounded multiplies img by the coverage of a rounded rectangle.
func maskRounded(img *image.RGBA, x, y, w, h float64, r schemas.Corners) {
	if w <= 0 || h <= 0 {
		return
	}
	b := img.Rect
	mask := coverage(roundedRect(x-float64(b.Min.X), y-float64(b.Min.Y), w, h, r), b.Dx(), b.Dy())
	parallelRows(b.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			m := mask.Pix[y*mask.Stride:][:b.Dx()]
			row := img.Pix[y*img.Stride:][:4*b.Dx()]
			for x, a := range m {
				switch a {
				case 255:
				case 0:
					row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = 0, 0, 0, 0
				default:
					for i := 4 * x; i < 4*x+4; i++ {
						row[i] = uint8((uint32(row[i])*uint32(a) + 127) / 255)
					}
				}
			}
		}
	})
}
