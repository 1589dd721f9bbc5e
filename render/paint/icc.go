package paint

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"image"
	"image/draw"
	"io"
	"math"
	"sort"
	"unicode/utf16"
)

// Colour profiles. Phones store photos in Display P3 (a wider gamut than sRGB) and say so with an embedded
// ICC profile (JPEG APP2 "ICC_PROFILE" segments, PNG iCCP chunk). Read as sRGB, their colours come out dull:
// a P3 red (1, 0, 0) is far redder than sRGB's. The engine composes in sRGB, so a picture with an RGB
// matrix/TRC profile (Display P3, Adobe RGB, Rec. 2020, ProPhoto, …; every profile a phone or camera writes)
// is converted: each channel is decoded to linear light by the profile's tone curves, the colour moved to
// sRGB's primaries by one 3×3 matrix (the profile's colorants, D50, then sRGB's inverse), clipped to the sRGB
// gamut and encoded with the sRGB curve. A profile that is sRGB already (colorants within 0.002 of sRGB's)
// costs nothing; grey, CMYK and LUT-only profiles are left alone (the pixels are read as sRGB).

// maxICCProfile bounds the profile read from a file: real RGB profiles are a few kB, a few hundred for the
// compact ones.
const maxICCProfile = 4 << 20

// jpegICCProfile returns the ICC profile of a JPEG file (its APP2 "ICC_PROFILE" segments, in sequence order),
// or nil. Only the markers before the first scan are read.
func jpegICCProfile(data []byte) []byte {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil
	}
	type chunk struct {
		seq  int
		data []byte
	}
	var chunks []chunk
	total := 0
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			break
		}
		marker := data[i+1]
		if marker == 0xFF {
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 {
			break
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			break
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE2 && len(seg) > 14 && string(seg[:12]) == "ICC_PROFILE\x00" {
			chunks = append(chunks, chunk{int(seg[12]), seg[14:]})
			total += len(seg) - 14
		}
		i += 2 + n
	}
	if len(chunks) == 0 || total > maxICCProfile {
		return nil
	}
	sort.SliceStable(chunks, func(a, b int) bool { return chunks[a].seq < chunks[b].seq })
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c.data...)
	}
	return out
}

// pngICCProfile returns the ICC profile of a PNG file (its iCCP chunk, inflated), or nil. Only the chunks
// before the first IDAT are read.
func pngICCProfile(data []byte) []byte {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(data) < 8 || string(data[:8]) != sig {
		return nil
	}
	for i := 8; i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || i+12+n > len(data) || typ == "IDAT" {
			return nil
		}
		if typ == "iCCP" {
			body := data[i+8 : i+8+n]
			nul := bytes.IndexByte(body, 0)
			if nul < 0 || nul+2 > len(body) || body[nul+1] != 0 { // name, NUL, method 0 (zlib)
				return nil
			}
			zr, err := zlib.NewReader(bytes.NewReader(body[nul+2:]))
			if err != nil {
				return nil
			}
			out, err := io.ReadAll(io.LimitReader(zr, maxICCProfile+1))
			if err != nil || len(out) > maxICCProfile {
				return nil
			}
			return out
		}
		i += 12 + n
	}
	return nil
}

// iccProfile is the part of an RGB matrix/TRC profile a conversion needs.
type iccProfile struct {
	description string
	colorants   [3][3]float64 // columns: the red, green and blue colorants (XYZ, D50)
	curves      [3]toneCurve  // red, green, blue: encoded value (0..1) to linear light
}

// toneCurve is an ICC 'curv' or 'para' tone curve.
type toneCurve struct {
	table  []float64 // a sampled curve ('curv' with 2 or more entries), values 0..1
	gamma  float64   // a pure power ('curv' with 1 entry); 0 with a table or parameters
	params []float64 // 'para': g, a, b, c, d, e, f as the function type needs
	kind   uint16    // 'para' function type 0..4
	isPara bool
}

