package hook

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultActionAddr is where the ActionServer listens when no address is
// configured: this computer only.
const DefaultActionAddr = "127.0.0.1:8089"

// ActionListenAddr is the address an ActionServer configured with addr
// listens on, and whether that reaches beyond this computer (lan). An
// empty addr is DefaultActionAddr and an empty host ("":8089") is
// 127.0.0.1: listening on every interface needs an explicit 0.0.0.0 or
// [::]. The host must be an IP address or "localhost" and the port a number
// 0-65535; otherwise the error wraps ErrBadAddr.
func ActionListenAddr(addr string) (listen string, lan bool, err error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return DefaultActionAddr, false, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", false, fmt.Errorf("%w %q: want HOST:PORT, such as %s", ErrBadAddr, addr, DefaultActionAddr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", false, fmt.Errorf("%w %q: the port must be a number from 1 to 65535", ErrBadAddr, addr)
	}
	switch {
	case host == "":
		host = "127.0.0.1"
	case host == "localhost":
	default:
		ip := net.ParseIP(host)
		if ip == nil {
			return "", false, fmt.Errorf("%w %q: the host must be an IP address, such as 127.0.0.1 or this computer's LAN address", ErrBadAddr, addr)
		}
		lan = !ip.IsLoopback()
	}
	return net.JoinHostPort(host, port), lan, nil
}

// refusalLogEvery bounds how often requests without the right token are
// logged: anyone on the network can send them, and the log must not grow
// with them.
const refusalLogEvery = time.Minute

// refusalLog rate-limits the warning about refused requests: the first is
// logged at once, the ones after it are counted, and at most one line per
// refusalLogEvery says how many were refused since the last line.
type refusalLog struct {
	what    string // what is refused, "action URL" when empty
	mu      sync.Mutex
	last    time.Time // when the last line was written; zero: never
	pending int       // refused since then, not logged yet
}

// refused counts one refusal at now and logs a line when one is due.
func (r *refusalLog) refused(log *slog.Logger, now time.Time, remote string) {
	r.mu.Lock()
	r.pending++
	due := r.last.IsZero() || now.Sub(r.last) >= refusalLogEvery
	n := r.pending
	if due {
		r.last, r.pending = now, 0
	}
	r.mu.Unlock()
	if !due {
		return
	}
	log.Warn(r.name()+" refused: bad or missing token (further refusals are counted, one line a minute)",
		"count", n, "remote_ip", remoteIP(remote))
}

// flush logs the refusals still pending, if any, when force is set or a
// line is due at now.
func (r *refusalLog) flush(log *slog.Logger, now time.Time, force bool) {
	r.mu.Lock()
	n := r.pending
	due := n > 0 && (force || now.Sub(r.last) >= refusalLogEvery)
	if due {
		r.last, r.pending = now, 0
	}
	r.mu.Unlock()
	if due {
		log.Warn(r.name()+"s refused since the last line: bad or missing token", "count", n)
	}
}

// flushEvery logs pending refusals once a minute until ctx ends, then once
// more.
func (r *refusalLog) flushEvery(ctx context.Context, log *slog.Logger, now func() time.Time) {
	t := time.NewTicker(refusalLogEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			r.flush(log, now(), true)
			return
		case <-t.C:
			r.flush(log, now(), false)
		}
	}
}

func (r *refusalLog) name() string {
	if r.what == "" {
		return "action URL"
	}
	return r.what
}

// remoteIP is the host part of a request's RemoteAddr.
func remoteIP(remote string) string {
	if h, _, err := net.SplitHostPort(remote); err == nil {
		return h
	}
	return remote
}
