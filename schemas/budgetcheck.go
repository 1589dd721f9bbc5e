package schemas

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the checks of the engine's budget (DrawBudget): what Validate refuses so that a document
// that validates renders. Each message names the limit and the fix.

// registerBudgetChecks adds the budget checks to the check tables, after any check already there for the
// same type.
func registerBudgetChecks() {
	add := func(t reflect.Type, check objectCheck) {
		if prev, ok := objectChecks[t]; ok {
			objectChecks[t] = func(v *validator, path string, obj map[string]any) {
				prev(v, path, obj)
				check(v, path, obj)
			}
			return
		}
		objectChecks[t] = check
	}
	add(typeOf[Meta](), checkMetaBudget)
	add(typeOf[Style](), checkStyleBudget)
	add(typeOf[Transform](), checkTransformBudget)
	add(typeOf[CircleClip](), checkShapeSizeBudget)
	add(typeOf[PolygonClip](), checkPolygonBudget)
	add(typeOf[TextClip](), func(v *validator, path string, obj map[string]any) { v.textBudget(path, obj, "text") })
	add(typeOf[CodeClip](), checkCodeBudget)
	add(typeOf[LineClip](), checkLineBudget)
	add(typeOf[PathClip](), checkLineWidthBudget)
	add(typeOf[SVGClip](), func(v *validator, path string, obj map[string]any) { v.svgBudget(joinPath(path, "svg"), obj["svg"]) })
	add(typeOf[SVGAsset](), func(v *validator, path string, obj map[string]any) { v.svgBudget(joinPath(path, "svg"), obj["svg"]) })
	add(typeOf[SourceRange](), checkSourceRange)
	add(typeOf[KeyframeTrack](), checkKeyframeBudget)
}

// num reads the JSON number obj[name].
func num(obj map[string]any, name string) (float64, bool) { return floatOf(obj[name]) }

// atMost reports obj[name] when it is over max.
func (v *validator) atMost(path string, obj map[string]any, name string, max float64, fix string) {
	if f, ok := num(obj, name); ok && f > max {
		v.errorf(joinPath(path, name), "must be at most %g, the engine's limit (got %g)%s", max, f, fix)
	}
}

// checkMetaBudget bounds the frame's area.
func checkMetaBudget(v *validator, path string, obj map[string]any) {
	w, ok1 := num(obj, "width")
	h, ok2 := num(obj, "height")
	b := DrawBudget()
	if ok1 && ok2 && w > 0 && h > 0 && w*h > float64(b.MaxFramePixels) {
		v.errorf(joinPath(path, "width"), "a frame of %g×%g px is %.1f million pixels; the limit is %.1f million: lower width or height",
			w, h, w*h/1e6, float64(b.MaxFramePixels)/1e6)
	}
}

// checkStyleBudget bounds the sizes in a style the engine draws with.
func checkStyleBudget(v *validator, path string, obj map[string]any) {
	b := DrawBudget()
	v.atMost(path, obj, "fontSize", b.MaxFontSize, "")
	v.atMost(path, obj, "strokeWidth", b.MaxStrokeWidth, "")
	v.atMost(path, obj, "lineHeight", b.MaxLineHeight, " (a multiple of the font size)")
	if f, ok := num(obj, "letterSpacing"); ok && math.Abs(f) > b.MaxLetterSpacing {
		v.errorf(joinPath(path, "letterSpacing"), "must be between -%g and %g px (got %g)", b.MaxLetterSpacing, b.MaxLetterSpacing, f)
	}
	v.fontWeight(joinPath(path, "fontWeight"), obj["fontWeight"])
}

// fontWeight checks a weight's number: the engine draws 1 to 1000.
func (v *validator) fontWeight(path string, x any) {
	var w FontWeight
	raw, err := json.Marshal(x)
	if x == nil || err != nil || json.Unmarshal(raw, &w) != nil {
		return // the type check reports it
	}
	if w.Value < 1 || w.Value > 1000 {
		v.errorf(path, "must be between 1 and 1000, such as 400 (normal) or 700 (bold) (got %d)", w.Value)
	}
}

// checkTransformBudget refuses negative sizes and boxes over the layer budget.
func checkTransformBudget(v *validator, path string, obj map[string]any) {
	w, okW := v.length(joinPath(path, "width"), obj["width"], v.canvas(0))
	h, okH := v.length(joinPath(path, "height"), obj["height"], v.canvas(1))
	if okW && okH {
		v.boxBudget(path, w, h)
	} else if okW {
		v.boxBudget(path, w, 0)
	} else if okH {
		v.boxBudget(path, 0, h)
	}
}

// length reads a Length (a number or "50%" of ref) and refuses a negative one.
func (v *validator) length(path string, x any, ref float64) (float64, bool) {
	if x == nil {
		return 0, false
	}
	var l Length
	raw, err := json.Marshal(x)
	if err != nil || json.Unmarshal(raw, &l) != nil {
		return 0, false // the type check reports it
	}
	px := l.Px(ref)
	if px < 0 {
		v.errorf(path, "must not be negative (got %s): give a size of 0 or more; to mirror a clip use scaleX or scaleY -1", raw)
		return 0, false
	}
	return px, true
}

