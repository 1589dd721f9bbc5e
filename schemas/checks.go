package schemas

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// This file holds the checks the Go types cannot express by themselves: values with several JSON shapes
// whose meaning depends on where they are (colors, paints, media and asset references, word lists, the
// clip union), and rules that span several members of one object.

// valueCheck checks a value found at path; parent is the struct type holding it.
type valueCheck func(v *validator, path string, x any, parent reflect.Type)

// objectCheck checks rules across the members of an object of one struct type.
type objectCheck func(v *validator, path string, obj map[string]any)

var (
	valueChecks  map[reflect.Type]valueCheck
	objectChecks map[reflect.Type]objectCheck
)

// init fills the check tables (a package-level initializer would form an initialization cycle, since the
// checks call back into the walker that reads the tables).
func init() {
	valueChecks = map[reflect.Type]valueCheck{
		typeOf[Clip]():      checkClip,
		typeOf[Color]():     checkColor,
		typeOf[Paint]():     checkPaint,
		typeOf[MediaRef]():  checkMediaRef,
		typeOf[Words]():     checkWords,
		typeOf[SVGSource](): checkSVGSource,
	}
	objectChecks = map[reflect.Type]objectCheck{
		typeOf[Meta]():          checkMeta,
		typeOf[KeyframeTrack](): checkKeyframeTrack,
		typeOf[SVGClip]():       checkSVGClip,
		typeOf[SVGAsset]():      checkSVGAsset,
		typeOf[SubtitleClip]():  checkSubtitleClip,
		typeOf[TemplateClip]():  checkTemplateClip,
		typeOf[Ducking]():       checkDucking,
	}
	registerBudgetChecks()
}

func typeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

// refGroups names the asset groups a {"$ref"} may point into, by the type holding the media field.
// A type not listed accepts any group.
var refGroups = map[reflect.Type][]string{
	typeOf[ImageClip]():   {"images", "svgs"},
	typeOf[VideoClip]():   {"videos"},
	typeOf[AudioClip]():   {"audios"},
	typeOf[SVGClip]():     {"svgs"},
	typeOf[ThreeObject](): {"models"},
}

// fieldHints suggests the member meant by a name other formats use, when spelling alone cannot tell.
var fieldHints = map[reflect.Type]map[string]string{
	typeOf[Style](): {"color": "fill"},
}

// checkClip checks one clip: its type, then the members of that clip type.
func checkClip(v *validator, path string, x any, _ reflect.Type) {
	obj, ok := v.objectValue(path, x)
	if !ok {
		return
	}
	v.clipCount++
	inLayout := v.layoutDepth > 0
	typePath := joinPath(path, "type")
	names := Names(ClipTypes())
	raw, present := obj["type"]
	name, isString := raw.(string)
	switch {
	case !present || raw == nil:
		v.errorf(typePath, "is required: one of %s", strings.Join(names, ", "))
		return
	case !isString:
		v.typeError(typePath, "a string", raw)
		return
	case !v.enum(typePath, "clip type", name, names):
		return
	}
	kind, _ := KindOf(name)
	if inLayout && name == "subtitle" {
		v.errorf(typePath, "a subtitle clip cannot be a child of a layout; put it directly on a track")
	}
	var optional func(string) bool
	if inLayout { // children share the layout's time window
		optional = isTimingField
	}
	if name == "layout" {
		v.layoutDepth++
		defer func() { v.layoutDepth-- }()
	}
	glyphsBefore := v.glyphs
	v.object(path, reflect.TypeOf(kind.New()).Elem(), obj, optional)
	v.keyframesBudget(path, obj)

	if id, ok := obj["id"].(string); ok && id != "" {
		if first, dup := v.clipIDs[id]; dup {
			v.errorf(joinPath(path, "id"), "duplicate clip id %q (first used at %s): clip ids must be unique", id, first)
		} else {
			v.clipIDs[id] = path
		}
	}
	if name == "audio" && obj["transition"] != nil {
		v.warnf(joinPath(path, "transition"), "audio clips take no transition; it is ignored")
	}
	if !inLayout {
		start, ok1 := floatOf(obj["start"])
		dur, ok2 := floatOf(obj["duration"])
		if ok1 && ok2 && start+dur > v.lastEnd {
			v.lastEnd, v.lastEndPath = start+dur, path
		}
		if n := v.glyphs - glyphsBefore; n > 0 && ok1 && ok2 {
			v.textSpans = append(v.textSpans, textSpan{start: start, end: start + dur, glyphs: n, path: path})
		}
	}
}

