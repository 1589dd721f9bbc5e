package netguard

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestForbidden(t *testing.T) {
	cases := []struct {
		ip        string
		forbidden bool
	}{
		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"2606:4700:4700::1111", false},
		{"127.0.0.1", true},
		{"127.9.9.9", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"172.32.0.1", false},
		{"192.168.1.1", true},
		{"100.64.0.1", true},
		{"100.127.255.255", true},
		{"100.128.0.1", false},
		{"169.254.1.1", true},
		{"169.254.169.254", true},
		{"0.0.0.0", true},
		{"255.255.255.255", true},
		{"224.0.0.1", true},
		{"::", true},
		{"::1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"fd00:ec2::254", true},
		{"fe80::1", true},
		{"ff02::1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"::ffff:8.8.8.8", false},
		{"64:ff9b::a00:1", true},  // NAT64 of 10.0.0.1
		{"2002:7f00:1::", true},   // 6to4 of 127.0.0.1
		{"2002:808:808::", false}, // 6to4 of 8.8.8.8
	}
	for _, c := range cases {
		if got := Forbidden(netip.MustParseAddr(c.ip)); got != c.forbidden {
			t.Errorf("Forbidden(%s) = %v, want %v", c.ip, got, c.forbidden)
		}
	}
}

func TestAllowPrivateKeepsMetadataForbidden(t *testing.T) {
	p := Policy{AllowPrivate: true}
	for _, ip := range []string{"127.0.0.1", "10.0.0.1", "169.254.1.1", "fe80::1", "100.64.0.1"} {
		if err := p.CheckAddr(netip.MustParseAddr(ip)); err != nil {
			t.Errorf("AllowPrivate refused %s: %v", ip, err)
		}
	}
	for _, ip := range []string{"169.254.169.254", "fd00:ec2::254", "0.0.0.0", "224.0.0.1"} {
		if err := p.CheckAddr(netip.MustParseAddr(ip)); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("AllowPrivate allowed %s (err %v)", ip, err)
		}
	}
}

func okServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestClientRefusesLoopbackByDefault(t *testing.T) {
	srv := okServer(t)
	_, err := Policy{}.Client(5 * time.Second).Get(srv.URL)
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("default policy reached %s: err = %v", srv.URL, err)
	}
	// By name too: localhost resolves to loopback and is refused when dialed.
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	_, err = Policy{}.Client(5 * time.Second).Get("http://localhost:" + port)
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("default policy reached localhost: err = %v", err)
	}
}

func TestClientAllowPrivateReachesLoopback(t *testing.T) {
	srv := okServer(t)
	resp, err := Policy{AllowPrivate: true}.Client(5 * time.Second).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "ok" {
		t.Fatalf("body = %q", body)
	}
}

// A redirect from an allowed host to a forbidden one is refused at dial time: the policy allows only
// 127.0.0.1 and the redirect points at a server on 127.0.0.2.
func TestRedirectToForbiddenHostIsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	forbidden := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secret")
	}))
	forbidden.Listener = ln
	forbidden.Start()
	defer forbidden.Close()

	allowed := httptest.NewServer(http.RedirectHandler(forbidden.URL, http.StatusFound))
	defer allowed.Close()

	p := Policy{exempt: []netip.Addr{netip.MustParseAddr("127.0.0.1")}}
	if err := p.CheckURL(context.Background(), allowed.URL); err != nil {
		t.Fatalf("allowed server refused by CheckURL: %v", err)
	}
	_, err = p.Client(5 * time.Second).Get(allowed.URL)
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("redirect to %s not refused: err = %v", forbidden.URL, err)
	}
}

