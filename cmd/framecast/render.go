package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/render/ffmpeg"
	"github.com/framecast/framecast/schemas"
)

func init() {
	register("render", "render a document to a video file", runRender)
	register("frame", "render one frame of a document to a PNG or JPEG", runFrame)
	register("validate", "check a document and list every problem", runValidate)
	register("schema", "print the document's JSON Schema", runSchema)
}

// parseInterleaved parses flags that may come before, between or after the positional arguments (Go's flag
// package stops at the first positional one) and returns the positional arguments in order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) > 0 {
			positional = append(positional, args[0])
			args = args[1:]
		}
	}
	return positional, nil
}

// parseArgs parses the flags of a command that takes one document.
func parseArgs(fs *flag.FlagSet, args []string) (string, error) {
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return "", err
	}
	if len(positional) != 1 {
		return "", fmt.Errorf("%s: give exactly one document (a JSON file, or - for standard input)", fs.Name())
	}
	return positional[0], nil
}

// cliRules are the command line's validation rules: the service's default limits, and any media reference,
// since the command-line renderer reads local files and addresses itself.
var cliRules = core.Rules{AllowLocalFiles: true, AllowPrivateURLs: true}

// loadDocument reads and validates a document, printing its problems. It fails when there is an error.
func loadDocument(path string) (*schemas.Document, []byte, error) {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the document: %w", err)
	}
	return checkDocument(raw, path)
}

// checkDocument validates a document read from name, printing its problems. It fails when there is an
// error.
func checkDocument(raw []byte, name string) (*schemas.Document, []byte, error) {
	res, doc := core.CheckDocument(raw, cliRules)
	for _, w := range res.Warnings {
		fmt.Fprintf(os.Stderr, "warning: %s: %s\n", w.Path, w.Message)
	}
	if !res.Valid {
		for _, e := range res.Errors {
			fmt.Fprintf(os.Stderr, "error: %s: %s\n", e.Path, e.Message)
		}
		fmt.Fprintf(os.Stderr, "%s: %d error(s)\n", name, len(res.Errors))
		return nil, nil, exitError{code: 1}
	}
	return doc, raw, nil
}

type engineFlags struct {
	allowPrivate bool
	cacheDir     string
	workers      int
}

func (e *engineFlags) add(fs *flag.FlagSet) {
	fs.BoolVar(&e.allowPrivate, "allow-private-urls", false, "let asset URLs reach loopback and private addresses")
	fs.StringVar(&e.cacheDir, "cache", "", "asset cache folder (default: the user cache folder)")
	fs.IntVar(&e.workers, "workers", 0, "frames drawn at once (default: number of CPUs)")
}

func (e *engineFlags) options(docPath string) render.Options {
	base := "."
	if docPath != "-" {
		base = filepath.Dir(docPath)
	}
	return render.Options{
		Workers: e.workers,
		Assets: assets.Options{
			CacheDir: e.cacheDir, AllowLocal: true, BaseDir: base,
			Policy: netguard.Policy{AllowPrivate: e.allowPrivate},
		},
		Warn: func(msg string) { fmt.Fprintln(os.Stderr, "warning:", msg) },
	}
}

