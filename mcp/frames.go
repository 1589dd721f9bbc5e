package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/schemas"
)

// Bounds of the frames the tools draw.
const (
	// MaxFrameWidth is the widest frame render_frame draws; wider requests are scaled down to it.
	MaxFrameWidth = 1920
	// MaxSheetFrames is the most frames one contact sheet holds.
	MaxSheetFrames = 24
	// sheetGap is the space between the cells of a contact sheet, in pixels.
	sheetGap = 4
)

// validate checks raw against the protocol and lim and describes the video a valid document makes.
func validate(raw []byte, lim schemas.Limits) ValidationResult {
	res := schemas.Validate(raw, lim)
	out := ValidationResult{Valid: res.OK(), Errors: res.Errors, Warnings: res.Warnings}
	if out.Errors == nil {
		out.Errors = []core.Problem{}
	}
	if out.Warnings == nil {
		out.Warnings = []core.Problem{}
	}
	if out.Valid {
		m := res.Document.Meta
		out.Width, out.Height, out.FPS, out.Duration = m.Width, m.Height, m.FrameRate(), schemas.Duration(res.Document)
		q, cost := core.RenderCost(m.Width, m.Height, out.Duration)
		out.Quality, out.Cost = q.Name, cost
	}
	return out
}

// drawFrames validates raw and draws its frames at times, width px wide (0: the document's width, at
// most MaxFrameWidth), fetching media with opts. An invalid document is INVALID_CONFIG, a time outside
// the video or a bad width INVALID_REQUEST.
func drawFrames(ctx context.Context, raw json.RawMessage, lim schemas.Limits, times []float64, width int, opts assets.Options) ([]image.Image, error) {
	res := schemas.Validate(raw, lim)
	if !res.OK() {
		return nil, core.InvalidConfig("Invalid video configuration: "+res.Errors[0].String(), res.Errors, res.Warnings)
	}
	doc := res.Document
	duration := schemas.Duration(doc)
	for _, t := range times {
		if math.IsNaN(t) || t < 0 || t > duration {
			return nil, core.InvalidRequest("time %g is outside the video, which lasts %g s", t, duration)
		}
	}
	if width < 0 {
		return nil, core.InvalidRequest("width must be a positive number of pixels")
	}
	if width == 0 || width > doc.Meta.Width {
		width = doc.Meta.Width
	}
	width = max(min(width, MaxFrameWidth), 16)
	if err := checkFramesBudget(len(times), width, doc.Meta.Width, doc.Meta.Height); err != nil {
		return nil, err
	}
	tl, err := render.Load(ctx, doc, render.Options{Assets: opts, Width: width, Workers: 1})
	if err != nil {
		return nil, core.InvalidRequest("the document could not be prepared for drawing: %v", err).WithCause(err)
	}
	defer tl.Close()
	last := math.Max(0, duration-1/tl.FPS) // the last frame starts one frame before the end
	frames := make([]image.Image, len(times))
	for i, t := range times {
		img, err := tl.Frame(ctx, math.Min(t, last))
		if err != nil {
			return nil, fmt.Errorf("draw the frame at %g s: %w", t, err)
		}
		frames[i] = img
	}
	return frames, nil
}

// checkFramesBudget bounds the pixels of the n frames one call draws, width px wide, of a docW × docH
// video (24 frames of 1024 × 4096 took 1.56 GB): schemas.DrawBudget().MaxFramesPixels in all.
func checkFramesBudget(n, width, docW, docH int) error {
	height := max(1, int(math.Round(float64(width)*float64(docH)/float64(docW))))
	limit := schemas.DrawBudget().MaxFramesPixels
	if px := n * width * height; px > limit {
		fit := int(math.Sqrt(float64(limit) / float64(n) * float64(docW) / float64(docH)))
		return core.InvalidRequest("%d frames of %d×%d px are %.1f million pixels; one call draws at most %.0f million: ask for fewer frames, or a width of at most %d px",
			n, width, height, float64(px)/1e6, float64(limit)/1e6, fit)
	}
	return nil
}

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
