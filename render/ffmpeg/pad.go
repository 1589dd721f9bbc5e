package ffmpeg

// edgePadder turns frames of an odd width or height into the next even size by repeating the last column
// and row, which H.264 in 4:2:0 needs. It reuses one output buffer.
type edgePadder struct {
	inW, inH, outW, outH int
	rgba                 bool
	buf                  []byte
}

// newEdgePadder returns a padder for o's frames, or nil when o needs none.
func newEdgePadder(o EncodeOptions) *edgePadder {
	if !o.Format.isH264() || (o.Width%2 == 0 && o.Height%2 == 0) {
		return nil
	}
	p := &edgePadder{inW: o.Width, inH: o.Height, outW: o.Width + o.Width%2, outH: o.Height + o.Height%2,
		rgba: o.InputPixFmt == PixFmtRGBA}
	p.buf = make([]byte, EncodeOptions{Width: p.outW, Height: p.outH, InputPixFmt: o.InputPixFmt}.FrameSize())
	return p
}

// pad returns frame padded to the even size. The result is valid until the next call.
func (p *edgePadder) pad(frame []byte) []byte {
	if p.rgba {
		padPlane(p.buf, frame, p.inW, p.inH, p.outW, p.outH, 4)
		return p.buf
	}
	// Luma grows by a column and/or row; the chroma planes are already rounded up, so keep their size.
	padPlane(p.buf, frame, p.inW, p.inH, p.outW, p.outH, 1)
	copy(p.buf[p.outW*p.outH:], frame[p.inW*p.inH:])
	return p.buf
}

// padPlane copies a w×h plane of bpp-byte pixels into an ow×oh plane, repeating the last pixel of each row
// and the last row.
func padPlane(dst, src []byte, w, h, ow, oh, bpp int) {
	rowIn, rowOut := w*bpp, ow*bpp
	for y := 0; y < oh; y++ {
		sy := min(y, h-1)
		out := dst[y*rowOut : (y+1)*rowOut]
		n := copy(out, src[sy*rowIn:(sy+1)*rowIn])
		for x := n; x < rowOut; x += bpp {
			copy(out[x:x+bpp], out[n-bpp:n])
		}
	}
}
