package text

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	gofont "github.com/go-text/typesetting/font"
)

// SVG text. The SVG renderer (oksvg) draws shapes only and drops <text>. SVGTextToPaths replaces each <text>
// element of an SVG document with a <g> of paths of its glyph outlines (one per tspan), laid out with the engine's fonts and their
// fallback chain (so an SVG's text draws like a text clip's, the same on every worker), before the document
// is rasterized. The group keeps the element's other attributes (fill, stroke, opacity, transform, style, id,
// class; a tspan's path keeps the tspan's), so paint, gradients and transforms apply as they would to the text, and its place in the document,
// so paint order is kept.
//
// Supported: x, y, dx, dy (the first value of each list), font-family, font-size (px, pt, em, or a plain
// number), font-weight, font-style and text-anchor, as attributes or in style, inherited from ancestors; <tspan>
// children with their own position and font; whitespace collapsed as xml:space="default" does. Not supported:
// per-character position lists, textPath, vertical text, letter-spacing; colour emoji are drawn in the text's
// paint.

// svgFont is the font state of an SVG element, inherited by its children.
type svgFont struct {
	family string
	size   float64
	weight int
	italic bool
	anchor string
}

// svgChunk is a run of text with its own font and optional position.
type svgChunk struct {
	text   string
	font   svgFont
	x, y   *float64
	dx, dy float64
	attrs  []xml.Attr // a tspan's own attributes (fill, stroke, …)
}

