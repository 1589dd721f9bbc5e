// Package compose is the hot path of the renderer: it places clip layers on the frame and converts finished
// frames to the yuv420p planes the encoder reads.
//
// # Placing layers
//
// [Draw] maps a [raster.Layer] onto a canvas through a [Placement]: the layer's anchor point (a point of its
// box) goes to (X, Y), and scale, skew and rotation act around that point. Every destination pixel centre is
// mapped back into the layer image and sampled with bilinear filtering in premultiplied space, so edges come
// out antialiased without a separate coverage pass. Three paths share one row pipeline:
//
//   - integer translation (scale 1, no rotation or skew, offset within 1/64 px of a whole pixel): source rows
//     are read in place, with no resampling at all;
//   - everything else: an affine scan with fixed-point coordinates and bilinear sampling.
//
// Either path then applies the light sweep, opacity and mask, and finally blends the row into the canvas with
// the placement's [schemas.CompositeOperation]. Source-over, the common case, skips transparent source pixels
// and copies runs of opaque ones.
//
// Large draws (more than [ParallelThreshold] destination pixels) are split into row bands run on several
// goroutines; a [Drawer] with Workers set to 1 keeps everything on the calling goroutine, which is what a
// caller rendering several frames at once wants.
//
// # Converting frames
//
// [ToYUV420] writes BT.709 limited-range ("tv") yuv420p, the colour encoding H.264 players assume for HD
// video. The encoder should be told so, with the FFmpeg output options
//
//	-colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv
//
// [ToYUV420Rows] converts only a band of rows and [DiffRows] finds the band that changed between two frames,
// so an unchanged frame (or an unchanged part of one) costs almost nothing to convert again.
package compose
