package schemas

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Every field a clip reads media from — a MediaRef (or *MediaRef), or a string field called Src such as
// the subtitle words' — is reported by MediaURLs, found by reflection over every clip kind so that a new
// media field cannot skip the address check that validation runs on MediaURLs. Each field is set alone,
// at the top level and inside a layout.
func TestMediaURLsCoversEveryMediaField(t *testing.T) {
	found := 0
	for _, kind := range ClipKinds {
		for _, path := range mediaFieldPaths(reflect.TypeOf(kind.New()).Elem(), nil, map[reflect.Type]bool{}) {
			found++
			name := kind.Name + "." + pathName(reflect.TypeOf(kind.New()).Elem(), path)
			url := "https://media.test/" + name
			spec := kind.New()
			setPath(reflect.ValueOf(spec).Elem(), path, url)
			for _, doc := range []*Document{
				{Tracks: []Track{{Clips: []Clip{{Spec: spec}}}}},
				{Tracks: []Track{{Clips: []Clip{{Spec: &LayoutClip{Children: []Clip{{Spec: spec}}}}}}}},
			} {
				if !slices.ContainsFunc(doc.MediaURLs(), func(m MediaURL) bool { return m.URL == url }) {
					t.Errorf("MediaURLs misses %s (a URL there is loaded without the address check): %+v", name, doc.MediaURLs())
				}
			}
		}
	}
	if found < 6 { // image, video, audio, svg, subtitle words, 3D model
		t.Fatalf("found only %d media fields: the reflection walk is broken", found)
	}
}

var mediaRefType = reflect.TypeFor[MediaRef]()

// mediaFieldPaths returns the field index paths under t that hold a media URL.
func mediaFieldPaths(t reflect.Type, prefix []int, seen map[reflect.Type]bool) [][]int {
	if seen[t] {
		return nil
	}
	seen[t] = true
	defer delete(seen, t)
	var out [][]int
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		path := append(slices.Clone(prefix), i)
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		switch {
		case ft == mediaRefType:
			out = append(out, path)
		case f.Name == "Src" && ft.Kind() == reflect.String:
			out = append(out, path)
		case ft.Kind() == reflect.Struct:
			out = append(out, mediaFieldPaths(ft, path, seen)...)
		}
	}
	return out
}

// setPath sets the media field at path under v to url, making the pointers and one-element slices on the way.
func setPath(v reflect.Value, path []int, url string) {
	f := v.Field(path[0])
	for {
		switch f.Kind() {
		case reflect.Pointer:
			if f.IsNil() {
				f.Set(reflect.New(f.Type().Elem()))
			}
			f = f.Elem()
			continue
		case reflect.Slice:
			if f.Len() == 0 {
				f.Set(reflect.MakeSlice(f.Type(), 1, 1))
			}
			f = f.Index(0)
			continue
		}
		break
	}
	switch {
	case len(path) > 1:
		setPath(f, path[1:], url)
	case f.Type() == mediaRefType:
		f.Set(reflect.ValueOf(MediaRef{URL: url}))
	default:
		f.SetString(url)
	}
}

// pathName spells a field path with Go field names, for messages.
func pathName(t reflect.Type, path []int) string {
	var names []string
	for _, i := range path {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		f := t.Field(i)
		names = append(names, f.Name)
		t = f.Type
	}
	return strings.Join(names, ".")
}
