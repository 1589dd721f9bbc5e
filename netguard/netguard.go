// Package netguard keeps the server from being used to reach places it should not: loopback, private
// networks, link-local addresses, cloud metadata endpoints and other non-public destinations (SSRF).
//
// The check happens when a connection is dialed, on the IP address actually being connected to, so a host
// name that resolves to a private address, a DNS answer that changes between a check and the fetch (DNS
// rebinding) and an HTTP redirect to a forbidden host are all refused alike. CheckURL exists only to give an
// early, clear error before any work starts; the dial-time check is the one that protects.
//
//	client := netguard.Policy{}.Client(30 * time.Second)
//	resp, err := client.Get(url) // errors.Is(err, netguard.ErrForbiddenAddress) for a private target
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is returned (wrapped) when a connection to a non-public address is refused.
var ErrForbiddenAddress = errors.New("forbidden address: outbound connections to private, loopback, link-local, metadata and other non-public addresses are not allowed")

// MaxRedirects is how many HTTP redirects a guarded client follows before giving up.
const MaxRedirects = 5

// Policy says which destinations outbound connections may reach. The zero Policy allows public unicast
// addresses only.
type Policy struct {
	// AllowPrivate also allows loopback, private (RFC 1918, fc00::/7), CGNAT (100.64.0.0/10) and link-local
	// addresses: for tests and local development. Cloud metadata endpoints, unspecified, multicast and
	// reserved addresses stay forbidden even then.
	AllowPrivate bool

	// exempt lists extra addresses that are allowed; tests use it to allow one loopback server but not
	// another.
	exempt []netip.Addr
}

// class is the kind of a non-public address.
type class int

const (
	public      class = iota
	private           // loopback, RFC 1918, ULA, CGNAT, link-local: allowed by AllowPrivate
	neverPublic       // metadata, unspecified, multicast, reserved: never allowed
)

// metadataAddrs are cloud instance metadata endpoints (AWS, GCP, Azure, OpenStack; AWS IPv6).
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"),
	netip.MustParseAddr("169.254.170.2"), // AWS ECS task metadata
	netip.MustParseAddr("fd00:ec2::254"),
}

// metadataHosts are metadata endpoints refused by name, before any resolution.
var metadataHosts = []string{"metadata.google.internal", "metadata", "metadata.goog"}

var privatePrefixes = mustPrefixes(
	"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
	"::1/128", "fc00::/7", "fe80::/10",
)

var reservedPrefixes = mustPrefixes(
	"0.0.0.0/8",       // "this network"
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation
	"203.0.113.0/24",  // documentation
	"240.0.0.0/4",     // reserved, and the broadcast address
	"::/128",          // unspecified
	"100::/64",        // discard
	"2001:db8::/32",   // documentation
	"fec0::/10",       // deprecated site-local
)

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// classify tells whether ip is public, private or never allowed. An IPv6 address that carries an IPv4
// address (see embeddedIPv4) is judged by the IPv4 addresses it carries, and is at least as forbidden as
// the worst of them.
func classify(ip netip.Addr) class {
	ip = ip.Unmap().WithZone("")
	if embedded, floor, ok := embeddedIPv4(ip); ok {
		worst := floor
		for _, v4 := range embedded {
			worst = max(worst, classify(v4))
		}
		return worst
	}
	for _, m := range metadataAddrs {
		if ip == m {
			return neverPublic
		}
	}
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsMulticast() {
		return neverPublic
	}
	for _, p := range reservedPrefixes {
		if p.Contains(ip) {
			return neverPublic
		}
	}
	for _, p := range privatePrefixes {
		if p.Contains(ip) {
			return private
		}
	}
	return public
}

var (
	ipv4Compatible  = netip.MustParsePrefix("::/96")           // deprecated IPv4-compatible ::a.b.c.d (RFC 4291)
	ipv4Translated  = netip.MustParsePrefix("::ffff:0:0:0/96") // SIIT IPv4-translated ::ffff:0:a.b.c.d (RFC 2765)
	nat64           = netip.MustParsePrefix("64:ff9b::/96")    // NAT64 well-known prefix (RFC 6052)
	nat64LocalUse   = netip.MustParsePrefix("64:ff9b:1::/48")  // NAT64 local-use prefixes (RFC 8215)
	sixTo4          = netip.MustParsePrefix("2002::/16")       // 6to4 (RFC 3056)
	teredo          = netip.MustParsePrefix("2001::/32")       // Teredo (RFC 4380)
	loopback6       = netip.MustParseAddr("::1")
	unspecified6    = netip.IPv6Unspecified()
	rfc6052Position = []int{6, 7, 8, 12} // where the IPv4 address sits under a /48, /56, /64 and /96 prefix
)