// eval maps an encoded value x (0..1) to linear light.
func (c toneCurve) eval(x float64) float64 {
	switch {
	case c.isPara:
		p := c.params
		g := p[0]
		switch c.kind {
		case 0:
			return math.Pow(x, g)
		case 1: // Y = (aX+b)^g for X >= -b/a, else 0
			if x >= -p[2]/p[1] {
				return math.Pow(math.Max(p[1]*x+p[2], 0), g)
			}
			return 0
		case 2: // + c
			if x >= -p[2]/p[1] {
				return math.Pow(math.Max(p[1]*x+p[2], 0), g) + p[3]
			}
			return p[3]
		case 3: // (aX+b)^g for X >= d, else cX
			if x >= p[4] {
				return math.Pow(math.Max(p[1]*x+p[2], 0), g)
			}
			return p[3] * x
		case 4: // (aX+b)^g + e for X >= d, else cX + f
			if x >= p[4] {
				return math.Pow(math.Max(p[1]*x+p[2], 0), g) + p[5]
			}
			return p[3]*x + p[6]
		}
	case len(c.table) > 0:
		pos := x * float64(len(c.table)-1)
		i := int(pos)
		if i >= len(c.table)-1 {
			return c.table[len(c.table)-1]
		}
		f := pos - float64(i)
		return c.table[i]*(1-f) + c.table[i+1]*f
	case c.gamma > 0:
		return math.Pow(x, c.gamma)
	}
	return x // an empty 'curv': identity
}

var errNotRGBMatrix = errors.New("icc: not an RGB matrix/TRC profile")

// parseICC reads an RGB matrix/TRC ICC profile (version 2 or 4). Other profiles give errNotRGBMatrix.
func parseICC(p []byte) (*iccProfile, error) {
	if len(p) < 132 || string(p[36:40]) != "acsp" || string(p[16:20]) != "RGB " || string(p[20:24]) != "XYZ " {
		return nil, errNotRGBMatrix
	}
	n := int(binary.BigEndian.Uint32(p[128:]))
	if n > (len(p)-132)/12 {
		return nil, errNotRGBMatrix
	}
	tags := map[string][]byte{}
	for i := 0; i < n; i++ {
		e := p[132+12*i:]
		off, size := int(binary.BigEndian.Uint32(e[4:])), int(binary.BigEndian.Uint32(e[8:]))
		if off < 0 || size < 8 || off > len(p) || size > len(p)-off {
			continue
		}
		tags[string(e[:4])] = p[off : off+size]
	}
	prof := &iccProfile{description: iccText(tags["desc"])}
	for i, sig := range []string{"rXYZ", "gXYZ", "bXYZ"} {
		t := tags[sig]
		if len(t) < 20 || string(t[:4]) != "XYZ " {
			return nil, errNotRGBMatrix
		}
		for j := 0; j < 3; j++ {
			prof.colorants[j][i] = s15Fixed16(t[8+4*j:])
		}
	}
	for i, sig := range []string{"rTRC", "gTRC", "bTRC"} {
		c, ok := parseCurve(tags[sig])
		if !ok {
			return nil, errNotRGBMatrix
		}
		prof.curves[i] = c
	}
	return prof, nil
}

func s15Fixed16(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) / 65536 }

