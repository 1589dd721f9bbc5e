package core

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDetectFileType: upload sniffing never panics on any first bytes, answers an accepted type only with a
// kind and a MIME type, and reads an AVIF's size without panicking.
func FuzzDetectFileType(f *testing.F) {
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 4, 4)), nil)
	f.Add(jpg.Bytes())
	f.Add(testPNG(f, 2, 2))
	f.Add([]byte("RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00"))
	f.Add([]byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miafispe\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00\x30"))
	f.Add([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"))
	f.Add([]byte("\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm"))
	f.Add([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("<?xml version=\"1.0\"?><!-- c --><!DOCTYPE svg><svg width=\"10\" height=\"10\"/>"))
	f.Add([]byte("MZ\x90\x00"))
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	files, _ := filepath.Glob(filepath.Join("..", "examples", "assets", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b[:min(len(b), sniffLength)])
		}
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		ft, detected, ok := DetectFileType(head)
		if ok && (ft.Kind == "" || ft.MimeType == "") {
			t.Fatalf("accepted as %+v (%q) without a kind or a MIME type", ft, detected)
		}
		if !ok && detected == "" {
			t.Fatalf("refused without saying what it looks like")
		}
		if w, h := avifSize(head); w < 0 || h < 0 {
			t.Fatalf("avifSize = %d×%d", w, h)
		}
	})
}