// embeddedIPv4 returns the IPv4 addresses an IPv6 address carries, and the least class the IPv6 address
// itself has, for every form that embeds one: IPv4-compatible (::a.b.c.d, so [::127.0.0.1] is ::7f00:1),
// IPv4-translated, NAT64 well-known (64:ff9b::/96), NAT64 local-use (64:ff9b:1::/48: the IPv4 address may
// sit at any RFC 6052 position, so every candidate is judged, and the prefix itself is not public), 6to4
// (2002::/16) and Teredo (2001::/32: the server's address, and the client's stored inverted).
// IPv4-mapped addresses (::ffff:a.b.c.d) are unmapped before this. ::1 and :: are themselves, not IPv4.
func embeddedIPv4(ip netip.Addr) (v4 []netip.Addr, floor class, ok bool) {
	if !ip.Is6() || ip == loopback6 || ip == unspecified6 {
		return nil, public, false
	}
	b := ip.As16()
	at := func(i int) netip.Addr {
		if i == 8 { // RFC 6052: bits 64..71 are zero ("u"), the address skips them
			return netip.AddrFrom4([4]byte{b[9], b[10], b[11], b[12]})
		}
		if i == 6 || i == 7 {
			var a [4]byte
			copy(a[:], b[i:8])
			copy(a[8-i:], b[9:9+(4-(8-i))])
			return netip.AddrFrom4(a)
		}
		return netip.AddrFrom4([4]byte(b[i : i+4]))
	}
	switch {
	case ipv4Compatible.Contains(ip), ipv4Translated.Contains(ip), nat64.Contains(ip):
		return []netip.Addr{at(12)}, public, true
	case nat64LocalUse.Contains(ip):
		for _, pos := range rfc6052Position {
			v4 = append(v4, at(pos))
		}
		return v4, private, true
	case sixTo4.Contains(ip):
		return []netip.Addr{netip.AddrFrom4([4]byte(b[2:6]))}, public, true
	case teredo.Contains(ip):
		client := [4]byte{^b[12], ^b[13], ^b[14], ^b[15]}
		return []netip.Addr{netip.AddrFrom4([4]byte(b[4:8])), netip.AddrFrom4(client)}, public, true
	}
	return nil, public, false
}

// Forbidden reports whether the default Policy refuses connections to ip: it is loopback, private, CGNAT,
// link-local, a cloud metadata address, unspecified, multicast or reserved.
func Forbidden(ip netip.Addr) bool { return classify(ip) != public }

// CheckAddr returns an error wrapping ErrForbiddenAddress when p refuses connections to ip.
func (p Policy) CheckAddr(ip netip.Addr) error {
	for _, e := range p.exempt {
		if e == ip.Unmap() {
			return nil
		}
	}
	switch classify(ip) {
	case public:
		return nil
	case private:
		if p.AllowPrivate {
			return nil
		}
	}
	return fmt.Errorf("%w (%s)", ErrForbiddenAddress, ip)
}

// checkHostName refuses metadata endpoints by name.
func checkHostName(host string) error {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	for _, m := range metadataHosts {
		if h == m {
			return fmt.Errorf("%w (%s)", ErrForbiddenAddress, host)
		}
	}
	return nil
}

// Control is a net.Dialer Control function enforcing p on the resolved address of every connection.
func (p Policy) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w (unparsable address %q)", ErrForbiddenAddress, address)
	}
	return p.CheckAddr(ap.Addr())
}

// Dialer returns a net.Dialer that refuses the addresses p forbids.
func (p Policy) Dialer() *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: p.Control}
}

// DialContext dials like net.Dialer.DialContext, refusing metadata host names and every resolved address
// that p forbids.
func (p Policy) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	if err := checkHostName(host); err != nil {
		return nil, err
	}
	return p.Dialer().DialContext(ctx, network, address)
}

// Client returns an HTTP client whose every connection, including those made for redirects, is checked
// against p. It ignores proxy settings from the environment (a proxy would hide the real destination),
// follows at most MaxRedirects redirects and only to http and https URLs, and gives up after timeout
// (no limit when timeout is 0).
func (p Policy) Client(timeout time.Duration) *http.Client {
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           p.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   15 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Timeout:   timeout,
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= MaxRedirects {
				return fmt.Errorf("stopped after %d redirects", MaxRedirects)
			}
			return checkScheme(req.URL)
		},
	}
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("unsupported URL scheme %q: want http or https", u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("URL %q has no host", u.Redacted())
	}
	return nil
}

// CheckURL reports early whether rawURL may be fetched: its scheme must be http or https and every address
// its host resolves to must be allowed by p. It is a courtesy for clear errors before work starts; the
// guarded Client checks again at connection time.
func (p Policy) CheckURL(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("invalid URL: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return err
	}
	host := u.Hostname()
	if err := checkHostName(host); err != nil {
		return err
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return p.CheckAddr(ip)
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("resolve %s: %w", host, err)
	}
	for _, ip := range addrs {
		if err := p.CheckAddr(ip); err != nil {
			return fmt.Errorf("%s: %w", host, err)
		}
	}
	return nil
}
