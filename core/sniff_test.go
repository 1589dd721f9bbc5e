package core

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// testPNG returns a w × h PNG.
func testPNG(t testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDetectFileTypeSignatures(t *testing.T) {
	var jpg, gf bytes.Buffer
	jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 4, 4)), nil)
	gif.Encode(&gf, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White}), nil)
	accepted := map[string]struct {
		head []byte
		mime string
	}{
		"png":          {testPNG(t, 2, 2), "image/png"},
		"jpeg":         {jpg.Bytes(), "image/jpeg"},
		"gif":          {gf.Bytes(), "image/gif"},
		"webp":         {[]byte("RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00"), "image/webp"},
		"avif":         {[]byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), "image/avif"},
		"avif in mif1": {[]byte("\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf"), "image/avif"},
		"svg":          {[]byte("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\"/>"), "image/svg+xml"},
		"mp4":          {[]byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"), "video/mp4"},
		"mov":          {[]byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "), "video/quicktime"},
		"m4a":          {[]byte("\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom"), "audio/mp4"},
		"webm":         {[]byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"), "video/webm"},
		"ogg vorbis":   {append([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x00\x00\x00\x00\x00\x00\x00\x00\x01\x1e"), "\x01vorbis\x00\x00"...), "audio/ogg"},
		"ogg theora":   {append([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x00\x00\x00\x00\x00\x00\x00\x00\x01\x2a"), "\x80theora\x03\x02"...), "video/ogg"},
		"mp3 id3":      {[]byte("ID3\x03\x00\x00\x00\x00\x00\x0a"), "audio/mpeg"},
		"mp3 frame":    {[]byte("\xff\xfb\x90\x64\x00\x00\x00\x00"), "audio/mpeg"},
		"aac adts":     {[]byte("\xff\xf1\x50\x80\x02\x1f\xfc"), "audio/aac"},
		"wav":          {[]byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"), "audio/wav"},
		"flac":         {[]byte("fLaC\x00\x00\x00\x22"), "audio/flac"},
	}
	for name, c := range accepted {
		ft, _, ok := DetectFileType(c.head)
		if !ok || ft.MimeType != c.mime {
			t.Errorf("%s: got %+v ok=%v, want %s", name, ft, ok, c.mime)
		}
	}
	refused := map[string][]byte{
		"elf":         []byte("\x7fELF\x02\x01\x01\x00"),
		"pe":          []byte("MZ\x90\x00\x03\x00"),
		"mach-o":      []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"),
		"fat mach-o":  []byte("\xca\xfe\xba\xbe\x00\x00\x00\x02"),
		"script":      []byte("#!/bin/sh\necho hi\n"),
		"text":        []byte("just some words"),
		"html":        []byte("<!DOCTYPE html><html><body>x</body></html>"),
		"not svg":     []byte("<svgfoo></svgfoo>"),
		"pdf":         []byte("%PDF-1.7\n"),
		"heic":        []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		"mkv":         []byte("\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x88matroska"),
		"zip":         []byte("PK\x03\x04\x14\x00"),
		"bad mp3 hdr": []byte("\xff\xfb\xf0\x64"),
	}
	for name, head := range refused {
		if ft, detected, ok := DetectFileType(head); ok {
			t.Errorf("%s accepted as %+v (%s)", name, ft, detected)
		}
	}
	if _, detected, _ := DetectFileType(refused["elf"]); detected != "executable" {
		t.Errorf("elf detected as %q", detected)
	}
}

// TestDetectFileTypeRealMedia sniffs files made by FFmpeg in every accepted audio and video container.
func TestDetectFileTypeRealMedia(t *testing.T) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	video := []string{"-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=0.3"}
	audio := []string{"-f", "lavfi", "-i", "sine=frequency=440:duration=0.3"}
	cases := []struct {
		file  string
		input []string
		codec []string
		mime  string
	}{
		{"v.mp4", video, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"}, "video/mp4"},
		{"v.mov", video, []string{"-c:v", "libx264", "-pix_fmt", "yuv420p"}, "video/quicktime"},
		{"v.webm", video, []string{"-c:v", "libvpx"}, "video/webm"},
		{"v.ogv", video, []string{"-c:v", "libtheora"}, "video/ogg"},
		{"a.mp3", audio, []string{"-c:a", "libmp3lame"}, "audio/mpeg"},
		{"a.m4a", audio, []string{"-c:a", "aac"}, "audio/mp4"},
		{"a.aac", audio, []string{"-c:a", "aac"}, "audio/aac"},
		{"a.wav", audio, []string{"-c:a", "pcm_s16le"}, "audio/wav"},
		{"a.flac", audio, []string{"-c:a", "flac"}, "audio/flac"},
		{"a.ogg", audio, []string{"-c:a", "libopus"}, "audio/ogg"},
		{"i.webp", []string{"-f", "lavfi", "-i", "testsrc=size=64x48:duration=0.1"}, []string{"-frames:v", "1", "-c:v", "libwebp"}, "image/webp"},
		{"i.avif", []string{"-f", "lavfi", "-i", "testsrc=size=64x48:duration=0.1"}, []string{"-frames:v", "1", "-c:v", "libaom-av1", "-still-picture", "1", "-cpu-used", "8"}, "image/avif"},
	}
	dir := t.TempDir()
	// FFmpeg spends most of its time starting up, so the files are made concurrently.
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := append(append(append([]string{"-hide_banner", "-loglevel", "error", "-y"}, c.input...), c.codec...), filepath.Join(dir, c.file))
			if out, err := exec.Command(ffmpeg, args...).CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("ffmpeg: %v\n%s", err, out)
			}
		}()
	}
	wg.Wait()
	for i, c := range cases {
		if errs[i] != nil {
			t.Errorf("%s: %v", c.file, errs[i])
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		head := b[:min(len(b), sniffLength)]
		ft, detected, ok := DetectFileType(head)
		if !ok || ft.MimeType != c.mime {
			t.Errorf("%s: got %+v (%s) ok=%v, want %s", c.file, ft, detected, ok, c.mime)
		}
		if ft.MimeType == "image/avif" {
			if w, h := avifSize(head); w != 64 || h != 48 {
				t.Errorf("%s: size %dx%d, want 64x48", c.file, w, h)
			}
		}
	}
}