// parseCurve reads a 'curv' or 'para' tag.
func parseCurve(t []byte) (toneCurve, bool) {
	if len(t) < 12 {
		return toneCurve{}, false
	}
	switch string(t[:4]) {
	case "curv":
		n := int(binary.BigEndian.Uint32(t[8:]))
		if n < 0 || 12+2*n > len(t) {
			return toneCurve{}, false
		}
		switch n {
		case 0:
			return toneCurve{gamma: 1}, true
		case 1:
			return toneCurve{gamma: float64(binary.BigEndian.Uint16(t[12:])) / 256}, true
		}
		c := toneCurve{table: make([]float64, n)}
		for i := range c.table {
			c.table[i] = float64(binary.BigEndian.Uint16(t[12+2*i:])) / 65535
		}
		return c, true
	case "para":
		kind := binary.BigEndian.Uint16(t[8:])
		count := map[uint16]int{0: 1, 1: 3, 2: 4, 3: 5, 4: 7}[kind]
		if count == 0 || 12+4*count > len(t) {
			return toneCurve{}, false
		}
		c := toneCurve{isPara: true, kind: kind, params: make([]float64, 7)}
		for i := 0; i < count; i++ {
			c.params[i] = s15Fixed16(t[12+4*i:])
		}
		if kind >= 1 && c.params[1] == 0 {
			return toneCurve{}, false
		}
		return c, true
	}
	return toneCurve{}, false
}

// iccText reads a 'desc' (version 2) or 'mluc' (version 4, first record) text tag.
func iccText(t []byte) string {
	switch {
	case len(t) >= 12 && string(t[:4]) == "desc":
		n := int(binary.BigEndian.Uint32(t[8:]))
		if n > 0 && 12+n <= len(t) {
			return string(bytes.TrimRight(t[12:12+n], "\x00"))
		}
	case len(t) >= 28 && string(t[:4]) == "mluc":
		size, off := int(binary.BigEndian.Uint32(t[20:])), int(binary.BigEndian.Uint32(t[24:]))
		if off >= 0 && size >= 0 && off+size <= len(t) {
			u := make([]uint16, size/2)
			for i := range u {
				u[i] = binary.BigEndian.Uint16(t[off+2*i:])
			}
			return string(utf16.Decode(u))
		}
	}
	return ""
}

// sRGBColorants are sRGB's red, green and blue colorants adapted to D50 (Bradford), as in every sRGB ICC
// profile; displayP3Colorants are Display P3's.
var (
	sRGBColorants = [3][3]float64{
		{0.4360747, 0.3850649, 0.1430804},
		{0.2225045, 0.7168786, 0.0606169},
		{0.0139322, 0.0971045, 0.7141733},
	}
	displayP3Colorants = [3][3]float64{
		{0.5151215, 0.2919769, 0.1571519},
		{0.2411765, 0.6922150, 0.0666085},
		{-0.0010502, 0.0418853, 0.7843140},
	}
)

// colorantsNear reports whether two colorant matrices agree within tol in every entry.
func colorantsNear(a, b [3][3]float64, tol float64) bool {
	for i := range a {
		for j := range a[i] {
			if math.Abs(a[i][j]-b[i][j]) > tol {
				return false
			}
		}
	}
	return true
}

// isSRGB reports a profile with sRGB's primaries and an sRGB-like curve (within 1/255 at mid grey).
func (p *iccProfile) isSRGB() bool {
	if !colorantsNear(p.colorants, sRGBColorants, 0.002) {
		return false
	}
	for _, c := range p.curves {
		if math.Abs(c.eval(0.5)-srgbToLinear(0.5)) > 1.0/255 {
			return false
		}
	}
	return true
}

// isDisplayP3 reports a Display P3 profile (its primaries, whatever its description says).
func (p *iccProfile) isDisplayP3() bool { return colorantsNear(p.colorants, displayP3Colorants, 0.002) }