// floatOf reads a JSON number.
func floatOf(x any) (float64, bool) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// checkColor checks a CSS color with ParseColor, suggesting a close color name.
func checkColor(v *validator, path string, x any, _ reflect.Type) {
	s, ok := x.(string)
	if !ok {
		v.typeError(path, `a color string such as "#ffffff"`, x)
		return
	}
	_, err := ParseColor(s)
	if err == nil {
		return
	}
	if isWord(s) {
		if hint := didYouMean(s, ColorNames()); hint != "" {
			v.errorf(path, "unknown color %q%s", s, hint)
			return
		}
	}
	v.errorf(path, "%v", err)
}

func isWord(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s != ""
}

// checkPaint checks a color string or a gradient object.
func checkPaint(v *validator, path string, x any, parent reflect.Type) {
	switch x := x.(type) {
	case string:
		checkColor(v, path, x, parent)
	case map[string]any:
		v.object(path, typeOf[Gradient](), x, nil)
	default:
		v.typeError(path, "a color string or a gradient object", x)
	}
}

// checkMediaRef checks a URL string or {"$ref": id}; the asset's group must suit the holding type.
func checkMediaRef(v *validator, path string, x any, parent reflect.Type) {
	switch x := x.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			v.errorf(path, `must not be empty: give a URL or {"$ref": "<asset id>"}`)
		}
	case map[string]any:
		v.assetRef(path, x, refGroups[parent])
	default:
		v.typeError(path, `a URL string or {"$ref": "<asset id>"}`, x)
	}
}

// checkSVGSource checks SVG markup or {"$ref": id} of assets.svgs.
func checkSVGSource(v *validator, path string, x any, _ reflect.Type) {
	switch x := x.(type) {
	case string:
	case map[string]any:
		v.assetRef(path, x, []string{"svgs"})
	default:
		v.typeError(path, `SVG markup or {"$ref": "<asset id>"}`, x)
	}
}

// checkWords checks a subtitle word list in any of its forms.
func checkWords(v *validator, path string, x any, _ reflect.Type) {
	switch obj := x.(type) {
	case []any:
		v.list(path, typeOf[[]Word](), x, rules{}, nil)
	case map[string]any:
		if _, ok := obj["$ref"]; ok {
			v.assetRef(path, obj, []string{"subtitles"})
			return
		}
		var w Words
		b, _ := json.Marshal(obj)
		if err := json.Unmarshal(b, &w); err != nil || (w.Src == "" && w.SRT == "" && w.VTT == "") {
			v.errorf(path, `must be a list of words, {"$ref": id}, {"src": url}, {"srt": text} or {"vtt": text}`)
		}
	default:
		v.typeError(path, `a list of words, {"$ref": id}, {"src": url}, {"srt": text} or {"vtt": text}`, x)
	}
}

// assetRef checks a {"$ref": id} object; groups lists the asset groups it may point into (nil: any).
func (v *validator) assetRef(path string, obj map[string]any, groups []string) {
	v.object(path, typeOf[AssetRef](), obj, nil)
	id, ok := obj["$ref"].(string)
	if !ok || id == "" {
		return
	}
	path = joinPath(path, "$ref")
	site, ok := v.assets[id]
	if !ok {
		known := sortedKeys(v.assets)
		switch {
		case len(known) == 0:
			v.errorf(path, "unknown asset id %q: the document has no assets; add {\"id\": %q, …} to %s", id, id, groupList(groups, "assets.images"))
		default:
			v.errorf(path, "unknown asset id %q%s; known ids: %s", id, didYouMean(id, known), quoteList(known, 20))
		}
		return
	}
	if len(groups) > 0 && !containsString(groups, site.group) {
		v.errorf(path, "asset %q is in assets.%s, but this field takes an asset from %s", id, site.group, groupList(groups, ""))
	}
}

