package core

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"net/http"
	"strings"
)

// File kinds.
const (
	KindImage = "image"
	KindVideo = "video"
	KindAudio = "audio"
)

// fileKinds are the values of a file's type.
var fileKinds = []string{KindImage, KindVideo, KindAudio}

// FileType is an accepted upload type, decided from the content.
type FileType struct {
	Kind     string // KindImage, KindVideo or KindAudio
	MimeType string
}

// sniffLength is how much of a file DetectFileType wants to see.
const sniffLength = 4096

// DetectFileType decides the type of a file from its first bytes (up to sniffLength), never from its
// name. ok is false for anything not accepted; detected then describes what the content looks like (for
// the error message), such as "executable" or "text/plain".
//
// Accepted: jpeg, png, gif, webp, avif and svg images; mp4, mov, webm and ogg video; mp3, aac, m4a, wav,
// flac and ogg audio. Executables (ELF, PE, Mach-O, "#!" scripts) are always refused.
func DetectFileType(head []byte) (ft FileType, detected string, ok bool) {
	if isExecutable(head) {
		return FileType{}, "executable", false
	}
	if bytes.HasPrefix(head, []byte("\x1a\x45\xdf\xa3")) { // EBML: WebM, or other Matroska (refused)
		ft, ok := sniffMatroska(head)
		return ft, cmp.Or(ft.MimeType, "video/x-matroska"), ok
	}
	if ft, ok := sniffBinary(head); ok {
		return ft, ft.MimeType, true
	}
	if isSVG(head) {
		return FileType{KindImage, "image/svg+xml"}, "image/svg+xml", true
	}
	sniffed := http.DetectContentType(head)
	switch sniffed {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return FileType{KindImage, sniffed}, sniffed, true
	case "video/webm":
		return FileType{KindVideo, sniffed}, sniffed, true
	case "audio/mpeg":
		return FileType{KindAudio, sniffed}, sniffed, true
	case "audio/wave":
		return FileType{KindAudio, "audio/wav"}, sniffed, true
	}
	return FileType{}, strings.TrimSuffix(sniffed, "; charset=utf-8"), false
}

// isExecutable reports ELF, PE ("MZ"), Mach-O (thin and fat) and "#!" scripts.
func isExecutable(b []byte) bool {
	switch {
	case bytes.HasPrefix(b, []byte("\x7fELF")), bytes.HasPrefix(b, []byte("MZ")), bytes.HasPrefix(b, []byte("#!")):
		return true
	case len(b) >= 4:
		switch binary.BigEndian.Uint32(b) {
		case 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xbebafeca:
			return true
		}
	}
	return false
}

// sniffBinary recognises the accepted binary formats by their signatures.
func sniffBinary(b []byte) (FileType, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return FileType{KindImage, "image/png"}, true
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return FileType{KindImage, "image/jpeg"}, true
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return FileType{KindImage, "image/gif"}, true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return FileType{KindImage, "image/webp"}, true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return FileType{KindAudio, "audio/wav"}, true
	case bytes.HasPrefix(b, []byte("fLaC")):
		return FileType{KindAudio, "audio/flac"}, true
	case bytes.HasPrefix(b, []byte("OggS")):
		return sniffOgg(b), true
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return sniffISOBMFF(b)
	case bytes.HasPrefix(b, []byte("ID3")):
		return FileType{KindAudio, "audio/mpeg"}, true
	}
	return sniffAudioFrame(b)
}

// sniffOgg tells Ogg video (a Theora stream) from Ogg audio (Vorbis, Opus, FLAC, Speex).
func sniffOgg(b []byte) FileType {
	if bytes.Contains(b, []byte("\x80theora")) {
		return FileType{KindVideo, "video/ogg"}
	}
	return FileType{KindAudio, "audio/ogg"}
}

// sniffMatroska accepts WebM (Matroska with DocType "webm"); other Matroska files are refused.
func sniffMatroska(b []byte) (FileType, bool) {
	if bytes.Contains(b[:min(len(b), 64)], []byte("webm")) {
		return FileType{KindVideo, "video/webm"}, true
	}
	return FileType{}, false
}

// sniffISOBMFF reads the brands of an ISO base media file's ftyp box: AVIF images, QuickTime movies, M4A/
// M4B audio, and MP4 video for the common MP4 brands.
func sniffISOBMFF(b []byte) (FileType, bool) {
	size := int(binary.BigEndian.Uint32(b))
	if size < 16 || size > len(b) {
		size = min(len(b), 64)
	}
	major := string(b[8:12])
	brands := []string{major}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(b[i:i+4]))
	}
	has := func(names ...string) bool {
		for _, br := range brands {
			for _, n := range names {
				if br == n {
					return true
				}
			}
		}
		return false
	}
	switch {
	case major == "avif" || major == "avis" || has("avif", "avis") && (major == "mif1" || major == "msf1"):
		return FileType{KindImage, "image/avif"}, true
	case major == "qt  ":
		return FileType{KindVideo, "video/quicktime"}, true
	case major == "M4A " || major == "M4B " || major == "M4P ":
		return FileType{KindAudio, "audio/mp4"}, true
	case has("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4", "3gp4", "3gp5", "3g2a", "f4v "):
		return FileType{KindVideo, "video/mp4"}, true
	}
	return FileType{}, false
}

// sniffAudioFrame recognises raw MPEG audio by its frame header: ADTS AAC (sync word, layer 0) or MP3
// (sync word, layer 1 to 3, a valid bit rate and sample rate). Two consecutive frames are not required,
// but the header must be fully valid.
func sniffAudioFrame(b []byte) (FileType, bool) {
	if len(b) < 4 || b[0] != 0xff || b[1]&0xe0 != 0xe0 {
		return FileType{}, false
	}
	layer := (b[1] >> 1) & 3
	if b[1]&0xf6 == 0xf0 { // ADTS: 12-bit sync, layer 00
		if (b[2]>>2)&0x0f < 13 { // sampling frequency index
			return FileType{KindAudio, "audio/aac"}, true
		}
		return FileType{}, false
	}
	version := (b[1] >> 3) & 3
	bitrate, rate := b[2]>>4, (b[2]>>2)&3
	if version != 1 && layer != 0 && bitrate != 0 && bitrate != 15 && rate != 3 {
		return FileType{KindAudio, "audio/mpeg"}, true
	}
	return FileType{}, false
}

// isSVG reports text that is an SVG document: after an optional byte-order mark, XML declaration, comments
// and doctype, the first element is <svg.
func isSVG(b []byte) bool {
	s := string(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(s, "<?"):
			s = skipPast(s, "?>")
		case strings.HasPrefix(s, "<!--"):
			s = skipPast(s, "-->")
		case strings.HasPrefix(s, "<!"):
			s = skipPast(s, ">")
		default:
			return len(s) > 4 && strings.HasPrefix(s, "<svg") && strings.ContainsAny(s[4:5], " \t\r\n>/")
		}
		if s == "" {
			return false
		}
	}
}

func skipPast(s, end string) string {
	if i := strings.Index(s, end); i >= 0 {
		return s[i+len(end):]
	}
	return ""
}