// SVGTextToPaths returns markup with its <text> elements replaced by paths and the warnings about characters
// no font draws. It returns markup unchanged, with an error, when it is not well-formed XML or its text is over
// the budget (more characters than a text clip may have, or paths over the SVG size limit).
func (r *Registry) SVGTextToPaths(markup []byte) ([]byte, []string, error) {
	if !bytes.Contains(markup, []byte("<text")) && !bytes.Contains(markup, []byte(":text")) {
		return markup, nil, nil
	}
	dec := xml.NewDecoder(bytes.NewReader(markup))
	dec.Strict = false
	var out bytes.Buffer
	var warnings []string
	copied, characters := 0, 0
	stack := []svgFont{{family: DefaultFamily, size: 16, weight: 400, anchor: "start"}}
	for {
		start := dec.InputOffset()
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return markup, nil, fmt.Errorf("svg text: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			font := inheritFont(stack[len(stack)-1], t.Attr)
			if t.Name.Local != "text" {
				stack = append(stack, font)
				continue
			}
			chunks, err := readSVGText(dec, t, font)
			if err != nil {
				return markup, nil, fmt.Errorf("svg text: %w", err)
			}
			end := dec.InputOffset()
			for _, c := range chunks {
				characters += len([]rune(c.text))
			}
			if characters > budget.MaxTextLength {
				return markup, nil, fmt.Errorf("svg text: more than %d characters, the limit per clip: the text is not drawn", budget.MaxTextLength)
			}
			path, warn, err := r.svgTextPath(chunks, t.Attr)
			if err != nil {
				return markup, nil, err
			}
			warnings = append(warnings, warn...)
			out.Write(markup[copied:start])
			out.WriteString(path)
			copied = int(end)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	out.Write(markup[copied:])
	if out.Len() > budget.MaxSVGBytes {
		return markup, nil, fmt.Errorf("svg text: as paths the document would be %d bytes; the limit is %d: the text is not drawn", out.Len(), budget.MaxSVGBytes)
	}
	return out.Bytes(), warnings, nil
}

// readSVGText reads the content of a <text> element (its start tag already read) up to its end tag: the
// character data and <tspan> children, as chunks.
func readSVGText(dec *xml.Decoder, start xml.StartElement, font svgFont) ([]svgChunk, error) {
	first := svgChunk{font: font}
	positionChunk(&first, start.Attr)
	chunks := []svgChunk{first}
	fonts := []svgFont{font}
	depth := 1
	for depth > 0 {
		tok, err := dec.RawToken()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			f := inheritFont(fonts[len(fonts)-1], t.Attr)
			fonts = append(fonts, f)
			c := svgChunk{font: f, attrs: t.Attr}
			if t.Name.Local == "tspan" {
				positionChunk(&c, t.Attr)
			}
			chunks = append(chunks, c)
		case xml.EndElement:
			depth--
			fonts = fonts[:len(fonts)-1]
			if depth > 0 { // text after a tspan continues in the parent's font
				chunks = append(chunks, svgChunk{font: fonts[len(fonts)-1]})
			}
		case xml.CharData:
			chunks[len(chunks)-1].text += string(t)
		}
	}
	return collapseSpaces(chunks), nil
}

// positionChunk reads x, y, dx and dy (the first value of each list).
func positionChunk(c *svgChunk, attrs []xml.Attr) {
	for _, a := range attrs {
		v, ok := firstNumber(a.Value)
		if !ok {
			continue
		}
		switch a.Name.Local {
		case "x":
			c.x = &v
		case "y":
			c.y = &v
		case "dx":
			c.dx = v
		case "dy":
			c.dy = v
		}
	}
}

// collapseSpaces applies xml:space="default": newlines removed, tabs to spaces, runs of spaces to one,
// leading and trailing spaces of the element dropped.
func collapseSpaces(chunks []svgChunk) []svgChunk {
	prevSpace := true // drops the leading spaces
	for i := range chunks {
		var b strings.Builder
		for _, r := range chunks[i].text {
			switch r {
			case '\n', '\r':
				continue
			case '\t':
				r = ' '
			}
			if r == ' ' {
				if prevSpace {
					continue
				}
				prevSpace = true
			} else {
				prevSpace = false
			}
			b.WriteRune(r)
		}
		chunks[i].text = b.String()
	}
	for i := len(chunks) - 1; i >= 0; i-- { // trailing spaces
		chunks[i].text = strings.TrimRight(chunks[i].text, " ")
		if chunks[i].text != "" {
			break
		}
	}
	return chunks
}

// inheritFont returns parent's font changed by an element's font attributes and style properties.
func inheritFont(parent svgFont, attrs []xml.Attr) svgFont {
	f := parent
	set := func(name, v string) {
		v = strings.TrimSpace(v)
		switch name {
		case "font-family":
			f.family = v
		case "font-size":
			if s, ok := fontSize(v, parent.size); ok {
				f.size = s
			}
		case "font-weight":
			switch v {
			case "bold", "bolder":
				f.weight = 700
			case "normal", "lighter":
				f.weight = 400
			default:
				if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 1000 {
					f.weight = n
				}
			}
		case "font-style":
			f.italic = v == "italic" || v == "oblique"
		case "text-anchor":
			if v == "start" || v == "middle" || v == "end" {
				f.anchor = v
			}
		case "font":
			// The shorthand: its size and family (the last two parts) are what text drawing needs.
			parts := strings.Fields(v)
			for i, p := range parts {
				if s, ok := fontSize(strings.Split(p, "/")[0], parent.size); ok && i < len(parts)-1 {
					f.size = s
					f.family = strings.Join(parts[i+1:], " ")
					break
				}
				if p == "bold" {
					f.weight = 700
				}
				if p == "italic" {
					f.italic = true
				}
			}
		}
	}
	for _, a := range attrs {
		set(a.Name.Local, a.Value)
	}
	for _, a := range attrs { // style wins over attributes
		if a.Name.Local != "style" {
			continue
		}
		for _, decl := range strings.Split(a.Value, ";") {
			if name, v, ok := strings.Cut(decl, ":"); ok {
				set(strings.TrimSpace(name), v)
			}
		}
	}
	return f
}

// fontSize reads a CSS font size in px, pt, em or %, or a plain number.
func fontSize(v string, parent float64) (float64, bool) {
	scale := 1.0
	switch {
	case strings.HasSuffix(v, "px"):
		v = strings.TrimSuffix(v, "px")
	case strings.HasSuffix(v, "pt"):
		v, scale = strings.TrimSuffix(v, "pt"), 4.0/3
	case strings.HasSuffix(v, "em"):
		v, scale = strings.TrimSuffix(v, "em"), parent
	case strings.HasSuffix(v, "%"):
		v, scale = strings.TrimSuffix(v, "%"), parent/100
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(n > 0) || math.IsInf(n, 0) {
		return 0, false
	}
	return math.Min(n*scale, float64(budget.MaxLayerSide)), true
}

// firstNumber reads the first number of an SVG list ("10", "10 20", "10,20"), dropping a px unit.
func firstNumber(v string) (float64, bool) {
	f := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.TrimSuffix(f[0], "px"), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false
	}
	return n, true
}

// textOnlyAttrs are the attributes of <text> that the path does not take.
var textOnlyAttrs = map[string]bool{
	"x": true, "y": true, "dx": true, "dy": true, "rotate": true, "textLength": true, "lengthAdjust": true,
	"font-family": true, "font-size": true, "font-weight": true, "font-style": true, "font": true,
	"text-anchor": true, "dominant-baseline": true, "letter-spacing": true, "word-spacing": true, "space": true,
}

// svgTextPath lays the chunks out and returns a <g> with the text element's other attributes holding one
// <path> per chunk (with a tspan's own attributes).
func (r *Registry) svgTextPath(chunks []svgChunk, attrs []xml.Attr) (string, []string, error) {
	var warnings []string
	cx, cy := 0.0, 0.0
	// Chunks that start at an absolute x form a line; text-anchor shifts each line by its width.
	type line struct {
		width  float64
		anchor string
	}
	var lines []line
	lineOf := make([]int, len(chunks))
	data := make([]string, len(chunks))
	for i, c := range chunks {
		if c.x != nil {
			cx = *c.x
		}
		if c.y != nil {
			cy = *c.y
		}
		cx += c.dx
		cy += c.dy
		if c.x != nil || len(lines) == 0 {
			lines = append(lines, line{anchor: c.font.anchor})
		}
		lineOf[i] = len(lines) - 1
		if c.text == "" {
			continue
		}
		st := Style{Family: c.font.family, Size: c.font.size, Weight: c.font.weight, Italic: c.font.italic}
		b, err := r.Layout(c.text, st)
		if err != nil {
			return "", nil, fmt.Errorf("svg text %q: %w", c.text, err)
		}
		if len(b.Missing) > 0 {
			warnings = append(warnings, "svg text: "+MissingGlyphsWarning(b.Missing))
		}
		if len(b.Lines) == 0 {
			continue
		}
		l := &b.Lines[0]
		var d strings.Builder
		w := &svgPathWriter{b: &d}
		for _, g := range l.glyphs {
			o := g.face.outline(g.id)
			p := placement{ox: cx + l.X + g.x, oy: cy + g.y, size: b.size, skew: b.skew}
			if len(o.layers) > 0 {
				o.emitLayers(w, p)
			} else {
				o.emit(w, p)
			}
		}
		data[i] = d.String()
		// A line drops its trailing spaces; here they separate this chunk from the next ("Left <tspan>").
		advance := l.Width + float64(len(c.text)-len(strings.TrimRight(c.text, " ")))*r.spaceWidth(st)
		cx += advance
		lines[len(lines)-1].width += advance
	}
	var el strings.Builder
	el.WriteString("<g")
	writeAttrs(&el, attrs)
	el.WriteString(">")
	for i, d := range data {
		if d == "" {
			continue
		}
		// A line anchored in the middle or at the end is shifted left by half or all of its width.
		switch ln := lines[lineOf[i]]; ln.anchor {
		case "middle":
			d = shiftPathX(d, -ln.width/2)
		case "end":
			d = shiftPathX(d, -ln.width)
		}
		el.WriteString(`<path d="` + d + `"`)
		writeAttrs(&el, chunks[i].attrs)
		el.WriteString("/>")
	}
	el.WriteString("</g>")
	return el.String(), warnings, nil
}

// writeAttrs writes the attributes a path takes from a text or tspan element.
func writeAttrs(el *strings.Builder, attrs []xml.Attr) {
	for _, a := range attrs {
		if textOnlyAttrs[a.Name.Local] {
			continue
		}
		name := a.Name.Local
		if a.Name.Space != "" {
			name = a.Name.Space + ":" + name
		}
		el.WriteString(" " + name + `="`)
		_ = xml.EscapeText(el, []byte(a.Value))
		el.WriteString(`"`)
	}
}

// svgPathWriter writes path data in absolute commands, two decimals (a hundredth of a pixel).
type svgPathWriter struct{ b *strings.Builder }

func (w *svgPathWriter) pt(x, y float32) {
	w.b.WriteString(strconv.FormatFloat(float64(x), 'f', 2, 32))
	w.b.WriteByte(' ')
	w.b.WriteString(strconv.FormatFloat(float64(y), 'f', 2, 32))
}

func (w *svgPathWriter) MoveTo(x, y float32) { w.b.WriteString("M"); w.pt(x, y) }
func (w *svgPathWriter) LineTo(x, y float32) { w.b.WriteString("L"); w.pt(x, y) }
func (w *svgPathWriter) QuadTo(bx, by, cx, cy float32) {
	w.b.WriteString("Q")
	w.pt(bx, by)
	w.b.WriteByte(' ')
	w.pt(cx, cy)
}
func (w *svgPathWriter) CubeTo(bx, by, cx, cy, dx, dy float32) {
	w.b.WriteString("C")
	w.pt(bx, by)
	w.b.WriteByte(' ')
	w.pt(cx, cy)
	w.b.WriteByte(' ')
	w.pt(dx, dy)
}
func (w *svgPathWriter) ClosePath() { w.b.WriteString("Z") }

// shiftPathX moves every x coordinate of path data written by svgPathWriter by dx.
func shiftPathX(d string, dx float64) string {
	if dx == 0 || d == "" {
		return d
	}
	var out strings.Builder
	isX := true
	i := 0
	for i < len(d) {
		c := d[i]
		if c == '-' || c == '.' || (c >= '0' && c <= '9') {
			j := i + 1
			for j < len(d) && (d[j] == '.' || (d[j] >= '0' && d[j] <= '9')) {
				j++
			}
			v, _ := strconv.ParseFloat(d[i:j], 64)
			if isX {
				v += dx
			}
			out.WriteString(strconv.FormatFloat(v, 'f', 2, 64))
			isX = !isX
			i = j
			continue
		}
		if c >= 'A' && c <= 'Z' {
			isX = true
		}
		out.WriteByte(c)
		i++
	}
	return out.String()
}

// spaceWidth is the advance of a space in the style's font, in pixels.
func (r *Registry) spaceWidth(st Style) float64 {
	r.mu.RLock()
	fam, _ := r.resolveLocked(st.Family)
	primary := fam.match(st.Weight, st.Italic)
	r.mu.RUnlock()
	ft, err := primary.parsed()
	if err != nil {
		return st.Size / 4
	}
	f := gofont.NewFace(ft)
	gid, ok := f.NominalGlyph(' ')
	if !ok {
		return st.Size / 4
	}
	return float64(f.HorizontalAdvance(gid)) / float64(ft.Upem()) * st.Size
}