// groupList writes groups as "assets.images or assets.svgs".
func groupList(groups []string, otherwise string) string {
	if len(groups) == 0 {
		return otherwise
	}
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = "assets." + g
	}
	return strings.Join(out, " or ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// indexAssets records every asset id before the walk, so that references can be checked wherever they
// appear, and reports ids used twice. Wrong shapes are left to the walk.
func (v *validator) indexAssets(raw any) {
	v.assets = map[string]assetSite{}
	obj, _ := raw.(map[string]any)
	for _, group := range fieldNames(typeOf[Assets]()) {
		items, _ := obj[group].([]any)
		for i, item := range items {
			entry, _ := item.(map[string]any)
			id, _ := entry["id"].(string)
			if id == "" {
				continue
			}
			path := "assets." + group + "[" + strconv.Itoa(i) + "].id"
			if first, dup := v.assets[id]; dup {
				v.errorf(path, "duplicate asset id %q (first used at %s): ids must be unique across all asset groups", id, first.path)
				continue
			}
			v.assets[id] = assetSite{group: group, path: path}
		}
	}
}

// checkMeta checks the protocol version and the server's limits on the format.
func checkMeta(v *validator, path string, obj map[string]any) {
	if s, ok := obj["version"].(string); ok && s != Version {
		v.errorf(joinPath(path, "version"), "unsupported version %q: write %q, the protocol this server reads", s, Version)
	}
	limit := func(name string, max float64) {
		if f, ok := floatOf(obj[name]); ok && max > 0 && f > max {
			v.errorf(joinPath(path, name), "must be at most %g, the server's limit (got %g)", max, f)
		}
	}
	limit("width", float64(v.lim.MaxWidth))
	limit("height", float64(v.lim.MaxHeight))
	limit("fps", v.lim.MaxFPS)
	// H.264 in MP4 (4:2:0 chroma) stores only even sizes; rather than pad the video to another size than the
	// document asks for, an odd size is refused with the two even sizes around it.
	for _, name := range []string{"width", "height"} {
		if f, ok := floatOf(obj[name]); ok && f >= 1 && f == math.Trunc(f) && int(f)%2 == 1 {
			v.errorf(joinPath(path, name), "%g is odd: MP4 video (H.264, 4:2:0) needs an even %s; use %g or %g", f, name, f-1, f+1)
		}
	}
}

// checkKeyframeTrack checks that each frame's value suits the property: colors for the color properties
// (fill, stroke), numbers for the rest.
func checkKeyframeTrack(v *validator, path string, obj map[string]any) {
	prop, _ := obj["property"].(string)
	var takesColor, known bool
	for _, c := range KeyframeProperties {
		if c.Name == prop {
			known, takesColor = true, strings.HasPrefix(c.Description, "color")
		}
	}
	frames, _ := obj["frames"].([]any)
	if !known {
		return
	}
	for i, f := range frames {
		frame, _ := f.(map[string]any)
		x, ok := frame["value"]
		if !ok || x == nil {
			continue
		}
		p := path + ".frames[" + strconv.Itoa(i) + "].value"
		s, isString := x.(string)
		_, numericString := strconv.ParseFloat(strings.TrimSpace(s), 64)
		switch {
		case takesColor && isString:
			checkColor(v, p, x, nil)
		case takesColor:
			v.errorf(p, "keyframe property %q takes colors such as \"#ff0000\", not %s", prop, jsonKind(x))
		case isString && numericString != nil:
			v.errorf(p, "keyframe property %q takes numbers, not the string %q", prop, s)
		}
	}
}

// checkSVGClip requires svg or src, and markup that is not blank (the engine has nothing to draw from it).
func checkSVGClip(v *validator, path string, obj map[string]any) {
	checkSVGMarkup(v, path, obj, `is required: give "svg" (markup or {"$ref": id} of assets.svgs) or "src" (a URL)`)
}

// checkSVGAsset requires svg or src, and markup that is not blank.
func checkSVGAsset(v *validator, path string, obj map[string]any) {
	checkSVGMarkup(v, path, obj, `is required: give "svg" (markup) or "src" (a URL)`)
}

// checkSVGMarkup reports missing, the error when obj has neither svg nor src, or emptySVG when its svg
// markup is blank.
func checkSVGMarkup(v *validator, path string, obj map[string]any, missing string) {
	switch {
	case obj["svg"] == nil && obj["src"] == nil:
		v.errorf(joinPath(path, "svg"), missing)
	case blankMarkup(obj["svg"]):
		v.errorf(joinPath(path, "svg"), emptySVG)
	}
}

// emptySVG is the error of blank SVG markup.
const emptySVG = `is empty: give SVG markup (an <svg> element), or leave "svg" out and give "src" (a URL)`

// blankMarkup reports whether x is SVG markup of nothing but white space (svgBudget leaves it to the checks).
func blankMarkup(x any) bool {
	s, ok := x.(string)
	return ok && strings.TrimSpace(s) == ""
}

// checkSubtitleClip requires words.
func checkSubtitleClip(v *validator, path string, obj map[string]any) {
	if obj["words"] == nil {
		v.errorf(joinPath(path, "words"), `is required: a list of words, {"$ref": id}, {"src": url}, {"srt": text} or {"vtt": text}`)
	}
}

// checkTemplateClip checks the template name and the keys of its data.
func checkTemplateClip(v *validator, path string, obj map[string]any) {
	if name, ok := obj["template"].(string); ok {
		if v.enum(joinPath(path, "template"), "template", name, Names(TemplateNames)) {
			checkTemplateData(v, path, obj)
		}
	}
}

// checkDucking records the ducking targets; they are checked once every clip id is known.
func checkDucking(v *validator, path string, obj map[string]any) {
	targets, _ := obj["targets"].([]any)
	for i, t := range targets {
		if id, ok := t.(string); ok {
			v.ducking = append(v.ducking, pathValue{path + ".targets[" + strconv.Itoa(i) + "]", id})
		}
	}
}