// canvas returns meta.width (axis 0) or meta.height (axis 1), the reference of percentages at the top
// level (4096 when unknown).
func (v *validator) canvas(axis int) float64 {
	meta, _ := v.root["meta"].(map[string]any)
	name := "width"
	if axis == 1 {
		name = "height"
	}
	if f, ok := num(meta, name); ok && f > 0 {
		return f
	}
	return 4096
}

// boxBudget refuses a box over the layer budget (a zero side is not known yet, or draws nothing).
func (v *validator) boxBudget(path string, w, h float64) {
	b := DrawBudget()
	side := float64(b.MaxLayerSide)
	switch {
	case w > side:
		v.errorf(joinPath(path, "width"), "must be at most %g px, the engine's limit (got %g)", side, w)
	case h > side:
		v.errorf(joinPath(path, "height"), "must be at most %g px, the engine's limit (got %g)", side, h)
	case w*h > float64(b.MaxLayerPixels):
		v.errorf(path, "a box of %g×%g px is %.1f million pixels; the limit is %.1f million: make it smaller and scale it up with scale",
			w, h, w*h/1e6, float64(b.MaxLayerPixels)/1e6)
	}
}

// checkShapeSizeBudget bounds a circle's size: its box is size × size.
func checkShapeSizeBudget(v *validator, path string, obj map[string]any) {
	if d, ok := num(obj, "size"); ok {
		b := DrawBudget()
		if max := math.Floor(math.Sqrt(float64(b.MaxLayerPixels))); d > max {
			v.errorf(joinPath(path, "size"), "must be at most %g px, the engine's limit (got %g): scale a smaller shape up with scale", max, d)
		}
	}
}

// checkPolygonBudget bounds a polygon's sides and size.
func checkPolygonBudget(v *validator, path string, obj map[string]any) {
	v.atMost(path, obj, "sides", float64(DrawBudget().MaxPolygonSides), ": beyond that a polygon looks like a circle; use a circle clip")
	checkShapeSizeBudget(v, path, obj)
}

// textBudget bounds the characters of a text or code clip, and counts them for the per-frame budget.
func (v *validator) textBudget(path string, obj map[string]any, member string) {
	s, _ := obj[member].(string)
	n := utf8.RuneCountInString(s)
	if max := DrawBudget().MaxTextLength; n > max {
		v.errorf(joinPath(path, member), "has %d characters; the limit is %d per clip: split the text into several clips", n, max)
	}
	v.glyphs += n
}

// checkCodeBudget bounds a code clip.
func checkCodeBudget(v *validator, path string, obj map[string]any) {
	v.textBudget(path, obj, "code")
	v.atMost(path, obj, "fontSize", DrawBudget().MaxCodeFontSize, "")
	v.atMost(path, obj, "lineHeight", DrawBudget().MaxLineHeight, " (a multiple of the font size)")
}

// checkLineWidthBudget bounds a line's or path's width.
func checkLineWidthBudget(v *validator, path string, obj map[string]any) {
	v.atMost(path, obj, "lineWidth", DrawBudget().MaxStrokeWidth, "")
}

// checkLineBudget bounds a line: its width, and the box its points span.
func checkLineBudget(v *validator, path string, obj map[string]any) {
	checkLineWidthBudget(v, path, obj)
	points, _ := obj["points"].([]any)
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range points {
		xy, _ := p.([]any)
		if len(xy) != 2 {
			continue
		}
		x, ok1 := floatOf(xy[0])
		y, ok2 := floatOf(xy[1])
		if ok1 && ok2 {
			x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
		}
	}
	if x1 >= x0 && y1 >= y0 {
		lw, ok := num(obj, "lineWidth")
		if !ok {
			lw = 4
		}
		v.boxBudget(joinPath(path, "points"), x1-x0+lw+4, y1-y0+lw+4)
	}
}

// svgBudget checks inline SVG markup against the budget: bytes, elements and the declared size.
func (v *validator) svgBudget(path string, x any) {
	markup, ok := x.(string)
	if !ok || blankMarkup(markup) {
		return
	}
	b := DrawBudget()
	if len(markup) > b.MaxSVGBytes {
		v.errorf(path, "the SVG is %d bytes; the limit is %d", len(markup), b.MaxSVGBytes)
		return
	}
	elements, w, h, err := svgShape([]byte(markup), b.MaxSVGElements)
	switch {
	case err != nil:
		v.errorf(path, "is not SVG markup the engine can read: %v", err)
	case elements > b.MaxSVGElements:
		v.errorf(path, "the SVG has more than %d elements, the limit: simplify it", b.MaxSVGElements)
	case w > float64(b.MaxLayerSide) || h > float64(b.MaxLayerSide) || w*h > float64(b.MaxLayerPixels):
		v.errorf(path, "the SVG declares %g×%g px; the limit is %d px a side and %.1f million pixels: lower its width and height (the clip's transform sets the size it is drawn at)",
			w, h, b.MaxLayerSide, float64(b.MaxLayerPixels)/1e6)
	}
}

