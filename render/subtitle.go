package render

import (
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/framecast/framecast/render/compose"
	"github.com/framecast/framecast/render/motion"
	"github.com/framecast/framecast/render/paint"
	"github.com/framecast/framecast/render/raster"
	"github.com/framecast/framecast/render/text"
	"github.com/framecast/framecast/schemas"
)

// subtitleLook draws word-timed captions: batches of words with the spoken word highlighted, or a stream of
// words appearing one by one.
type subtitleLook struct {
	fonts      *text.Registry
	words      []schemas.Word
	batches    []subtitleBatch
	perBatch   int
	stream     bool
	karaoke    bool
	fade       bool
	style      text.Style
	textColor  color.NRGBA
	highlight  color.NRGBA
	bg         *color.NRGBA
	shadow     *color.NRGBA
	shadowBlur float64
	boxWidth   float64
	position   schemas.SubtitlePosition
	padding    float64
	canvasW    float64
	canvasH    float64
}

const subtitleFade = 0.15 // seconds a new batch takes to fade in

// subtitleLinger is how long a batch of a word list stays up after its last word ends (unless the next batch
// starts sooner). A subtitle cue shows exactly for its own time.
const subtitleLinger = 0.5

// subtitleBatch is a group of words shown together: one cue of an SRT/WebVTT file, or wordsPerBatch words of a
// word list. It is on screen for start <= t < end.
type subtitleBatch struct {
	first, last int // word indices, inclusive
	start, end  float64
}

// subtitleCue is one cue of an SRT or WebVTT file: its time and the index of its first word.
type subtitleCue struct {
	start, end float64
	first      int
}

// Safe area: captions stay inside the frame less this share of each edge (the title-safe margin).
const subtitleSafeMargin = 0.05

// maxWordsPerBatch bounds wordsPerBatch (the look's key keeps the number of words shown in 8 bits).
const maxWordsPerBatch = 255

func (tl *Timeline) subtitleLook(ctx context.Context, s *schemas.SubtitleClip, g *motion.Geometry) (look, error) {
	words, cues, err := tl.subtitleWords(ctx, s.Words)
	if err != nil {
		return nil, err
	}
	cfg := schemas.SubtitleConfig{}
	if s.Config != nil {
		cfg = *s.Config
	}
	l := &subtitleLook{
		fonts: tl.fonts, words: words, perBatch: 4, stream: cfg.Mode == schemas.SubtitleModeStream, karaoke: cfg.Mode == schemas.SubtitleModeKaraoke,
		fade: cfg.FadeInAnimation == nil || *cfg.FadeInAnimation, position: cfg.Position,
		padding: 150 * tl.docH / 1080, canvasW: tl.docW, canvasH: tl.docH,
		textColor: color.NRGBA{255, 255, 255, 255}, highlight: color.NRGBA{0, 255, 255, 255},
	}
	if cfg.WordsPerBatch > 0 {
		l.perBatch = min(cfg.WordsPerBatch, maxWordsPerBatch)
	}
	if cfg.PaddingBottom != nil {
		l.padding = *cfg.PaddingBottom
	}
	l.batches = subtitleBatches(words, cues, l.perBatch, cfg.Hold != nil && *cfg.Hold)
	// The default size follows the frame: 5% of its short edge (54 px at 1080p, 36 px at 720p).
	l.style = text.Style{Family: cfg.FontFamily, Size: 0.05 * math.Min(tl.docW, tl.docH), Weight: 800, LineHeight: 1.2, Align: cfg.TextAlign}
	if cfg.FontSize != nil {
		l.style.Size = *cfg.FontSize
	}
	if cfg.FontWeight != nil {
		l.style.Weight = cfg.FontWeight.Value
	}
	if cfg.BorderColor != nil && cfg.BorderWidth != nil {
		l.style.Stroke = schemas.SolidPaint(string(*cfg.BorderColor))
		l.style.StrokeWidth = *cfg.BorderWidth
	}
	parse := func(c *schemas.Color, dst *color.NRGBA) error {
		if c == nil {
			return nil
		}
		v, err := schemas.ParseColor(string(*c))
		if err == nil {
			*dst = v
		}
		return err
	}
	if err := parse(cfg.TextColor, &l.textColor); err != nil {
		return nil, err
	}
	if err := parse(cfg.HighlightColor, &l.highlight); err != nil {
		return nil, err
	}
	if cfg.BackgroundColor != nil {
		var bg color.NRGBA
		if err := parse(cfg.BackgroundColor, &bg); err != nil {
			return nil, err
		}
		l.bg = &bg
	}
	if cfg.ShadowColor != nil {
		var sh color.NRGBA
		if err := parse(cfg.ShadowColor, &sh); err != nil {
			return nil, err
		}
		l.shadow, l.shadowBlur = &sh, l.style.Size/10
		if cfg.ShadowBlur != nil {
			l.shadowBlur = *cfg.ShadowBlur
		}
	}
	l.boxWidth = 0.7 * tl.docW
	if cfg.TextBoxWidth != nil {
		l.boxWidth = cfg.TextBoxWidth.Px(tl.docW)
	}
	// The subtitle's box is the whole canvas; the words are placed inside it.
	g.X, g.Y, g.Width, g.Height, g.AnchorX, g.AnchorY = tl.docW/2, tl.docH/2, tl.docW, tl.docH, 0.5, 0.5
	return l, nil
}

