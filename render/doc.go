// Package render turns a video document into frames and files.
//
// A frame is a pure function of the document and a time: Load prepares a Timeline (assets fetched, fonts loaded,
// templates expanded, layouts arranged, paint order fixed), and Timeline.Frame(t) draws the frame at t. Nothing
// in a frame depends on the frames drawn before it, so any worker can render any range of frames
// (RenderSegment) and the pieces join into the same video a single render would produce (Join).
//
// The work is split into packages with one job each:
//
//	motion   easing, preset animations, keyframes and transitions: where a clip is at time t
//	paint    shapes, gradients, images, SVG, filters and shadows drawn into a clip's own layer
//	text     fonts, shaping and text layers
//	compose  placing layers on the frame (affine, opacity, blend, masks) and converting frames to yuv420p
//	ffmpeg   the encoder, segment joins, video decoding and probing
//	audio    the whole soundtrack mixed in one FFmpeg filter graph
//	assets   fetching remote media once per render into a content-addressed cache
//
// Speed comes from not repeating work: a clip's content is drawn once per distinct look and cached, frames whose
// visible state equals the previous frame's are neither drawn nor sent again (the encoder receives frames with
// timestamps and FFmpeg repeats the picture at a constant frame rate), frames are drawn on all cores in parallel
// and converted to yuv420p in Go (with an AVX2 kernel where the CPU has one) before they reach FFmpeg, only
// where their clips are (canvases and buffers are reused holding the background, converted once, elsewhere), and
// decoded video frames are read into reused memory (a clip shown at its source's size crosses the decoder's pipe
// as yuv420p, 1.5 bytes a pixel instead of 4, and becomes RGBA in Go). Set-up happens once and side by side:
// each source is probed once per process (probes are remembered by content), media are fetched and probed
// together while the background and fonts are prepared, the encoder mixes the soundtrack itself while it encodes
// the pictures (no FFmpeg launch of its own, no remux after), the decoders of the videos on screen start
// together, and each starts once, a few frames early, since parallel workers ask slightly out of order.
//
// Across renders, nothing is drawn twice either. Timeline.Segments cuts a video on stable boundaries (a 2 s
// grid moved onto the clips' starts and ends, plus the edges at least 2/3 s from every other cut:
// SegmentBounds, from the clips' times only) so that a changed clip starts and ends its own segments, and
// keys each segment by exactly what it draws (the clips visible in its window with their full state, the
// content of their assets and fonts, the canvas, the output settings and EngineVersion); RenderReusing
// draws only the segments whose key a SegmentCache does not hold, encodes each on its own (starting on a
// keyframe, x264 on one thread so that the bytes are the same on every machine, several segments at a time
// so that one's encoder start and drain overlap another's frames) and joins them by stream copy,
// frame-identical to a render through an empty cache. The
// service keeps the cache per account in its blob store, the command line in a folder; `make bench-batch`
// measures what it saves on a batch of personalized videos and on an edited title.
package render

import "github.com/framecast/framecast/render/text"

// FontSetFingerprint identifies the fonts bundled with the engine (Liberation, DejaVu, the Noto fallbacks, Twemoji):
// workers with the same fingerprint draw the same text the same way. serve and worker log it at start.
func FontSetFingerprint() string { return text.FontSetFingerprint() }
