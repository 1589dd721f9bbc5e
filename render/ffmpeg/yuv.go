package ffmpeg

import (
	"encoding/binary"
	"image"
	"sync"
)

// Decoded frames of the commonest sources (8-bit 4:2:0 Y'CbCr, limited range, no alpha: nearly every H.264,
// HEVC and VP9 file) cross the pipe from FFmpeg as planar Y'CbCr and become RGBA here, instead of being
// converted by FFmpeg's swscale and piped as rgba, 4 bytes a pixel. The busy bench document's 720p clip shown
// at its own size: its FFmpeg took 0.90 s of CPU instead of 1.27 s for 10 s of video (means of four runs on a
// loaded 2-core machine), the engine reads 2.7 times fewer bytes from the pipe, and the conversion here (AVX2,
// eight pixels a step) costs about 0.5 ms a frame.
//
// The arithmetic is swscale's (its coefficient tables, 16.16 fixed point, each chroma sample shared by the
// pixels of its block, as in swscale's unscaled yuv → rgba paths), so frames match FFmpeg's rgba output
// within the golden tolerance (TestYUVFramesMatchFFmpegRGBA: every channel within 3).
//
// A frame FFmpeg does not scale crosses as yuv420p (1.5 bytes a pixel). A frame it scales down to an even
// width crosses as yuv422p (2 bytes a pixel): when swscale scales down to rgba it scales the chroma planes to
// half the output's width and its whole height, then shares each chroma sample between two pixels of a row,
// which is its yuv422p output converted without scaling, within 3 levels (measured from 1280×720 down to
// 1278×718, 1000×562, 800×450, 642×360, 640×360 and 1280×360); its yuv420p output would take chroma from other
// rows (up to 208 levels apart at sharp colour edges). To an odd width swscale interpolates chroma for every pixel ("full
// internal H chroma"), and scaling up it differs otherwise (up to 5 levels on 1–1.6 % of pixels of a 720p
// clip scaled to 1280×722, 1282×722, 1920×1080 or 640×1080, and up to 94 levels when only the width grows,
// 1282×720: beyond the golden tolerance), so such frames keep FFmpeg's rgba. The busy bench's 720p clip scaled to 640×360: FFmpeg
// 0.79 s of CPU instead of 0.97 s for 10 s of video, and half the bytes through the pipe.

// yuvLayout is how a decoded frame's planes cross the pipe: FFmpeg's pixel format and how many rows of luma
// share one row of chroma (chroma is always half the width, rounded up).
type yuvLayout struct {
	pixFmt        string
	rowsPerChroma int
}

var (
	yuv420p = yuvLayout{pixFmt: "yuv420p", rowsPerChroma: 2} // frames at the source's size
	yuv422p = yuvLayout{pixFmt: "yuv422p", rowsPerChroma: 1} // frames FFmpeg scales down
)

// chromaSize is the size of each chroma plane of a w × h frame.
func (l yuvLayout) chromaSize(w, h int) (cw, ch int) {
	return (w + 1) / 2, (h + l.rowsPerChroma - 1) / l.rowsPerChroma
}

// frameSize is the size in bytes of a w × h frame as FFmpeg's rawvideo writes it: the Y plane, then U, then V.
func (l yuvLayout) frameSize(w, h int) int {
	cw, ch := l.chromaSize(w, h)
	return w*h + 2*cw*ch
}

// yuvMatrix is a limited-range Y'CbCr → R'G'B' matrix in 16.16 fixed point: R = Y' + crv·Cr,
// G = Y' − cgu·Cb − cgv·Cr, B = Y' + cbu·Cb, with Y' = (Y − 16)·255/219 and Cb, Cr centred on 128.
type yuvMatrix struct{ crv, cbu, cgu, cgv int32 }

// The matrices swscale uses (libswscale's ff_yuv2rgb_coeffs): BT.709 for streams tagged so, BT.601 for
// streams tagged BT.601 (smpte170m, bt470bg) and for untagged streams, as FFmpeg's scale filter does.
var (
	matrixBT601 = yuvMatrix{crv: 104597, cbu: 132201, cgu: 25675, cgv: 53279}
	matrixBT709 = yuvMatrix{crv: 117489, cbu: 138438, cgu: 13975, cgv: 34925}
)

// lumaScale is 255/219 in 16.16 fixed point: limited-range luma (16..235) stretched to 0..255.
const lumaScale = 76309

// yuvMatrixFor returns the matrix FFmpeg converts a stream with this color_space tag by, and false when the
// stream's frames should rather be converted by FFmpeg (a matrix not handled here).
func yuvMatrixFor(colorSpace string) (yuvMatrix, bool) {
	switch colorSpace {
	case "", "unknown", "unspecified", "reserved", "smpte170m", "bt470bg":
		return matrixBT601, true
	case "bt709":
		return matrixBT709, true
	}
	return yuvMatrix{}, false
}

// yuvConverterFor returns the converter of a source decoded at w × h whose frames may cross the pipe as
// planar Y'CbCr, and the layout they cross in (yuv420p at the source's size, yuv422p scaled down to an even
// width), or nil.
func yuvConverterFor(video Stream, w, h int) (*yuvConverter, yuvLayout) {
	m, ok := yuvMatrixFor(video.ColorSpace)
	if !ok || video.PixFmt != "yuv420p" || video.ColorRange == "pc" || video.AlphaMode || video.Rotation != 0 {
		return nil, yuvLayout{}
	}
	if w != video.Width || h != video.Height {
		if w%2 == 1 || w > video.Width || h > video.Height {
			return nil, yuvLayout{}
		}
		return sharedYUVConverter(m), yuv422p
	}
	return sharedYUVConverter(m), yuv420p
}

