package player_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
)

// pngHeaderBomb returns the start of a 16384 × 16384 PNG (header and a few rows): a decoder that trusts
// the header allocates 1 GiB for it.
func pngHeaderBomb() []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		out.WriteString(kind)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 16384)
	binary.BigEndian.PutUint32(ihdr[4:], 16384)
	ihdr[8], ihdr[9] = 8, 6
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	z := zlib.NewWriter(&idat)
	z.Write(make([]byte, 8*(1+16384*4)))
	z.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// A preview whose image is a decompression bomb answers its frame endpoint 400 with the limit, at once,
// instead of decoding 1 GiB (before: 70 s, 3.1 GB, then 502 "A storage service failed").
func TestFrameEndpointRefusesImageBomb(t *testing.T) {
	s := newStack(t, stackOptions{})
	up, err := s.svc.Upload(context.Background(), s.account, []core.UploadFile{{Name: "bomb.png", Content: bytes.NewReader(pngHeaderBomb())}})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]any{
		"meta": map[string]any{"version": "2.0.0", "width": 320, "height": 180},
		"tracks": []any{map[string]any{"clips": []any{map[string]any{
			"type": "image", "src": up.Assets[0].URL, "start": 0, "duration": 1}}}},
	})
	id := s.newPreview(t, doc)
	start := time.Now()
	res, body := s.get(t, "/t/"+id+"/frame?t=0&w=320")
	t.Logf("answered %s in %v: %s", res.Status, time.Since(start).Round(time.Millisecond), body)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "the limit is 40 million") {
		t.Fatalf("frame: %s %q; want 400 naming the limit", res.Status, body)
	}
	if strings.Contains(string(body), "objects/") || strings.Contains(string(body), "storage service") {
		t.Errorf("the answer shows a server path or blames storage: %q", body)
	}
}
