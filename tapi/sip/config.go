package sip

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	sipmsg "github.com/emiago/sipgo/sip"

	"github.com/calldocket/calldocket/tapi"
)

// SourceName is the tapi.Event Source of every event a Watcher emits.
const SourceName = "sip"

// Defaults applied by New.
const (
	DefaultExpires = 10 * time.Minute // subscription lifetime asked for
	defaultUDPPort = 5060
	defaultTLSPort = 5061
)

// Config configures a Watcher.
type Config struct {
	// Server is the PBX (registrar / presence server) as host:port; the port
	// defaults to 5060 (5061 for TLS). Every request is sent there.
	Server string
	// Transport is "udp" (default), "tcp" or "tls".
	Transport string
	// AOR is the address of record to watch, e.g. "sip:1001@pbx.example".
	AOR string
	// Username and Password answer digest challenges (401/407). Username
	// defaults to the user part of AOR. Without a Password a challenge is a
	// configuration error.
	Username, Password string
	// Expires is the subscription lifetime asked for; DefaultExpires when 0.
	// The watcher refreshes before the granted lifetime runs out, and more
	// often (see the package doc) to notice a PBX restart within seconds;
	// Expires bounds how long the PBX keeps notifying a watcher that went
	// away without un-subscribing.
	Expires time.Duration
	// TLSConfig is used for Transport "tls"; nil verifies the server against
	// the system roots with the host of Server as server name.
	TLSConfig *tls.Config
	// LocalAddr is the local host:port to bind for UDP (port 0 or empty
	// for any). It defaults to the local address that routes to Server.
	LocalAddr string
	// OnLink, if set, is told when the subscription is established and
	// when it is lost.
	OnLink tapi.LinkFunc
}

// ErrConfig is wrapped by every configuration error of New.
var ErrConfig = errors.New("invalid sip watcher configuration")

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
}

// normalized is the checked configuration.
type normalized struct {
	network    string // "udp", "tcp" or "tls"
	server     string // host:port
	serverHost string
	aor        sipmsg.Uri
	username   string
	password   string
	expires    time.Duration
	tlsConfig  *tls.Config
	localAddr  string
	onLink     tapi.LinkFunc
}

func normalize(cfg Config) (normalized, error) {
	var n normalized
	n.onLink = cfg.OnLink
	switch t := strings.ToLower(strings.TrimSpace(cfg.Transport)); t {
	case "", "udp":
		n.network = "udp"
	case "tcp", "tls":
		n.network = t
	default:
		return n, configError("transport %q (want udp, tcp or tls)", shorten(cfg.Transport))
	}

	server := strings.TrimSpace(cfg.Server)
	if server == "" {
		return n, configError("missing server")
	}
	host, port, err := net.SplitHostPort(server)
	if err != nil {
		host, port = strings.Trim(server, "[]"), ""
	}
	if host == "" || strings.ContainsAny(host, " /@;") {
		return n, configError("server %q", shorten(server))
	}
	if port == "" {
		port = strconv.Itoa(defaultUDPPort)
		if n.network == "tls" {
			port = strconv.Itoa(defaultTLSPort)
		}
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return n, configError("server port %q", shorten(port))
	}
	n.serverHost = host
	n.server = net.JoinHostPort(host, port)

	aor := strings.TrimSpace(cfg.AOR)
	if !strings.Contains(aor, ":") {
		aor = "sip:" + aor
	}
	if err := sipmsg.ParseUri(aor, &n.aor); err != nil {
		return n, configError("address of record: %v", err)
	}
	if s := strings.ToLower(n.aor.Scheme); (s != "sip" && s != "sips") || n.aor.User == "" || n.aor.Host == "" {
		return n, configError("address of record must be sip:user@host")
	}
	n.aor.Port = 0
	n.aor.UriParams = nil
	n.aor.Headers = nil

	n.username = strings.TrimSpace(cfg.Username)
	if n.username == "" {
		n.username = n.aor.User
	}
	n.password = cfg.Password

	switch {
	case cfg.Expires < 0:
		return n, configError("negative expires %v", cfg.Expires)
	case cfg.Expires == 0:
		n.expires = DefaultExpires
	case cfg.Expires < time.Second:
		return n, configError("expires %v is under a second", cfg.Expires)
	default:
		n.expires = cfg.Expires.Truncate(time.Second)
	}

	if n.network == "tls" {
		if cfg.TLSConfig != nil {
			n.tlsConfig = cfg.TLSConfig.Clone()
		} else {
			n.tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		if n.tlsConfig.ServerName == "" {
			n.tlsConfig.ServerName = host
		}
	}

	if la := strings.TrimSpace(cfg.LocalAddr); la != "" {
		h, p, err := net.SplitHostPort(la)
		if err != nil {
			h, p = la, "0"
		}
		if ip := net.ParseIP(h); ip == nil {
			return n, configError("local address %q must be an IP", shorten(la))
		}
		n.localAddr = net.JoinHostPort(h, p)
	}
	return n, nil
}
