// Package paint draws a clip's content into a raster.Layer, in the clip's own coordinates and at its box size:
// shapes (Rect, Circle, Polygon), lines and SVG paths (Stroke), SVG documents (SVG), decoded and fitted images
// (DecodeImage, Fit, RoundCorners), and the effects that change a layer's pixels (ApplyFilters, Blur, Shadow).
// Placing a layer on the canvas (position, rotation, scale, opacity, blend) belongs to the compositor; text
// belongs to render/text, which fills glyphs with Source.
//
// Every layer is a premultiplied *image.RGBA, antialiased. Angles follow the document everywhere: degrees,
// 0 = 3 o'clock, clockwise on screen (y points down). Content is drawn once per distinct set of parameters and
// cached by the engine, so these functions favor quality over speed.
//
// # Rasterizer
//
// Geometry comes from github.com/tdewolff/canvas (SVG path data, arcs, stroke outlines with caps, joins and a
// miter limit of 4, path length and splitting for drawStart/drawEnd and offsets). Its outlines are flattened to
// 0.05 px and filled with golang.org/x/image/vector directly, not through canvas's own renderer, which also uses
// x/image/vector but works in millimeters with y up, builds a Canvas per drawing and brings its own gradient and
// color-space conventions. Measured with BenchmarkRasterizers on the project machine (2 cores shared with
// other builds, load average 10-20 while measuring: trust ratios, not absolute times), a filled and stroked
// 1000 px circle on a full-HD layer, range of 3 runs: this package 31-52 ms, canvas's rasterizer 20-25 ms,
// srwiley/rasterx 69-98 ms. canvas's renderer is somewhat faster, but content is drawn once and cached, and the
// direct path gives what matters more: masks in pixel coordinates, our premultiplied sRGB gradients and angle
// conventions, and control over precision (x/image/vector's fixed-point accumulator, which both would use for
// small shapes, was measured 16/255 off along 45° edges; see minRasterizerWidth). x/image/vector alone would
// need our own curve flattening and stroker; rasterx is the slowest and is used only where a whole SVG
// document must be understood: SVG renders with github.com/srwiley/oksvg + rasterx.
//
// # Paints
//
// Source turns a schemas.Paint into an image laid out over a box. Linear gradients: 0° = left to right,
// 90° = top to bottom (the default), through the box center, long enough that the end stops reach the box
// corners (as CSS does). Radial: from the box center (offset 0) to the farthest corner (offset 1), a circle.
// Conic: around the box center, starting at angle (default 0 = 3 o'clock), clockwise. Stops are interpolated in
// sRGB between premultiplied colors, so a stop fading to transparent does not turn gray.
//
// # Boxes
//
// Shapes: the box is the shape's size (w×h, or diameter×diameter); a stroke is centered on the edge and the
// layer grows on every side to hold it, BoxX/BoxY giving the box's corner, kept on whole pixels so straight
// edges stay crisp. Lines and paths: the box is the point (0, 0) of the clip's coordinates (BoxW = BoxH = 0) and
// the layer is the bounding box of what is drawn. Images: the box is the layer. Blur and Shadow grow the layer
// and move BoxX/BoxY so the box stays over the same content.
//
// # Images
//
// DecodeImage reads PNG, JPEG, GIF (first frame), WebP and SVG in pure Go; AVIF and HEIC give ErrNeedsFFmpeg.
// Fit scales once with x/image/draw's Catmull-Rom kernel, which widens when shrinking so downscaled pictures do
// not alias: on 1600×1200 → 800×600 it measured 84-157 ms against 26-31 ms for ApproxBiLinear (which samples
// without filtering and shimmers on fine detail), a price paid once per image and size.
//
// # Filters
//
// ApplyFilters follows CSS Filter Effects: blur's value is the gaussian's standard deviation (three box blurs
// on premultiplied pixels); brightness, contrast, saturate, hue-rotate, grayscale, sepia and invert use the
// spec's matrices on unpremultiplied colors, clamped after each filter. Work is split over rows on all cores.
package paint
