package mcp

import (
	"image"
	"image/color"
	"image/draw"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// A contact sheet says when each cell is: under every frame, a strip with its time ("1.25 s"), so that a
// model reading the sheet can tell which moment to fix or to look at closer with render_frame. The strip
// sits below the frame (the frame's pixels are untouched) and is drawn with the 7×13 bitmap face of
// x/image, scaled by whole pixels so that it stays sharp: ×1 up to 400 px wide cells, ×2 up to 800, …

// labelFace is the bitmap face of the time labels.
var labelFace = basicfont.Face7x13

// labelScale is the whole-pixel magnification of the labels of cells cellWidth wide.
func labelScale(cellWidth int) int { return max(1, (cellWidth+399)/400) }

// labelHeight is the height of the strip under each cell.
func labelHeight(scale int) int { return (labelFace.Height + 4) * scale }

// formatTime writes a time for a label: seconds with up to two decimals.
func formatTime(t float64) string {
	return strconv.FormatFloat(float64(int64(t*100+0.5))/100, 'f', -1, 64) + " s"
}

// labelledSheet lays frames out like contactSheet, left to right then top to bottom, columns wide, with
// each frame's time from times written in a strip under it.
func labelledSheet(frames []image.Image, times []float64, columns int) *image.RGBA {
	cell := frames[0].Bounds().Size()
	scale := labelScale(cell.X)
	strip := labelHeight(scale)
	rows := (len(frames) + columns - 1) / columns
	sheet := image.NewRGBA(image.Rect(0, 0, columns*cell.X+(columns+1)*sheetGap, rows*(cell.Y+strip)+(rows+1)*sheetGap))
	draw.Draw(sheet, sheet.Bounds(), image.NewUniform(color.RGBA{24, 24, 27, 255}), image.Point{}, draw.Src)
	for i, f := range frames {
		x := sheetGap + (i%columns)*(cell.X+sheetGap)
		y := sheetGap + (i/columns)*(cell.Y+strip+sheetGap)
		draw.Draw(sheet, image.Rect(x, y, x+cell.X, y+cell.Y), f, f.Bounds().Min, draw.Over)
		if i < len(times) {
			drawLabel(sheet, formatTime(times[i]), image.Pt(x+2*scale, y+cell.Y+2*scale), scale, x+cell.X)
		}
	}
	return sheet
}

// drawLabel writes text in light grey with its top-left corner at at, magnified scale times, clipped at
// the x coordinate right.
func drawLabel(dst *image.RGBA, text string, at image.Point, scale, right int) {
	w := font.MeasureString(labelFace, text).Ceil()
	small := image.NewAlpha(image.Rect(0, 0, w, labelFace.Height))
	d := font.Drawer{Dst: small, Src: image.Opaque, Face: labelFace, Dot: fixed.P(0, labelFace.Ascent)}
	d.DrawString(text)
	ink := color.RGBA{228, 228, 231, 255}
	for y := 0; y < labelFace.Height; y++ {
		for x := 0; x < w; x++ {
			if small.AlphaAt(x, y).A < 128 {
				continue
			}
			r := image.Rect(at.X+x*scale, at.Y+y*scale, at.X+(x+1)*scale, at.Y+(y+1)*scale)
			r.Max.X = min(r.Max.X, right)
			draw.Draw(dst, r, image.NewUniform(ink), image.Point{}, draw.Src)
		}
	}
}