// subtitleWords resolves the word list in any of its forms; from SRT or WebVTT it also returns the cues.
func (tl *Timeline) subtitleWords(ctx context.Context, w *schemas.Words) ([]schemas.Word, []subtitleCue, error) {
	if w == nil {
		return nil, nil, nil
	}
	switch {
	case w.Ref != "":
		if tl.Doc.Assets != nil {
			for _, a := range tl.Doc.Assets.Subtitles {
				if a.ID == w.Ref {
					return tl.subtitleWords(ctx, &a.Words)
				}
			}
		}
		return nil, nil, fmt.Errorf("unknown subtitles asset %q", w.Ref)
	case w.SRT != "":
		return parseCues(w.SRT)
	case w.VTT != "":
		return parseCues(w.VTT)
	case w.Src != "":
		path, err := tl.fetcher.Fetch(ctx, w.Src)
		if err != nil {
			return nil, nil, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		if trimmed := strings.TrimSpace(string(data)); strings.HasPrefix(trimmed, "[") {
			var list []schemas.Word
			if err := json.Unmarshal(data, &list); err != nil {
				return nil, nil, fmt.Errorf("words from %s: %w", w.Src, err)
			}
			return list, nil, nil
		}
		return parseCues(string(data))
	}
	return w.List, nil, nil
}

// subtitleBatches groups the words into what is shown together. Each cue is one batch (a cue never merges with
// the next, and it shows for exactly its own time, so a gap between cues shows nothing). A word list is cut
// every perBatch words; such a batch stays up subtitleLinger seconds after its last word, unless the next starts
// sooner. With hold, the last batch stays until the clip ends.
func subtitleBatches(words []schemas.Word, cues []subtitleCue, perBatch int, hold bool) []subtitleBatch {
	var out []subtitleBatch
	if len(cues) > 0 {
		for i, c := range cues {
			last := len(words) - 1
			if i+1 < len(cues) {
				last = cues[i+1].first - 1
			}
			if last < c.first {
				continue
			}
			out = append(out, subtitleBatch{first: c.first, last: last, start: c.start, end: c.end})
		}
	} else {
		for first := 0; first < len(words); first += perBatch {
			last := min(first+perBatch, len(words)) - 1
			out = append(out, subtitleBatch{first: first, last: last, start: words[first].Start, end: words[last].End + subtitleLinger})
		}
	}
	for i := range out {
		if i+1 < len(out) {
			out[i].end = math.Min(out[i].end, out[i+1].start)
		}
	}
	if hold && len(out) > 0 {
		out[len(out)-1].end = math.Inf(1)
	}
	return out
}

var cueTags = regexp.MustCompile(`<[^>]*>`) // <i>, <b>, <c.yellow> … inside cues

var cueTime = regexp.MustCompile(`(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})`)

// parseCues reads SRT or WebVTT text and spreads each cue's words evenly over the cue's time. It returns the
// words and the cues (which word each starts with).
func parseCues(src string) ([]schemas.Word, []subtitleCue, error) {
	var words []schemas.Word
	var cues []subtitleCue
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	secs := func(m []string) float64 {
		h, _ := strconv.Atoi(m[0])
		mi, _ := strconv.Atoi(m[1])
		s, _ := strconv.Atoi(m[2])
		ms, _ := strconv.Atoi((m[3] + "00")[:3])
		return float64(h*3600+mi*60+s) + float64(ms)/1000
	}
	for i := 0; i < len(lines); i++ {
		m := cueTime.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		start, end := secs(m[1:5]), secs(m[5:9])
		var textLines []string
		for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			i++
			textLines = append(textLines, cueTags.ReplaceAllString(lines[i], ""))
		}
		fields := strings.Fields(strings.Join(textLines, " "))
		if len(fields) == 0 || !(end > start) {
			continue // an empty cue, or one that ends before it starts (found by FuzzParseCues): nothing to show
		}
		cues = append(cues, subtitleCue{start: start, end: end, first: len(words)})
		for j, f := range fields {
			step := (end - start) / float64(len(fields))
			words = append(words, schemas.Word{Word: strings.Trim(f, ".,!?;:"), PunctuatedWord: f,
				Start: start + float64(j)*step, End: start + float64(j+1)*step})
		}
	}
	if len(words) == 0 {
		return nil, nil, fmt.Errorf("no cues found: expected SRT or WebVTT text with \"00:00:01,000 --> 00:00:02,000\" lines")
	}
	return words, cues, nil
}

