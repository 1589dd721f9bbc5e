package mcp

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"github.com/framecast/framecast/core"
)

// Bounds of the frames the tools draw.
const (
	// MaxFrameWidth is the widest frame render_frame draws; wider requests are scaled down to it.
	MaxFrameWidth = core.MaxFrameWidth
	// MaxSheetFrames is the most frames one contact sheet holds.
	MaxSheetFrames = 24
	// sheetGap is the space between the cells of a contact sheet, in pixels.
	sheetGap = 4
)

// evenTimes returns n times spread over a video of duration seconds: the middles of n equal parts.
func evenTimes(n int, duration float64) []float64 {
	times := make([]float64, n)
	for i := range times {
		times[i] = duration * (float64(i) + 0.5) / float64(n)
	}
	return times
}

// contactSheet lays frames of one size out in a grid, left to right then top to bottom, columns wide,
// on a dark background with sheetGap pixels between cells.
func contactSheet(frames []image.Image, columns int) *image.RGBA {
	cell := frames[0].Bounds().Size()
	rows := (len(frames) + columns - 1) / columns
	sheet := image.NewRGBA(image.Rect(0, 0, columns*cell.X+(columns+1)*sheetGap, rows*cell.Y+(rows+1)*sheetGap))
	draw.Draw(sheet, sheet.Bounds(), image.NewUniform(color.RGBA{24, 24, 27, 255}), image.Point{}, draw.Src)
	for i, f := range frames {
		x := sheetGap + (i%columns)*(cell.X+sheetGap)
		y := sheetGap + (i/columns)*(cell.Y+sheetGap)
		draw.Draw(sheet, image.Rect(x, y, x+cell.X, y+cell.Y), f, f.Bounds().Min, draw.Over)
	}
	return sheet
}

// sheetColumns is the number of columns of a contact sheet of n frames: as square a grid as possible.
func sheetColumns(n int) int {
	return max(1, int(math.Ceil(math.Sqrt(float64(n)))))
}

// encodePNG writes img as a PNG, fast rather than small (the images go to a model, once).
func encodePNG(w io.Writer, img image.Image) error {
	return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
}
