package player_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// textAndImageDoc is a 1920 × 1080 document of ten minutes with a photo and two lines of animated text.
var textAndImageDoc = json.RawMessage(`{"meta":{"version":"2.0.0","width":1920,"height":1080,"fps":30,"background":"#0f172a"},
"tracks":[{"id":"main","clips":[
 {"type":"image","src":"photo.jpg","start":0,"duration":600,"transform":{"x":"30%","y":"50%","width":"50%","height":"70%"},
  "keyframes":[{"property":"scale","frames":[{"time":0,"value":1},{"time":600,"value":1.2}]}]},
 {"type":"text","text":"Spring collection","start":0,"duration":600,"transform":{"x":"75%","y":"40%"},
  "style":{"fontSize":96,"fontWeight":800,"fill":"#ffffff"},
  "keyframes":[{"property":"y","frames":[{"time":0,"value":400},{"time":600,"value":500}]}]},
 {"type":"text","text":"Free shipping on every order this week","start":0,"duration":600,"transform":{"x":"75%","y":"60%","width":700},
  "style":{"fontSize":44,"fill":"#cbd5e1"}}
]}]}`)

// BenchmarkFrameEndpoint measures GET /t/{id}/frame for a 960 px wide JPEG over loopback HTTP, each
// request a frame not drawn before (no cache hit), and reports the median and 90th percentile latency.
func BenchmarkFrameEndpoint(b *testing.B) {
	s := newStack(b, stackOptions{})
	id := s.newPreview(b, textAndImageDoc)
	get := func(frame int) {
		res, err := http.Get(fmt.Sprintf("%s/t/%s/frame?t=%v&w=960", s.srv.URL, id, float64(frame)/30))
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("frame %d: %s %s", frame, res.Status, body)
		}
	}
	get(0) // loads the document's media and fonts once, as the poster does
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		get(1 + i%17999)
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(latencies)
	ms := func(q float64) float64 { return float64(latencies[int(q*float64(len(latencies)-1))]) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.9), "p90-ms")
}