// state returns the batch shown at local time t, the spoken word (-1 for none; in karaoke mode the last word
// spoken so far), how many words are shown, and the fade-in step.
func (l *subtitleLook) state(t float64) (batch, spoken, shown, fade int) {
	batch, spoken = -1, -1
	for i := len(l.batches) - 1; i >= 0; i-- {
		if b := l.batches[i]; b.start <= t {
			if t < b.end {
				batch = i
			}
			break
		}
	}
	if batch < 0 {
		return -1, -1, 0, 0
	}
	b := l.batches[batch]
	for i := b.first; i <= b.last; i++ {
		if w := l.words[i]; w.Start <= t && (t < w.End || l.karaoke) {
			spoken = i
		}
	}
	shown = b.last - b.first + 1
	if l.stream {
		shown = 0
		for i := b.first; i <= b.last && l.words[i].Start <= t; i++ {
			shown++
		}
	}
	if l.fade {
		since := t - b.start
		if since < subtitleFade {
			fade = 1 + int(since/subtitleFade*5)
		}
	}
	return batch, spoken, shown, fade
}

func (l *subtitleLook) key(_ *motion.State, local float64) contentKey {
	b, s, n, f := l.state(local)
	return contentKey{frame: int64(b+1)<<32 | int64(s+1)<<12 | int64(n)<<4 | int64(f)}
}

