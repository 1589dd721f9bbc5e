package schemas_test

import (
	"encoding/json"
	"fmt"

	"github.com/framecast/framecast/schemas"
)

// Validate reports every problem of a document at once, each with its JSON path. Unknown fields are
// warnings: the document is still accepted.
func ExampleValidate() {
	doc := []byte(`{
	  "meta": {"version": "2.0.0", "width": 1920, "height": 1080},
	  "tracks": [{"clips": [
	    {"type": "text", "text": "Hello", "start": 0, "duration": 0,
	     "style": {"fontsize": 72, "fill": "whte"},
	     "animations": [{"type": "fadein", "duration": 0.5}]},
	    {"type": "image", "src": {"$ref": "logo"}, "start": 0, "duration": 5}
	  ]}]
	}`)
	res := schemas.Validate(doc, schemas.DefaultLimits())
	fmt.Println("ok:", res.OK())
	for _, p := range res.Errors {
		fmt.Printf("error   %s: %s\n", p.Path, p.Message)
	}
	for _, p := range res.Warnings {
		fmt.Printf("warning %s: %s\n", p.Path, p.Message)
	}
	// Output:
	// ok: false
	// error   tracks[0].clips[0].duration: must be greater than 0 (got 0)
	// error   tracks[0].clips[0].style.fill: unknown color "whte" — did you mean "white"?
	// error   tracks[0].clips[0].animations[0].type: unknown animation type "fadein" — did you mean "fadeIn"?
	// error   tracks[0].clips[1].src.$ref: unknown asset id "logo": the document has no assets; add {"id": "logo", …} to assets.images or assets.svgs
	// warning tracks[0].clips[0].style.fontsize: unknown field "fontsize" — did you mean "fontSize"?; it is ignored
}

// A valid document comes back decoded, ready to render.
func ExampleValidate_valid() {
	doc := []byte(`{
	  "meta": {"version": "2.0.0", "width": 1280, "height": 720, "fps": 25},
	  "assets": {"images": [{"id": "logo", "src": "https://example.com/logo.png"}]},
	  "tracks": [{"clips": [
	    {"type": "image", "src": {"$ref": "logo"}, "start": 1, "duration": 4}
	  ]}]
	}`)
	res := schemas.Validate(doc, schemas.DefaultLimits())
	if !res.OK() {
		fmt.Println(res.Err())
		return
	}
	d := res.Document
	img := d.Tracks[0].Clips[0].Spec.(*schemas.ImageClip)
	url, _ := d.ResolveMedia(img.Src)
	fmt.Println(d.Meta.FrameRate(), schemas.Duration(d), url)
	// Output:
	// 25 5 https://example.com/logo.png
}

// JSONSchema describes the document for editors and language models; a clip is a oneOf over the clip
// types, told apart by "type".
func ExampleJSONSchema() {
	raw, err := schemas.JSONSchema()
	if err != nil {
		panic(err)
	}
	var s struct {
		Schema string `json:"$schema"`
		Defs   map[string]struct {
			OneOf []struct {
				Ref string `json:"$ref"`
			} `json:"oneOf"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		panic(err)
	}
	fmt.Println(s.Schema)
	for _, alt := range s.Defs["Clip"].OneOf[:3] {
		fmt.Println(alt.Ref)
	}
	// Output:
	// https://json-schema.org/draft/2020-12/schema
	// #/$defs/VideoClip
	// #/$defs/ImageClip
	// #/$defs/TextClip
}