func runRender(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	out := fs.String("o", "", "output file (default: the document's name with the format's extension)")
	segments := fs.Int("segments", 1, "render in N segments and join them (as a cluster of workers would)")
	format := fs.String("format", "", "mp4, webm or gif (default: from the output's extension, else mp4)")
	preset := fs.String("preset", "veryfast", "x264 preset")
	crf := fs.Int("crf", 20, "x264 CRF (quality: lower is better)")
	quiet := fs.Bool("q", false, "no progress bar")
	segmentCache := fs.String("segment-cache", defaultSegmentCache(), `folder of reusable segments: an MP4 render redraws only the segments (about 2 s, cut where clips start and end) whose content is not stored there yet ("off": draw everything)`)
	varsPath := fs.String("vars", "", "a JSON file of variable values to merge into the template's {{name}} placeholders")
	csvPath := fs.String("csv", "", "a CSV of variable sets (header row: variable names) to render one video per row; -o may name columns as {{column}}")
	var ef engineFlags
	ef.add(fs)
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if _, _, err := ffmpeg.FindFFmpeg(); err != nil {
		return err
	}
	if *format == "" {
		*format = strings.TrimPrefix(filepath.Ext(*out), ".")
		if *format != "webm" && *format != "gif" {
			*format = "mp4"
		}
	}
	job := renderJob{format: *format, preset: *preset, crf: *crf, segments: *segments, segmentCache: *segmentCache, quiet: *quiet, engine: ef}
	switch {
	case *csvPath != "" && *varsPath != "":
		return fmt.Errorf("render: give --vars (one video) or --csv (one video per row), not both")
	case *csvPath != "":
		return renderCSV(ctx, path, *csvPath, *out, job)
	}
	var doc *schemas.Document
	if *varsPath != "" {
		doc, err = loadMerged(path, *varsPath)
	} else {
		doc, _, err = loadDocument(path)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		*out = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + "." + *format
	}
	return job.run(ctx, doc, path, *out)
}

// renderJob holds the render command's output settings.
type renderJob struct {
	format, preset string
	crf, segments  int
	// segmentCache is the folder of reusable segments ("off": none), shared by every row of a CSV.
	segmentCache string
	quiet        bool
	engine       engineFlags
}

// run renders doc (read from path, which local media paths are relative to) to out.
func (j renderJob) run(ctx context.Context, doc *schemas.Document, path, out string) error {
	opts := j.engine.options(path)
	opts.Format, opts.Preset, opts.CRF = j.format, j.preset, j.crf
	start := time.Now()
	if !j.quiet {
		opts.Progress = progressBar(start)
	}
	if err := checkLocalFiles(doc, opts.Assets.BaseDir); err != nil {
		return err
	}
	tl, err := render.Load(ctx, doc, opts)
	if err != nil {
		return err
	}
	defer tl.Close()
	reuse, err := renderFile(ctx, tl, out, j.format, j.segments, j.segmentCache)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	reused := ""
	if reuse.SegmentsTotal > 0 {
		reused = fmt.Sprintf(", %d of %d segments reused", reuse.SegmentsReused, reuse.SegmentsTotal)
	}
	fmt.Fprintf(os.Stderr, "\nwrote %s: %d frames at %g fps, %s of video in %.2f s (%.1f frames/s%s)\n",
		out, tl.Frames, tl.FPS, videoLength(tl.Duration, tl.Frames, tl.FPS), elapsed.Seconds(), float64(tl.Frames)/elapsed.Seconds(), reused)
	return nil
}

// renderFile writes a loaded document to out in format. An MP4 is rendered by reuse segments through the
// segment cache folder (unless it is "off" or segments asks for a cluster-like split): a render of a
// document that shares segments with an earlier one (the rows of a CSV, an edited title) draws only the
// segments that changed. reuse is zero when the cache was not used.
func renderFile(ctx context.Context, tl *render.Timeline, out, format string, segments int, segmentCache string) (reuse render.ReuseStats, err error) {
	switch {
	case segments > 1 && format == "mp4":
		return reuse, tl.RenderSegments(ctx, out, segments)
	case format == "mp4" && segmentCache != "" && segmentCache != "off":
		return tl.RenderReusing(ctx, out, render.DirSegmentCache(segmentCache))
	}
	return reuse, tl.Render(ctx, out)
}

// defaultSegmentCache is the segment cache folder under the user cache folder ("off" when there is none).
func defaultSegmentCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "off"
	}
	return filepath.Join(dir, "framecast", "segments")
}

