// Package s3test starts a real S3 server for tests: versitygw (github.com/versity/versitygw), an S3 gateway
// over a folder that checks SigV4 signatures and chunked uploads as Amazon does, so the S3 blob store is
// tested against a server nobody here wrote rather than a mock.
//
// The binary is found in $FRAMECAST_VERSITYGW, on PATH, or in $(go env GOBIN) or $(go env GOPATH)/bin (where
// `go install github.com/versity/versitygw/cmd/versitygw@v1.8.0` puts it; scripts/setup.sh test, run by
// `make test` and .ci/run, does that when it is missing). Without it a test is skipped on a developer's machine and fails when CI=true, so CI never
// passes by skipping.
//
//	srv := s3test.Start(t)
//	bucket := srv.NewBucket(t)
//	srv.SetEnv(t) // AWS_* for the SDK in this process; srv.Env() for a child process
package s3test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a running versitygw.
type Server struct {
	// Endpoint is its URL, http://127.0.0.1:PORT.
	Endpoint string
	// AccessKey and SecretKey are the credentials it accepts.
	AccessKey, SecretKey string
	// Dir holds the buckets: each subfolder is one.
	Dir string
}

// Binary returns the path of versitygw, or "" when it is not installed.
func Binary() string {
	if p := os.Getenv("FRAMECAST_VERSITYGW"); p != "" {
		return p
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	var dirs []string
	if gp := os.Getenv("GOPATH"); gp != "" {
		dirs = append(dirs, filepath.Join(strings.Split(gp, string(os.PathListSeparator))[0], "bin"))
	}
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(string(out), "\n")
		if gobin := strings.TrimSpace(lines[0]); gobin != "" {
			dirs = append(dirs, gobin)
		}
		if len(lines) > 1 && strings.TrimSpace(lines[1]) != "" {
			dirs = append(dirs, filepath.Join(strings.Split(strings.TrimSpace(lines[1]), string(os.PathListSeparator))[0], "bin"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "versitygw")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// Require returns versitygw's path, skipping the test when it is missing (failing it when CI=true).
func Require(t testing.TB) string {
	t.Helper()
	bin := Binary()
	if bin == "" {
		const how = "versitygw not found (install: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0, or set FRAMECAST_VERSITYGW)"
		if os.Getenv("CI") == "true" {
			t.Fatal(how)
		}
		t.Skip(how)
	}
	return bin
}

// Start runs versitygw on a free loopback port over a fresh folder until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Require(t)
	srv := &Server{AccessKey: "framecast" + randomHex(4), SecretKey: randomHex(20), Dir: t.TempDir()}
	for try := 0; ; try++ {
		port := freePort(t)
		srv.Endpoint = "http://127.0.0.1:" + strconv.Itoa(port)
		// Not --nometa: without its extended attributes, the posix backend forgets content types and
		// fails CompleteMultipartUpload (parts' ETags are kept there).
		cmd := exec.Command(bin, "--access", srv.AccessKey, "--secret", srv.SecretKey,
			"--port", "127.0.0.1:"+strconv.Itoa(port), "posix", srv.Dir)
		logFile, err := os.Create(filepath.Join(t.TempDir(), "versitygw.log"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = logFile, logFile
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("start versitygw: %v", err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		if srv.waitReady(exited) {
			t.Cleanup(func() {
				cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-exited:
				case <-time.After(5 * time.Second):
					cmd.Process.Kill()
					<-exited
				}
				logFile.Close()
			})
			return srv
		}
		cmd.Process.Kill()
		<-exited
		logFile.Close()
		if try == 2 {
			log, _ := os.ReadFile(logFile.Name())
			t.Fatalf("versitygw did not start on %s:\n%s", srv.Endpoint, log)
		}
	}
}

// waitReady waits until the server answers HTTP (any status: anonymous requests are refused), false if it
// exits or stays silent for 15 s (its port was taken meanwhile, say).
func (s *Server) waitReady(exited <-chan struct{}) bool {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		resp, err := http.Get(s.Endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// NewBucket makes a fresh, empty bucket and returns its name.
func (s *Server) NewBucket(t testing.TB) string {
	t.Helper()
	name := "fc-" + randomHex(6)
	if err := os.Mkdir(filepath.Join(s.Dir, name), 0o755); err != nil {
		t.Fatal(err)
	}
	return name
}

// Env is the environment that points the AWS SDK at this server, for a child process.
func (s *Server) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + s.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretKey,
		"AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL_S3=" + s.Endpoint,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
	}
}

// SetEnv sets Env in this process for the rest of the test (so the test must not be parallel).
func (s *Server) SetEnv(t testing.TB) {
	t.Helper()
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_PROFILE", "")
	os.Unsetenv("AWS_PROFILE")
}

// URL is the blob store URL (--blob) of a bucket of this server, with an optional prefix.
func (s *Server) URL(bucket, prefix string) string {
	return fmt.Sprintf("s3://%s/%s?path_style=true", bucket, prefix)
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
