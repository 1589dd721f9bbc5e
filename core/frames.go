package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/schemas"
)

// Bounds of the frames drawn on request (MCP's render_frame and render_frames, the player pages).
const (
	// MinFrameWidth and MaxFrameWidth bound a frame's width in pixels; a wider request is drawn at
	// MaxFrameWidth, so one request cannot ask for a 4K canvas per frame.
	MinFrameWidth = schemas.MinFrameWidth
	MaxFrameWidth = schemas.MaxFrameWidth
)

// FramesInput asks for frames of a document: the moments (seconds from the start) and the width of each
// frame (0: the document's width, at most MaxFrameWidth; the height follows the aspect ratio).
type FramesInput struct {
	Document json.RawMessage
	Times    []float64
	Width    int
}

// Frames draws frames of a document for the account, for free, with the engine that renders the final
// video. The document is validated as CreateTask validates it (INVALID_CONFIG with every problem); a
// time outside the video or a bad width is INVALID_REQUEST. The account's uploads are read from the
// object store, other media fetched through the service's address policy. The drawing takes one of the
// process's draw slots (AcquireDraw, shared with the player's frames): SERVER_BUSY when none frees in time.
func (s *Service) Frames(ctx context.Context, accountID string, in FramesInput) ([]image.Image, error) {
	release, err := s.acquireDraw(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return drawFrames(ctx, in, s.rules(), s.assetOptions(accountID, s.cfg.AssetCacheDir))
}

// DrawFrames draws frames as Service.Frames does, in a process without a service (a client of a remote
// server): every medium is fetched over the network, through the address policy of rules, and cached in
// cacheDir ("" for the user cache folder).
func DrawFrames(ctx context.Context, in FramesInput, rules Rules, cacheDir string) ([]image.Image, error) {
	opts := assets.Options{CacheDir: cacheDir, Policy: netguard.Policy{AllowPrivate: rules.AllowPrivateURLs}}
	return drawFrames(ctx, in, rules, opts)
}

func drawFrames(ctx context.Context, in FramesInput, rules Rules, media assets.Options) ([]image.Image, error) {
	res, doc := CheckDocument(in.Document, rules)
	if !res.Valid {
		return nil, res.invalidConfig()
	}
	duration := schemas.Duration(doc)
	for _, t := range in.Times {
		if math.IsNaN(t) || t < 0 || t > duration {
			return nil, InvalidRequest("time %g is outside the video, which lasts %g s", t, duration)
		}
	}
	width := in.Width
	if width < 0 {
		return nil, InvalidRequest("width must be a positive number of pixels")
	}
	if width == 0 || width > doc.Meta.Width {
		width = doc.Meta.Width
	}
	width = max(min(width, MaxFrameWidth), MinFrameWidth)
	if err := checkFramesBudget(len(in.Times), width, doc.Meta.Width, doc.Meta.Height); err != nil {
		return nil, err
	}
	tl, err := render.Load(ctx, doc, render.Options{Assets: media, Width: width, Workers: 1})
	if err != nil {
		return nil, drawError(err, "the document could not be prepared for drawing")
	}
	defer tl.Close()
	// A time at or past the end draws the last frame the video has (schemas.FrameTimeAt); times within it
	// are drawn as asked, between frames included (contact sheets space their times evenly).
	last := schemas.FrameTimeAt(duration, duration, tl.FPS)
	frames := make([]image.Image, len(in.Times))
	for i, t := range in.Times {
		img, err := tl.Frame(ctx, min(t, last))
		if err != nil {
			return nil, drawError(err, fmt.Sprintf("the frame at %g s could not be drawn", t))
		}
		frames[i] = img
	}
	return frames, nil
}

// drawError reports a failure of the engine: INVALID_CONFIG naming the path when the document cannot be
// drawn (render.DocumentError), the caller's error when it left, else INVALID_REQUEST saying what failed.
func drawError(err error, what string) error {
	if de := (*render.DocumentError)(nil); errors.As(err, &de) {
		return UndrawableDocument(de)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return InvalidRequest("%s: %v", what, err).WithCause(err)
}

// checkFramesBudget bounds the pixels of the n frames one call draws, width px wide, of a docW × docH
// video (24 frames of 1024 × 4096 took 1.56 GB): schemas.DrawBudget().MaxFramesPixels in all.
func checkFramesBudget(n, width, docW, docH int) error {
	height := max(1, int(math.Round(float64(width)*float64(docH)/float64(docW))))
	limit := schemas.DrawBudget().MaxFramesPixels
	if px := n * width * height; px > limit {
		fit := int(math.Sqrt(float64(limit) / float64(n) * float64(docW) / float64(docH)))
		return InvalidRequest("%d frames of %d×%d px are %.1f million pixels; one call draws at most %.0f million: ask for fewer frames, or a width of at most %d px",
			n, width, height, float64(px)/1e6, float64(limit)/1e6, fit)
	}
	return nil
}
