package httpapi

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/framecast/framecast/core/store/storetest"
)

// BenchmarkGetTask measures one authenticated GET /api/v1/video/{taskId} over loopback HTTP on SQLite:
// routing, key lookup, the task query and the JSON answer.
func BenchmarkGetTask(b *testing.B) {
	e := newEnv(b, storetest.Backends(b)[0], options{})
	id := e.createTask(b, doc(1280, 720, 5))
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/video/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+e.key)
	client := e.srv.Client()
	b.ResetTimer()
	for b.Loop() {
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(err, resp.StatusCode)
		}
		resp.Body.Close()
	}
}

// BenchmarkRateLimiter measures one token-bucket decision among 1000 active keys.
func BenchmarkRateLimiter(b *testing.B) {
	l := newRateLimiter(1e9, 1e9)
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = "key-" + strconv.Itoa(i)
	}
	i := 0
	for b.Loop() {
		l.allow(keys[i%len(keys)])
		i++
	}
}
