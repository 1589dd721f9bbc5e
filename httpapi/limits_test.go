package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/framecast/framecast/core/blob"
	"github.com/framecast/framecast/core/store/storetest"
)

// zeros is an endless reader of zero bytes: a huge body without holding it in memory.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// readAllExtra is an extra route that reads its whole body, as the MCP library does.
func readAllExtra(r chi.Router) {
	r.Post("/mcp", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "read %d bytes", len(body))
	})
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// A 1 GiB POST to an extra route (such as /mcp) with a valid key is refused with 413, whether its length
// is announced or it comes chunked, and the server does not hold it in memory.
func TestExtraRouteBodyLimit(t *testing.T) {
	e := newEnv(t, storetest.Backends(t)[0], options{http: Config{Extra: readAllExtra}})
	before := heapInUse()
	for _, announced := range []bool{true, false} {
		t.Run(fmt.Sprintf("announced=%v", announced), func(t *testing.T) {
			var body io.Reader = io.LimitReader(zeros{}, 1<<30)
			if !announced {
				body = io.NopCloser(body) // hides the length: sent chunked
			}
			req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/mcp", body)
			if err != nil {
				t.Fatal(err)
			}
			if announced {
				req.ContentLength = 1 << 30
			}
			req.Header.Set("Authorization", "Bearer "+e.key)
			req.Header.Set("Content-Type", "application/json")
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(got, []byte("STORAGE_LIMIT_EXCEEDED")) {
				t.Fatalf("status %d: %s", resp.StatusCode, got)
			}
		})
	}
	if grew := int64(heapInUse()) - int64(before); grew > 64<<20 {
		t.Errorf("the heap grew by %d MiB for a refused 1 GiB body", grew>>20)
	}
	// A body within the limit still reaches the route.
	req := e.request(t, http.MethodPost, "/mcp", `{"jsonrpc":"2.0"}`)
	req.Header.Set("Authorization", "Bearer "+e.key)
	if r := e.send(t, req); r.status != http.StatusOK || string(r.body) != "read 17 bytes" {
		t.Fatalf("small body: %d %s", r.status, r.body)
	}
}

// rawExchange writes head and then the whole body on a fresh connection, as a client that reads the answer
// only after sending everything (Python's requests), and returns the status line it then reads.
func rawExchange(t *testing.T, addr, head string, body io.Reader) (string, error) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := io.WriteString(conn, head); err != nil {
		return "", fmt.Errorf("writing the head: %w", err)
	}
	if _, err := io.Copy(conn, body); err != nil {
		return "", fmt.Errorf("writing the body: %w", err)
	}
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("reading the answer: %w", err)
	}
	return strings.TrimSpace(status), nil
}

// A client that writes a whole body over the limit before reading gets the 413, not a broken pipe: for
// a JSON body with or without Content-Length, and for a multipart upload.
func TestOverLimitBodyAnsweredAfterDrain(t *testing.T) {
	e := newEnv(t, storetest.Backends(t)[0], options{http: Config{MaxBodyBytes: 1 << 20, MaxUploadBytes: 1 << 20}})
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	const size = 24 << 20 // several times the limit, and far more than the sockets' buffers
	cases := []struct {
		name, path, contentType string
		chunked                 bool
	}{
		{"json announced", "/api/v1/preview", "application/json", false},
		{"json chunked", "/api/v1/preview", "application/json", true},
		{"upload", "/api/v1/upload", "multipart/form-data; boundary=xyz", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			head := "POST " + c.path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + e.key + "\r\nContent-Type: " + c.contentType + "\r\n"
			var body io.Reader = io.LimitReader(zeros{}, size)
			if c.chunked {
				head += "Transfer-Encoding: chunked\r\n\r\n"
				body = io.MultiReader(chunked(io.LimitReader(zeros{}, size)), strings.NewReader("0\r\n\r\n"))
			} else {
				head += fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
				if c.contentType != "application/json" {
					body = io.MultiReader(strings.NewReader("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"),
						io.LimitReader(zeros{}, size-200), strings.NewReader("\r\n--xyz--\r\n"))
				}
			}
			status, err := rawExchange(t, addr, head, body)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(status, " 413 ") {
				t.Fatalf("answer %q, want 413", status)
			}
		})
	}
	// Expect: 100-continue is honoured: the 413 comes without the body being sent.
	t.Run("expect continue", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "POST /api/v1/preview HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", e.key, size)
		status, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil || !strings.Contains(status, " 413 ") {
			t.Fatalf("answer %q, %v; want 413 before the body", status, err)
		}
	})
}