func TestRedirectLimit(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+"/again", http.StatusFound)
	}))
	defer srv.Close()
	_, err := Policy{AllowPrivate: true}.Client(5 * time.Second).Get(srv.URL)
	if err == nil {
		t.Fatal("endless redirects were followed")
	}
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	p := Policy{}
	for _, u := range []string{
		"http://127.0.0.1/x", "http://[::1]:8080/", "http://169.254.169.254/latest/meta-data/",
		"http://metadata.google.internal/computeMetadata/v1/", "http://10.0.0.5/", "http://localhost/",
	} {
		if err := p.CheckURL(ctx, u); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("CheckURL(%s) = %v, want ErrForbiddenAddress", u, err)
		}
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/", "gopher://x/", "http:///nohost"} {
		err := p.CheckURL(ctx, u)
		if err == nil || errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("CheckURL(%s) = %v, want a scheme/host error", u, err)
		}
	}
	if err := (Policy{AllowPrivate: true}).CheckURL(ctx, "http://127.0.0.1:9/"); err != nil {
		t.Errorf("AllowPrivate CheckURL loopback: %v", err)
	}
	if err := p.CheckURL(ctx, "https://93.184.215.14/"); err != nil {
		t.Errorf("public IP refused: %v", err)
	}
}

// Every IPv6 form that carries an IPv4 address is judged by that address: a loopback, private or metadata
// address cannot be reached by writing it in IPv6.
func TestEmbeddedIPv4Forms(t *testing.T) {
	cases := []struct {
		form, ip  string
		forbidden bool
	}{
		{"IPv4-compatible loopback", "::127.0.0.1", true},
		{"IPv4-compatible loopback, hex", "::7f00:1", true},
		{"IPv4-compatible private", "::10.0.0.1", true},
		{"IPv4-compatible metadata", "::169.254.169.254", true},
		{"IPv4-compatible public", "::8.8.8.8", false},
		{"IPv6 loopback itself", "::1", true},
		{"IPv6 unspecified itself", "::", true},
		{"IPv4-mapped loopback", "::ffff:127.0.0.1", true},
		{"IPv4-mapped metadata", "::ffff:169.254.169.254", true},
		{"IPv4-mapped public", "::ffff:1.1.1.1", false},
		{"IPv4-translated loopback", "::ffff:0:127.0.0.1", true},
		{"IPv4-translated public", "::ffff:0:8.8.8.8", false},
		{"NAT64 well-known loopback", "64:ff9b::127.0.0.1", true},
		{"NAT64 well-known metadata", "64:ff9b::a9fe:a9fe", true},
		{"NAT64 well-known public", "64:ff9b::8.8.8.8", false},
		{"NAT64 local-use /96 loopback", "64:ff9b:1::127.0.0.1", true},
		{"NAT64 local-use /48 loopback", "64:ff9b:1:7f00:0:1::", true},
		{"NAT64 local-use /64 private", "64:ff9b:1:0:a:0:1:0", true},
		{"NAT64 local-use /96 public", "64:ff9b:1::8.8.8.8", true}, // the prefix itself is not public
		{"6to4 loopback", "2002:7f00:1::", true},
		{"6to4 metadata", "2002:a9fe:a9fe::1", true},
		{"6to4 public", "2002:808:808::", false},
		{"Teredo server loopback", "2001:0:7f00:1::", true},
		{"Teredo client loopback (inverted)", "2001:0:808:808:0:0:80ff:fffe", true},
		{"Teredo client private (inverted)", "2001:0:808:808::f5ff:fffe", true},
		{"Teredo public", "2001:0:808:808:0:0:f7f7:f7f7", false},
		{"ordinary public IPv6", "2606:4700:4700::1111", false},
	}
	for _, c := range cases {
		ip := netip.MustParseAddr(c.ip)
		if got := Forbidden(ip); got != c.forbidden {
			t.Errorf("%s: Forbidden(%s) = %v, want %v", c.form, c.ip, got, c.forbidden)
		}
		if c.forbidden && c.ip != "::1" && !strings.Contains(c.form, "private") && !strings.Contains(c.form, "loopback") && !strings.Contains(c.form, "local-use") {
			// metadata and other never-public addresses stay refused with AllowPrivate
			if err := (Policy{AllowPrivate: true}).CheckAddr(ip); err == nil {
				t.Errorf("%s: AllowPrivate allowed %s", c.form, c.ip)
			}
		}
	}
	// Dialing the IPv4-compatible form of a loopback server is refused at connect time.
	srv := okServer(t)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	if _, err := (Policy{}).Client(2 * time.Second).Get("http://[::127.0.0.1]:" + port); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("GET http://[::127.0.0.1]: err = %v, want ErrForbiddenAddress", err)
	}
}
