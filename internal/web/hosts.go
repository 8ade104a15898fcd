package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
)

// HostGuard refuses requests for hosts that are not allowed, with 400 and
// one log line naming the host. For requests from a trusted proxy it takes
// the host, scheme and client address from X-Forwarded-Host,
// X-Forwarded-Proto and X-Forwarded-For; from anyone else those headers
// are ignored. Wrap the whole server with it.
type HostGuard struct {
	development bool
	anyHost     bool
	exact       map[string]bool
	suffixes    []string
	proxies     []netip.Prefix
	log         *slog.Logger
}

// NewHostGuard returns the guard of c's AllowedHosts, TrustedProxies and
// mode; log gets the refusals (nil discards them).
func NewHostGuard(c Config, log *slog.Logger) *HostGuard {
	c = c.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	g := &HostGuard{development: !c.Production, exact: map[string]bool{},
		proxies: c.TrustedProxies, log: log}
	for _, h := range c.AllowedHosts {
		h = strings.ToLower(strings.Trim(h, "[]"))
		switch {
		case h == "*":
			g.anyHost = !c.Production
		case strings.HasPrefix(h, "."):
			g.suffixes = append(g.suffixes, h)
		default:
			g.exact[h] = true
		}
	}
	return g
}

// requestInfo is what the guard learnt about a request.
type requestInfo struct {
	secure bool
	client string
}

type ctxKey int

const infoKey ctxKey = 0

// Wrap returns next behind the guard. Wrapping twice checks once.
func (g *HostGuard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, done := r.Context().Value(infoKey).(requestInfo); done {
			next.ServeHTTP(w, r)
			return
		}
		info, host := g.resolve(r)
		if !g.Allowed(hostName(host)) {
			g.log.Warn("refused a request for a host that is not allowed "+
				"(if it is this site's, add it to PARLEY_ALLOWED_HOSTS)",
				"host", host, "client", info.client, "path", r.URL.Path)
			w.Header().Set("X-Content-Type-Options", "nosniff")
			http.Error(w, "Bad Request: this server does not answer for that host.",
				http.StatusBadRequest)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), infoKey, info))
		r.Host = host
		next.ServeHTTP(w, r)
	})
}

// resolve returns the request's scheme, client and host, believing the
// forwarded headers only from a trusted proxy.
func (g *HostGuard) resolve(r *http.Request) (requestInfo, string) {
	peer := peerAddr(r.RemoteAddr)
	info := requestInfo{secure: r.TLS != nil, client: peer.String()}
	host := r.Host
	if !g.trusted(peer) {
		return info, host
	}
	if h := lastValue(r.Header.Values("X-Forwarded-Host")); h != "" {
		host = h
	}
	if p := lastValue(r.Header.Values("X-Forwarded-Proto")); p != "" {
		info.secure = strings.EqualFold(p, "https")
	}
	info.client = g.forwardedClient(r.Header.Values("X-Forwarded-For"), peer).String()
	return info, host
}

// forwardedClient walks X-Forwarded-For from the right past the trusted
// proxies and returns the first address that is not one.
func (g *HostGuard) forwardedClient(values []string, peer netip.Addr) netip.Addr {
	hops := strings.Split(strings.Join(values, ","), ",")
	client := peer
	for _, hop := range slices.Backward(hops) {
		addr, err := netip.ParseAddr(strings.TrimSpace(hop))
		if err != nil {
			return client
		}
		client = addr.Unmap()
		if !g.trusted(client) {
			return client
		}
	}
	return client
}

// trusted reports whether addr is one of the trusted proxies.
func (g *HostGuard) trusted(addr netip.Addr) bool {
	if !addr.IsValid() {
		return false
	}
	for _, p := range g.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Allowed reports whether the server answers for the host name (no port).
func (g *HostGuard) Allowed(name string) bool {
	switch {
	case name == "":
		return false
	case g.development && (name == "localhost" || name == "127.0.0.1" || name == "::1"):
		return true
	case g.anyHost || g.exact[name]:
		return true
	}
	for _, s := range g.suffixes {
		if name == s[1:] || strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// hostName returns the lower-case name of a Host header, without port,
// brackets or trailing dot.
func hostName(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.Trim(host, "[]"), ".")
}

// lastValue returns the last entry of a comma separated header, the one
// the nearest proxy wrote.
func lastValue(values []string) string {
	if len(values) == 0 {
		return ""
	}
	parts := strings.Split(values[len(values)-1], ",")
	return strings.TrimSpace(parts[len(parts)-1])
}

// peerAddr returns the address of a RemoteAddr ("ip:port").
func peerAddr(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap()
	}
	addr, _ := netip.ParseAddr(remote)
	return addr.Unmap()
}

// IsSecure reports whether the browser reached the server over HTTPS:
// directly, or through a trusted proxy that says so.
func IsSecure(r *http.Request) bool {
	if info, ok := r.Context().Value(infoKey).(requestInfo); ok {
		return info.secure
	}
	return r.TLS != nil
}

// ClientAddr returns the address of the browser: the peer, or the one a
// trusted proxy forwarded for.
func ClientAddr(r *http.Request) string {
	if info, ok := r.Context().Value(infoKey).(requestInfo); ok {
		return info.client
	}
	return peerAddr(r.RemoteAddr).String()
}