// chunked frames r as HTTP/1.1 chunks of 64 KiB.
func chunked(r io.Reader) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				if _, werr := fmt.Fprintf(pw, "%x\r\n%s\r\n", n, buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				pw.Close()
				return
			}
		}
	}()
	return pr
}

// Slow or stalled clients are cut off: headers that do not arrive within ReadHeaderTimeout, a JSON body
// that stalls past BodyReadTimeout (408, before any database work), and an idle kept-alive connection.
// Many stalled bodies of one account do not keep another account from being served.
func TestServerTimeouts(t *testing.T) {
	cfg := Config{ReadHeaderTimeout: 300 * time.Millisecond, BodyReadTimeout: 500 * time.Millisecond, IdleTimeout: 500 * time.Millisecond}
	forEachBackend(t, options{http: cfg}, func(t *testing.T, e *env) {
		addr := strings.TrimPrefix(e.srv.URL, "http://")
		dial := func() net.Conn {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			return conn
		}

		t.Run("headers", func(t *testing.T) {
			conn := dial()
			io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // and never the blank line
			if _, err := io.ReadAll(conn); err != nil {
				t.Fatalf("the server kept a connection whose headers never ended: %v", err)
			}
		})

		t.Run("idle", func(t *testing.T) {
			conn := dial()
			io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			rd := bufio.NewReader(conn)
			resp, err := http.ReadResponse(rd, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			if _, err := io.ReadAll(rd); err != nil {
				t.Fatalf("the server kept an idle connection open: %v", err)
			}
		})

		t.Run("stalled bodies", func(t *testing.T) {
			_, otherKey := e.newAccount(t, "other")
			const stalled = 40
			var wg sync.WaitGroup
			statuses := make(chan string, stalled)
			for range stalled {
				wg.Add(1)
				go func() {
					defer wg.Done()
					conn := dial()
					fmt.Fprintf(conn, "POST /api/v1/preview HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"meta\":", e.key)
					status, _ := bufio.NewReader(conn).ReadString('\n')
					statuses <- strings.TrimSpace(status)
				}()
			}
			for range 10 { // the other account is served meanwhile
				wantOK(t, e.apiAs(t, otherKey, http.MethodGet, "/api/v1/credits", nil), http.StatusOK)
			}
			wg.Wait()
			close(statuses)
			for s := range statuses {
				if !strings.Contains(s, " 408 ") {
					t.Fatalf("stalled body answered %q, want 408", s)
				}
			}
		})
	})
}

// A download keeps going as long as the client reads, however long it takes (there is no whole-response
// timeout on files), but a client that stops reading is dropped after StreamStallTimeout.
func TestFileDownloadWriteDeadlines(t *testing.T) {
	cfg := Config{WriteTimeout: 200 * time.Millisecond, StreamStallTimeout: 500 * time.Millisecond}
	e := newEnv(t, storetest.Backends(t)[0], options{http: cfg})
	const size = 48 << 20
	if _, err := e.blob.Put(context.Background(), "renders/big.mp4", io.LimitReader(zeros{}, size), "video/mp4"); err != nil {
		t.Fatal(err)
	}
	var _ blob.Store = e.blob
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	get := func() (*net.TCPConn, *bufio.Reader) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn := c.(*net.TCPConn)
		t.Cleanup(func() { conn.Close() })
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		io.WriteString(conn, "GET /files/renders/big.mp4 HTTP/1.1\r\nHost: x\r\n\r\n")
		return conn, bufio.NewReaderSize(conn, 16<<10)
	}

	t.Run("slow reader", func(t *testing.T) {
		_, rd := get()
		resp, err := http.ReadResponse(rd, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		start := time.Now()
		for {
			n, err := io.CopyN(io.Discard, resp.Body, 4<<20)
			got += n
			if err != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if got != size {
			t.Fatalf("got %d of %d bytes in %v", got, size, time.Since(start))
		}
	})

	t.Run("stalled reader", func(t *testing.T) {
		_, rd := get()
		resp, err := http.ReadResponse(rd, nil)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second) // stop reading: the server's writes stall
		got, _ := io.Copy(io.Discard, resp.Body)
		if got == size {
			t.Fatalf("a client that stopped reading was still sent the whole file")
		}
	})
}
