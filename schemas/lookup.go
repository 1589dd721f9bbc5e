package schemas

import (
	"fmt"
	"reflect"
)

// Duration returns the length of the video in seconds: the latest end (start + duration) of any top-level
// clip. A template clip counts by its own start and duration; layout children share their layout's window.
func Duration(d *Document) float64 {
	var end float64
	for _, t := range d.Tracks {
		for _, c := range t.Clips {
			if c.Spec != nil {
				end = max(end, c.Base().End())
			}
		}
	}
	return end
}

// AssetEntry is one entry of the document's assets, whatever its group.
type AssetEntry struct {
	Group string // JSON name of the group: "images", "videos", "audios", "subtitles", "svgs", "models", "fonts"
	ID    string
	Src   string // URL; empty for SVG markup and inline subtitle assets
	Value any    // the entry itself: MediaAsset, FontAsset, SubtitleAsset or SVGAsset
}

// AssetEntries lists every asset in group order (the order of the fields of Assets), then entry order.
func (d *Document) AssetEntries() []AssetEntry {
	if d.Assets == nil {
		return nil
	}
	var out []AssetEntry
	groups := reflect.ValueOf(d.Assets).Elem()
	for i, f := range fieldsOf(groups.Type()) {
		list := groups.Field(i)
		for j := 0; j < list.Len(); j++ {
			entry := list.Index(j)
			e := AssetEntry{Group: f.name, Value: entry.Interface()}
			if id := entry.FieldByName("ID"); id.IsValid() {
				e.ID = id.String()
			}
			if src := entry.FieldByName("Src"); src.IsValid() {
				e.Src = src.String()
			}
			out = append(out, e)
		}
	}
	return out
}

// Asset finds the asset with id, in any group.
func (d *Document) Asset(id string) (AssetEntry, bool) {
	for _, e := range d.AssetEntries() {
		if e.ID == id {
			return e, true
		}
	}
	return AssetEntry{}, false
}

// ResolveMedia returns the URL a media field points to: the URL itself, or the src of the asset its
// {"$ref"} names.
func (d *Document) ResolveMedia(m MediaRef) (string, error) {
	if m.Ref == "" {
		if m.URL == "" {
			return "", fmt.Errorf("resolve media: no URL and no $ref")
		}
		return m.URL, nil
	}
	e, ok := d.Asset(m.Ref)
	if !ok {
		return "", fmt.Errorf("resolve media: unknown asset id %q", m.Ref)
	}
	if e.Src == "" {
		return "", fmt.Errorf("resolve media: asset %q (assets.%s) has no src", m.Ref, e.Group)
	}
	return e.Src, nil
}

// ResolveSVG returns what an svg field points to: SVG markup, or the URL of an SVG file (one of the two
// is empty).
func (d *Document) ResolveSVG(s SVGSource) (markup, url string, err error) {
	if s.Ref == "" {
		return s.Markup, "", nil
	}
	e, ok := d.Asset(s.Ref)
	if !ok {
		return "", "", fmt.Errorf("resolve svg: unknown asset id %q", s.Ref)
	}
	if a, ok := e.Value.(SVGAsset); ok && a.SVG != "" {
		return a.SVG, "", nil
	}
	if e.Src == "" {
		return "", "", fmt.Errorf("resolve svg: asset %q (assets.%s) has neither svg nor src", s.Ref, e.Group)
	}
	return "", e.Src, nil
}

// ResolveWords replaces a {"$ref"} word list by the words of the assets.subtitles entry it names; other
// forms are returned unchanged (a src, srt or vtt is read by the subtitle renderer).
func (d *Document) ResolveWords(w Words) (Words, error) {
	if w.Ref == "" {
		return w, nil
	}
	e, ok := d.Asset(w.Ref)
	if !ok {
		return Words{}, fmt.Errorf("resolve words: unknown asset id %q", w.Ref)
	}
	a, ok := e.Value.(SubtitleAsset)
	if !ok {
		return Words{}, fmt.Errorf("resolve words: asset %q is in assets.%s, not assets.subtitles", w.Ref, e.Group)
	}
	if a.Words.Ref != "" {
		return Words{}, fmt.Errorf("resolve words: asset %q refers to another asset", w.Ref)
	}
	return a.Words, nil
}

// MediaURL is a URL the document reads media from, with the JSON path of the field that holds it.
type MediaURL struct {
	Path string
	URL  string
}

// MediaURLs lists every media URL written in the document: asset entries, and the src of clips (layout
// children included) and of their parts (subtitle words, 3D models) that give a URL rather than a $ref.
// Template data is not looked into. TestMediaURLsCoversEveryMediaField finds the media fields of every
// clip type by reflection (MediaRef values and string Src fields) and fails for one this function misses.
func (d *Document) MediaURLs() []MediaURL {
	var out []MediaURL
	groupIndex := map[string]int{}
	for _, e := range d.AssetEntries() {
		i := groupIndex[e.Group]
		groupIndex[e.Group]++
		if e.Src != "" {
			out = append(out, MediaURL{fmt.Sprintf("assets.%s[%d].src", e.Group, i), e.Src})
		}
	}
	var walk func(path string, clips []Clip)
	walk = func(path string, clips []Clip) {
		for i, c := range clips {
			p := fmt.Sprintf("%s[%d]", path, i)
			add := func(field, url string) {
				if url != "" {
					out = append(out, MediaURL{p + "." + field, url})
				}
			}
			switch s := c.Spec.(type) {
			case *ImageClip:
				add("src", s.Src.URL)
			case *VideoClip:
				add("src", s.Src.URL)
			case *AudioClip:
				add("src", s.Src.URL)
			case *SVGClip:
				if s.Src != nil {
					add("src", s.Src.URL)
				}
			case *SubtitleClip:
				if s.Words != nil {
					add("words.src", s.Words.Src)
				}
			case *ThreeClip:
				for j, o := range s.Objects {
					if o.Src != nil {
						add(fmt.Sprintf("objects[%d].src", j), o.Src.URL)
					}
				}
			case *LayoutClip:
				walk(p+".children", s.Children)
			}
		}
	}
	for ti, t := range d.Tracks {
		walk(fmt.Sprintf("tracks[%d].clips", ti), t.Clips)
	}
	return out
}