// yuvConverters holds one converter per matrix (about 6 KB of tables each), built on first use and shared
// by every decoder: a converter is read-only once built.
var yuvConverters sync.Map // yuvMatrix → *yuvConverter

func sharedYUVConverter(m yuvMatrix) *yuvConverter {
	if c, ok := yuvConverters.Load(m); ok {
		return c.(*yuvConverter)
	}
	c, _ := yuvConverters.LoadOrStore(m, newYUVConverter(m))
	return c.(*yuvConverter)
}

// yuvConverter converts yuv420p frames of one matrix to opaque RGBA through per-value tables.
type yuvConverter struct {
	y          [256]int32 // (Y − 16)·lumaScale, with the rounding of the final shift
	rv, bu     [256]int32 // crv·(V − 128), cbu·(U − 128)
	gu, gv     [256]int32 // cgu·(U − 128), cgv·(V − 128)
	clampTable [1024]uint8
	k          yuvConstants // the same arithmetic for the vector kernel
}

// yuvConstants are the vector kernel's constants, in the order it loads them.
type yuvConstants struct {
	crv, cbu, cgu, cgv int32
	lumaScale          int32
	lumaOffset         int32 // 16·lumaScale − rounding: Y' = Y·lumaScale − lumaOffset
	half, max, alpha   int32 // 128, 255, opaque alpha (0xFF000000)
}

// clampBias is where 0 lies in clampTable: sums reach about −290..550 before clamping.
const clampBias = 384

func newYUVConverter(m yuvMatrix) *yuvConverter {
	c := &yuvConverter{k: yuvConstants{crv: m.crv, cbu: m.cbu, cgu: m.cgu, cgv: m.cgv,
		lumaScale: lumaScale, lumaOffset: 16*lumaScale - 1<<15, half: 128, max: 255, alpha: -1 << 24}}
	for i := range 256 {
		c.y[i] = int32(i-16)*lumaScale + 1<<15
		c.rv[i] = m.crv * int32(i-128)
		c.bu[i] = m.cbu * int32(i-128)
		c.gu[i] = m.cgu * int32(i-128)
		c.gv[i] = m.cgv * int32(i-128)
	}
	for i := range c.clampTable {
		c.clampTable[i] = uint8(min(255, max(0, i-clampBias)))
	}
	return c
}

// convert writes the frame src, laid out as l, into dst, opaque, of the same size.
func (c *yuvConverter) convert(dst *image.RGBA, src []byte, l yuvLayout) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	cw, ch := l.chromaSize(w, h)
	yPlane, uPlane, vPlane := src[:w*h], src[w*h:w*h+cw*ch], src[w*h+cw*ch:w*h+2*cw*ch]
	for y := 0; y < h; y++ {
		cy := y / l.rowsPerChroma
		c.convertRow(dst.Pix[y*dst.Stride:y*dst.Stride+4*w], yPlane[y*w:y*w+w], uPlane[cy*cw:cy*cw+cw], vPlane[cy*cw:cy*cw+cw])
	}
}

// convertRow converts one row of luma with its row of half-width chroma, two pixels (one chroma sample) at
// a time.
func (c *yuvConverter) convertRow(dst, ys, us, vs []byte) {
	dst, us, vs = dst[:4*len(ys)], us[:(len(ys)+1)/2], vs[:(len(ys)+1)/2]
	if n := c.convertRowVector(dst, ys, us, vs); n > 0 { // whole steps of 8 pixels, the rest below
		dst, ys, us, vs = dst[4*n:], ys[n:], us[n/2:], vs[n/2:]
	}
	clamp := &c.clampTable
	pairs := len(ys) / 2
	for i := range pairs {
		u, v := us[i], vs[i]
		r, g, b := c.rv[v], c.gu[u]+c.gv[v], c.bu[u]
		l0, l1 := c.y[ys[2*i]], c.y[ys[2*i+1]]
		p := uint64(clamp[((l0+r)>>16+clampBias)&1023]) |
			uint64(clamp[((l0-g)>>16+clampBias)&1023])<<8 |
			uint64(clamp[((l0+b)>>16+clampBias)&1023])<<16 |
			uint64(clamp[((l1+r)>>16+clampBias)&1023])<<32 |
			uint64(clamp[((l1-g)>>16+clampBias)&1023])<<40 |
			uint64(clamp[((l1+b)>>16+clampBias)&1023])<<48 |
			0xFF000000_FF000000
		binary.LittleEndian.PutUint64(dst[8*i:], p)
	}
	if len(ys)%2 == 1 {
		u, v := us[pairs], vs[pairs]
		l := c.y[ys[2*pairs]]
		binary.LittleEndian.PutUint32(dst[8*pairs:],
			uint32(clamp[((l+c.rv[v])>>16+clampBias)&1023])|
				uint32(clamp[((l-c.gu[u]-c.gv[v])>>16+clampBias)&1023])<<8|
				uint32(clamp[((l+c.bu[u])>>16+clampBias)&1023])<<16|0xFF000000)
	}
}