func srgbToLinear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func linearToSRGB(v float64) float64 {
	if v <= 0.0031308 {
		return 12.92 * v
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

// invert3 inverts a 3×3 matrix (the colorants are always invertible for a real profile).
func invert3(m [3][3]float64) ([3][3]float64, bool) {
	a, b, c := m[0][0], m[0][1], m[0][2]
	d, e, f := m[1][0], m[1][1], m[1][2]
	g, h, i := m[2][0], m[2][1], m[2][2]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	if math.Abs(det) < 1e-9 {
		return m, false
	}
	return [3][3]float64{
		{(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det},
		{(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det},
		{(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det},
	}, true
}

func mul3(a, b [3][3]float64) (out [3][3]float64) {
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				out[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return out
}

// linearToSRGBTable encodes linear light (index / (len-1)) with the sRGB curve, to 8 bits. 4096 steps keep
// the darkest sRGB codes apart (the curve is steep near black).
var linearToSRGBTable = func() []uint8 {
	t := make([]uint8, 4096)
	for i := range t {
		t[i] = uint8(math.Round(255 * linearToSRGB(float64(i)/float64(len(t)-1))))
	}
	return t
}()

// convertToSRGB returns img with its colours moved from profile p to sRGB, as an *image.NRGBA (straight
// alpha, 8 bits). It returns img unchanged when p is sRGB or not an RGB matrix/TRC profile. 16-bit images are
// converted from their 16-bit values.
func convertToSRGB(img image.Image, profile []byte) image.Image {
	p, err := parseICC(profile)
	if err != nil || p.isSRGB() {
		return img
	}
	toSRGB, ok := invert3(sRGBColorants)
	if !ok {
		return img
	}
	m := mul3(toSRGB, p.colorants)
	deep := false
	switch img.(type) {
	case *image.RGBA64, *image.NRGBA64, *image.Gray16:
		deep = true
	}
	levels := 256
	if deep {
		levels = 65536
	}
	var lin [3][]float32
	for c := range lin {
		lin[c] = make([]float32, levels)
		for i := range lin[c] {
			lin[c][i] = float32(p.curves[c].eval(float64(i) / float64(levels-1)))
		}
	}
	// Straight (not premultiplied) values: the curves apply to the colour, not to colour × alpha.
	b := img.Bounds()
	var src8 *image.RGBA
	var src16 *image.NRGBA64
	if deep {
		src16 = image.NewNRGBA64(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(src16, src16.Rect, img, b.Min, draw.Src)
	} else {
		src8 = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(src8, src8.Rect, img, b.Min, draw.Src) // fast for JPEG's YCbCr
	}
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	last := float32(len(linearToSRGBTable) - 1)
	encode := func(v float32) uint8 {
		if !(v > 0) {
			return 0
		}
		if v >= 1 {
			return 255
		}
		return linearToSRGBTable[int(v*last+0.5)]
	}
	mf := [3][3]float32{}
	for i := range m {
		for j := range m[i] {
			mf[i][j] = float32(m[i][j])
		}
	}
	for y := 0; y < b.Dy(); y++ {
		row := out.Pix[y*out.Stride:]
		for x := 0; x < b.Dx(); x++ {
			var r, g, bl float32
			var a uint8
			if deep {
				c := src16.NRGBA64At(x, y)
				r, g, bl, a = lin[0][c.R], lin[1][c.G], lin[2][c.B], uint8(c.A>>8)
			} else {
				q := src8.Pix[y*src8.Stride+4*x:]
				a = q[3]
				switch a {
				case 0:
				case 255:
					r, g, bl = lin[0][q[0]], lin[1][q[1]], lin[2][q[2]]
				default:
					r, g, bl = lin[0][unpremul(q[0], a)], lin[1][unpremul(q[1], a)], lin[2][unpremul(q[2], a)]
				}
			}
			i := 4 * x
			row[i] = encode(mf[0][0]*r + mf[0][1]*g + mf[0][2]*bl)
			row[i+1] = encode(mf[1][0]*r + mf[1][1]*g + mf[1][2]*bl)
			row[i+2] = encode(mf[2][0]*r + mf[2][1]*g + mf[2][2]*bl)
			row[i+3] = a
		}
	}
	return out
}

// unpremul returns the straight value of a premultiplied 8-bit channel.
func unpremul(c, a uint8) uint8 { return uint8(min(255, (int(c)*255+int(a)/2)/int(a))) }