func (l *subtitleLook) draw(_ context.Context, k contentKey, _ float64) (raster.Layer, error) {
	batch := int(k.frame>>32) - 1
	spoken := int(k.frame>>12&0xfffff) - 1
	shown := int(k.frame >> 4 & 0xff)
	fade := int(k.frame & 0xf)
	if batch < 0 || batch >= len(l.batches) || shown == 0 {
		return raster.Layer{}, nil
	}
	first := l.batches[batch].first
	shown = min(shown, l.batches[batch].last-first+1)
	// Lay the words out at the configured size; when the batch does not fit the safe area (the frame less 5%
	// of each edge) even wrapped, shrink the text until it does, so captions never leave the frame.
	safeW, safeH := l.canvasW*(1-2*subtitleSafeMargin), l.canvasH*(1-2*subtitleSafeMargin)
	st := l.style
	var lines [][]placedWord
	var widths []float64
	for range 6 {
		var err error
		lines, widths, err = l.layoutWords(first, shown, spoken, st, math.Min(l.boxWidth, safeW))
		if err != nil {
			return raster.Layer{}, err
		}
		widest := 0.0
		for _, w := range widths {
			widest = math.Max(widest, w)
		}
		blockH := st.Size * st.LineHeight * float64(len(lines))
		f := math.Min(safeW/math.Max(widest, 1), safeH/math.Max(blockH, 1))
		if f >= 1 {
			break
		}
		st.Size *= math.Max(f, 0.5) * 0.98
	}
	lineH := st.Size * st.LineHeight
	blockH := lineH * float64(len(lines))
	var top float64
	switch l.position {
	case schemas.SubtitlePositionTop:
		top = l.padding
	case schemas.SubtitlePositionCenter:
		top = (l.canvasH - blockH) / 2
	default:
		top = l.canvasH - l.padding - blockH
	}
	top = math.Max(l.canvasH*subtitleSafeMargin, math.Min(top, l.canvasH*(1-subtitleSafeMargin)-blockH))
	var out []placedWord
	for li, line := range lines {
		left := (l.canvasW - widths[li]) / 2
		switch l.style.Align {
		case schemas.TextAlignLeft:
			left = (l.canvasW - math.Min(l.boxWidth, safeW)) / 2
		case schemas.TextAlignRight:
			left = (l.canvasW+math.Min(l.boxWidth, safeW))/2 - widths[li]
		}
		for _, p := range line {
			p.x += left
			p.y = top + float64(li)*lineH + lineH/2
			out = append(out, p)
		}
	}
	layer := raster.NewLayer(int(l.canvasW), int(l.canvasH))
	if l.bg != nil {
		// The box hugs the laid-out lines, wherever the alignment put them.
		left, right := math.Inf(1), math.Inf(-1)
		for _, p := range out {
			left, right = math.Min(left, p.x), math.Max(right, p.x+p.layer.BoxW)
		}
		pad := st.Size * 0.3
		rect, err := paint.Rect(right-left+2*pad, blockH+2*pad, paint.ShapeStyle{FillColor: l.bg, Radius: schemas.Corners{pad, pad, pad, pad}})
		if err != nil {
			return raster.Layer{}, err
		}
		drawer.Draw(layer.Img, rect, compose.Placement{X: (left + right) / 2, Y: top + blockH/2, AnchorX: 0.5, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: 1})
	}
	opacity := 1.0
	if fade > 0 {
		opacity = float64(fade) / 6
	}
	for _, p := range out {
		drawer.Draw(layer.Img, p.layer, compose.Placement{X: p.x, Y: p.y, AnchorX: 0, AnchorY: 0.5, ScaleX: 1, ScaleY: 1, Opacity: opacity})
	}
	return layer, nil
}

// placedWord is a drawn word and its place in the caption.
type placedWord struct {
	layer raster.Layer
	x, y  float64
}

// layoutWords draws the shown words of a batch at style st and wraps them into lines no wider than width
// (a word wider than that gets a line of its own). It returns the lines (x from each line's left) and their widths.
func (l *subtitleLook) layoutWords(first, shown, spoken int, st text.Style, width float64) ([][]placedWord, []float64, error) {
	space := st.Size * 0.3
	var lines [][]placedWord
	var widths []float64
	x := 0.0
	for i := first; i < first+shown; i++ {
		ws := st
		c := l.textColor
		if (i == spoken && !l.stream && !l.karaoke) || (l.karaoke && i <= spoken) {
			c = l.highlight
		}
		ws.FillColor = &c
		word := l.words[i].PunctuatedWord
		if word == "" {
			word = l.words[i].Word
		}
		layer, _, err := l.fonts.Draw(word, ws)
		if err != nil {
			return nil, nil, err
		}
		if l.shadow != nil {
			layer = paint.Shadow(layer, *l.shadow, l.shadowBlur*st.Size/l.style.Size, 0, 0)
		}
		if len(lines) == 0 || (x > 0 && x+layer.BoxW > width) {
			if len(lines) > 0 {
				widths = append(widths, x-space)
			}
			lines = append(lines, nil)
			x = 0
		}
		lines[len(lines)-1] = append(lines[len(lines)-1], placedWord{layer: layer, x: x})
		x += layer.BoxW + space
	}
	widths = append(widths, x-space)
	return lines, widths, nil
}