// svgShape counts the elements of SVG markup (stopping past limit) and reads the size its root declares
// (width and height in px, else the viewBox's).
func svgShape(markup []byte, limit int) (elements int, w, h float64, err error) {
	dec := xml.NewDecoder(bytes.NewReader(markup))
	dec.Strict = false
	for elements <= limit {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return elements, 0, 0, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if elements == 0 {
			if se.Name.Local != "svg" {
				return 0, 0, 0, fmt.Errorf("the root element is <%s>, want <svg>", se.Name.Local)
			}
			w, h = SVGRootSize(se)
		}
		elements++
	}
	if elements == 0 {
		return 0, 0, 0, errors.New("no <svg> element")
	}
	return elements, w, h, nil
}

// SVGRootSize reads the px size an <svg> element declares: its width and height attributes in px (other
// units and percentages are unknown), a missing one following the viewBox's aspect ratio, else the
// viewBox's size; 0×0 when it declares none. The validator and the engine (paint.SVGSize) both read it.
func SVGRootSize(se xml.StartElement) (w, h float64) {
	var vbW, vbH float64
	px := func(s string) float64 {
		f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "px"), 64)
		if err != nil || f < 0 {
			return 0
		}
		return f
	}
	for _, a := range se.Attr {
		switch a.Name.Local {
		case "width":
			w = px(a.Value)
		case "height":
			h = px(a.Value)
		case "viewBox":
			f := strings.FieldsFunc(a.Value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
			if len(f) == 4 {
				vbW, _ = strconv.ParseFloat(f[2], 64)
				vbH, _ = strconv.ParseFloat(f[3], 64)
			}
		}
	}
	hasRatio := vbW > 0 && vbH > 0
	switch {
	case w > 0 && h > 0:
	case w > 0 && hasRatio:
		h = w * vbH / vbW
	case h > 0 && hasRatio:
		w = h * vbW / vbH
	case hasRatio:
		w, h = vbW, vbH
	}
	return w, h
}

// checkSourceRange requires a source range's end after its start.
func checkSourceRange(v *validator, path string, obj map[string]any) {
	start, ok1 := num(obj, "start")
	end, ok2 := num(obj, "end")
	if ok1 && ok2 && end <= start {
		v.errorf(joinPath(path, "end"), "must be after start (%g s), got %g s: end is the time in the source where playing stops", start, end)
	}
}

// checkKeyframeBudget holds keyframed sizes to the same bounds as static ones.
func checkKeyframeBudget(v *validator, path string, obj map[string]any) {
	prop, _ := obj["property"].(string)
	frames, _ := obj["frames"].([]any)
	b := DrawBudget()
	var max float64
	switch prop {
	case "width", "height":
		max = float64(b.MaxLayerSide)
	case "fontSize":
		max = b.MaxFontSize
	case "strokeWidth":
		max = b.MaxStrokeWidth
	default:
		return
	}
	for i, f := range frames {
		frame, _ := f.(map[string]any)
		x, ok := floatOf(frame["value"])
		if !ok {
			if s, isString := frame["value"].(string); isString {
				x, ok = parseNumber(s)
			}
		}
		p := path + ".frames[" + strconv.Itoa(i) + "].value"
		switch {
		case !ok:
		case x < 0:
			v.errorf(p, "keyframe property %q must not be negative (got %g)", prop, x)
		case x > max:
			v.errorf(p, "keyframe property %q must be at most %g, the engine's limit (got %g)", prop, max, x)
		}
	}
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// textSpan is the time a top-level clip shows text, and how many characters (layout children included).
type textSpan struct {
	start, end float64
	glyphs     int
	path       string
}

// checkGlyphsPerFrame refuses documents that show more text at one time than the per-frame budget: the sum
// of the characters of the clips that overlap in time (their opacity is not considered).
func (v *validator) checkGlyphsPerFrame() {
	max := DrawBudget().MaxGlyphsPerFrame
	type event struct {
		t     float64
		delta int
		path  string
	}
	var events []event
	for _, s := range v.textSpans {
		events = append(events, event{s.start, s.glyphs, s.path}, event{s.end, -s.glyphs, s.path})
	}
	// Ends before starts at the same time: a clip ending at 2 s and one starting at 2 s are not on screen together.
	sort.SliceStable(events, func(i, j int) bool {
		if events[i].t != events[j].t {
			return events[i].t < events[j].t
		}
		return events[i].delta < events[j].delta
	})
	on := 0
	for _, e := range events {
		on += e.delta
		if on > max {
			v.errorf(e.path, "at %g s, %d characters of text and code are on screen; the limit is %d: show less text at once", e.t, on, max)
			return
		}
	}
}

// keyframesBudget bounds the keyframes of one clip, all properties together.
func (v *validator) keyframesBudget(path string, obj map[string]any) {
	tracks, _ := obj["keyframes"].([]any)
	n := 0
	for _, t := range tracks {
		track, _ := t.(map[string]any)
		frames, _ := track["frames"].([]any)
		n += len(frames)
	}
	if max := DrawBudget().MaxKeyframes; n > max {
		v.errorf(joinPath(path, "keyframes"), "the clip has %d keyframes; the limit is %d per clip", n, max)
	}
}
