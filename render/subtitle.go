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
	perBatch   int
	stream     bool
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

// maxWordsPerBatch bounds wordsPerBatch (the look's key keeps the number of words shown in 8 bits).
const maxWordsPerBatch = 255

func (tl *Timeline) subtitleLook(ctx context.Context, s *schemas.SubtitleClip, g *motion.Geometry) (look, error) {
	words, err := tl.subtitleWords(ctx, s.Words)
	if err != nil {
		return nil, err
	}
	cfg := schemas.SubtitleConfig{}
	if s.Config != nil {
		cfg = *s.Config
	}
	l := &subtitleLook{
		fonts: tl.fonts, words: words, perBatch: 4, stream: cfg.Mode == "stream",
		fade: cfg.FadeInAnimation == nil || *cfg.FadeInAnimation, position: cfg.Position,
		padding: 150, canvasW: tl.docW, canvasH: tl.docH,
		textColor: color.NRGBA{255, 255, 255, 255}, highlight: color.NRGBA{0, 255, 255, 255},
	}
	if cfg.WordsPerBatch > 0 {
		l.perBatch = min(cfg.WordsPerBatch, maxWordsPerBatch)
	}
	if cfg.PaddingBottom != nil {
		l.padding = *cfg.PaddingBottom
	}
	l.style = text.Style{Family: cfg.FontFamily, Size: 80, Weight: 800, LineHeight: 1.2, Align: cfg.TextAlign}
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

// subtitleWords resolves the word list in any of its forms.
func (tl *Timeline) subtitleWords(ctx context.Context, w *schemas.Words) ([]schemas.Word, error) {
	if w == nil {
		return nil, nil
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
		return nil, fmt.Errorf("unknown subtitles asset %q", w.Ref)
	case w.SRT != "":
		return parseCues(w.SRT)
	case w.VTT != "":
		return parseCues(w.VTT)
	case w.Src != "":
		path, err := tl.fetcher.Fetch(ctx, w.Src)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if trimmed := strings.TrimSpace(string(data)); strings.HasPrefix(trimmed, "[") {
			var list []schemas.Word
			if err := json.Unmarshal(data, &list); err != nil {
				return nil, fmt.Errorf("words from %s: %w", w.Src, err)
			}
			return list, nil
		}
		return parseCues(string(data))
	}
	return w.List, nil
}

var cueTags = regexp.MustCompile(`<[^>]*>`) // <i>, <b>, <c.yellow> … inside cues

var cueTime = regexp.MustCompile(`(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})`)

// parseCues reads SRT or WebVTT text and spreads each cue's words evenly over the cue's time.
func parseCues(src string) ([]schemas.Word, error) {
	var words []schemas.Word
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
		for j, f := range fields {
			step := (end - start) / float64(len(fields))
			words = append(words, schemas.Word{Word: strings.Trim(f, ".,!?;:"), PunctuatedWord: f,
				Start: start + float64(j)*step, End: start + float64(j+1)*step})
		}
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("no cues found: expected SRT or WebVTT text with \"00:00:01,000 --> 00:00:02,000\" lines")
	}
	return words, nil
}

// state returns the batch shown at local time t, the spoken word (-1 for none), how many words are shown,
// and the fade-in step.
func (l *subtitleLook) state(t float64) (batch, spoken, shown, fade int) {
	batch, spoken = -1, -1
	for i, w := range l.words {
		if w.Start <= t {
			batch = i / l.perBatch
			if t < w.End {
				spoken = i
			}
		}
	}
	if batch < 0 {
		return -1, -1, 0, 0
	}
	first := batch * l.perBatch
	last := min(first+l.perBatch, len(l.words)) - 1
	// A batch stays up until the next one starts, or 0.5 s after its last word.
	if batch == (len(l.words)-1)/l.perBatch && t >= l.words[last].End+0.5 {
		return -1, -1, 0, 0
	}
	shown = last - first + 1
	if l.stream {
		shown = 0
		for i := first; i <= last && l.words[i].Start <= t; i++ {
			shown++
		}
	}
	if l.fade {
		since := t - l.words[first].Start
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
	if batch < 0 || shown == 0 {
		return raster.Layer{}, nil
	}
	first := batch * l.perBatch
	type placed struct {
		layer raster.Layer
		x, y  float64
	}
	var out []placed
	space := l.style.Size * 0.3
	lineH := l.style.Size * l.style.LineHeight
	var lines [][]placed
	var widths []float64
	x := 0.0
	for i := first; i < first+shown; i++ {
		st := l.style
		c := l.textColor
		if i == spoken && !l.stream {
			c = l.highlight
		}
		st.FillColor = &c
		word := l.words[i].PunctuatedWord
		if word == "" {
			word = l.words[i].Word
		}
		layer, _, err := l.fonts.Draw(word, st)
		if err != nil {
			return raster.Layer{}, err
		}
		if l.shadow != nil {
			layer = paint.Shadow(layer, *l.shadow, l.shadowBlur, 0, 0)
		}
		if len(lines) == 0 || (x > 0 && x+layer.BoxW > l.boxWidth) {
			if len(lines) > 0 {
				widths = append(widths, x-space)
			}
			lines = append(lines, nil)
			x = 0
		}
		lines[len(lines)-1] = append(lines[len(lines)-1], placed{layer: layer, x: x})
		x += layer.BoxW + space
	}
	widths = append(widths, x-space)
	blockH := lineH * float64(len(lines))
	var top float64
	switch l.position {
	case "top":
		top = l.padding
	case "center":
		top = (l.canvasH - blockH) / 2
	default:
		top = l.canvasH - l.padding - blockH
	}
	for li, line := range lines {
		left := (l.canvasW - widths[li]) / 2
		switch l.style.Align {
		case "left":
			left = (l.canvasW - l.boxWidth) / 2
		case "right":
			left = (l.canvasW+l.boxWidth)/2 - widths[li]
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
		pad := l.style.Size * 0.3
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