// progressBar draws "[#####.....] 120/300 frames  45.2 fps  ETA 4s" on stderr, at most 10 times a second.
func progressBar(start time.Time) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		now := time.Now()
		if done != total && now.Sub(last) < 100*time.Millisecond {
			return
		}
		last = now
		const width = 30
		filled := done * width / max(total, 1)
		fps := float64(done) / now.Sub(start).Seconds()
		eta := "?"
		if fps > 0 {
			eta = (time.Duration(float64(total-done)/fps) * time.Second).Round(time.Second).String()
		}
		fmt.Fprintf(os.Stderr, "\r[%s%s] %d/%d frames  %.1f fps  ETA %s   ",
			strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, fps, eta)
	}
}

func runFrame(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("frame", flag.ContinueOnError)
	at := fs.Float64("at", 0, "time in seconds")
	out := fs.String("o", "frame.png", "output image (.png or .jpg)")
	width := fs.Int("width", 0, "output width (default: the document's)")
	var ef engineFlags
	ef.add(fs)
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	doc, _, err := loadDocument(path)
	if err != nil {
		return err
	}
	opts := ef.options(path)
	opts.Width = *width
	if err := checkLocalFiles(doc, opts.Assets.BaseDir); err != nil {
		return err
	}
	tl, err := render.Load(ctx, doc, opts)
	if err != nil {
		return err
	}
	defer tl.Close()
	if last := tl.FrameTime(tl.Frames - 1); *at < 0 || *at > last+1e-9 {
		return fmt.Errorf("--at %g is outside the document, which lasts %.2f s (%d frames at %g fps): give a time from 0 to %.3f", *at, tl.Duration, tl.Frames, tl.FPS, last)
	}
	img, err := tl.Frame(ctx, *at)
	if err != nil {
		return err
	}
	format := "png"
	if ext := strings.ToLower(filepath.Ext(*out)); ext == ".jpg" || ext == ".jpeg" {
		format = "jpeg"
	}
	if err := ffmpeg.WriteImage(*out, img, format, 90); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%dx%d at %.3fs)\n", *out, img.Bounds().Dx(), img.Bounds().Dy(), *at)
	return nil
}

func runValidate(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if *asJSON {
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		res, _ := core.CheckDocument(raw, cliRules)
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
		if !res.Valid {
			return exitError{code: 1}
		}
		return nil
	}
	doc, _, err := loadDocument(path)
	if err != nil {
		return err
	}
	d := schemas.Duration(doc)
	fps := doc.Meta.FPS
	if fps <= 0 {
		fps = schemas.DefaultFPS
	}
	frames := render.FrameCount(d, fps)
	fmt.Printf("%s: valid (%dx%d, %d frames at %g fps: %s)\n", path, doc.Meta.Width, doc.Meta.Height, frames, fps, videoLength(d, frames, fps))
	return nil
}

// videoLength says how long the video is: whole frames at fps. When the document's duration is not a whole
// number of frames it says so too, so the printed length always matches the frame count ("1.00 s (the
// document's 1.01 s rounded to whole frames)").
func videoLength(d float64, frames int, fps float64) string {
	v := float64(frames) / fps
	if math.Abs(v-d) < 1e-9 {
		return fmt.Sprintf("%.2f s", v)
	}
	return fmt.Sprintf("%.3f s (the document's %.3f s rounded to whole frames)", v, d)
}

// checkLocalFiles names every local file the document reads (paths relative to baseDir, or file: URLs) that
// does not exist, all at once, before anything is drawn.
func checkLocalFiles(doc *schemas.Document, baseDir string) error {
	var missing []string
	for _, m := range doc.MediaURLs() {
		p := m.URL
		switch {
		case strings.HasPrefix(strings.ToLower(p), "file://"):
			p = p[len("file://"):]
		case strings.Contains(p, "://"), strings.HasPrefix(strings.ToLower(p), "data:"):
			continue
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(baseDir, p)
		}
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, fmt.Sprintf("  %s: %q", m.Path, m.URL))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%d local file(s) not found (paths are relative to the document's folder %s):\n%s", len(missing), baseDir, strings.Join(missing, "\n"))
}

func runSchema(_ context.Context, _ []string) error {
	b, err := schemas.JSONSchema()
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(append(b, '\n'))
	return err
}
