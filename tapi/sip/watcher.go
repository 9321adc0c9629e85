package sip

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	sipmsg "github.com/emiago/sipgo/sip"

	"github.com/calldocket/calldocket/tapi"
)

// Backoff between subscription attempts after a failure: doubling from
// minBackoff to maxBackoff, each wait drawn from [d/2, d] (jitter), reset
// once a subscription has worked.
const (
	minBackoff     = 500 * time.Millisecond
	maxBackoff     = 2 * time.Minute
	requestTimeout = 10 * time.Second // one SUBSCRIBE transaction, auth included
	unsubscribeFor = 2 * time.Second  // un-SUBSCRIBE on shutdown
)

// Watcher watches the calls of one address of record through an RFC 4235
// dialog event subscription. It implements tapi.Source.
type Watcher struct {
	cfg normalized
	log *slog.Logger
	now func() time.Time

	minBackoff, maxBackoff time.Duration

	mu      sync.Mutex
	current string // Call-ID of the subscription NOTIFYs are accepted for
}

var _ tapi.Source = (*Watcher)(nil)

// New checks cfg and returns a Watcher. Errors wrap ErrConfig. A nil logger
// discards logs.
func New(cfg Config, logger *slog.Logger) (*Watcher, error) {
	n, err := normalize(cfg)
	if err != nil {
		return nil, fmt.Errorf("new sip watcher: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Watcher{
		cfg:        n,
		log:        logger.With("source", SourceName),
		now:        time.Now,
		minBackoff: minBackoff,
		maxBackoff: maxBackoff,
	}, nil
}

// notification is a NOTIFY of the current subscription, already answered.
type notification struct {
	callID   string
	subState string // the Subscription-State header value
	body     []byte
}

// Run subscribes to the dialog events of the address of record and emits a
// tapi.Event for every call that rings, is answered or ends, until ctx is
// cancelled; it then un-subscribes and returns ctx.Err(). It re-subscribes,
// with jittered exponential backoff, whenever the subscription fails, is
// terminated by the PBX, or is forgotten by it (a restart). It returns early
// only when the very first attempt shows the configuration is wrong
// (a *StatusError such as 403, 404 or failed authentication) or the local
// socket cannot be opened. emit is called from Run's goroutine only.
func (w *Watcher) Run(ctx context.Context, emit func(tapi.Event)) error {
	if emit == nil {
		return errors.New("run sip watcher: nil emit")
	}
	sipLog := w.log.With("component", "sipgo")
	ua, err := sipgo.NewUA(
		sipgo.WithUserAgent("CallDocket"),
		sipgo.WithUserAgenTLSConfig(w.cfg.tlsConfig),
		sipgo.WithUserAgentTransportLayerOptions(sipmsg.WithTransportLayerLogger(sipLog)),
		sipgo.WithUserAgentTransactionLayerOptions(sipmsg.WithTransactionLayerLogger(sipLog)),
	)
	if err != nil {
		return fmt.Errorf("run sip watcher: user agent: %w", err)
	}
	defer func() { _ = ua.Close() }()
	srv, err := sipgo.NewServer(ua, sipgo.WithServerLogger(sipLog))
	if err != nil {
		return fmt.Errorf("run sip watcher: server: %w", err)
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	notes := make(chan notification, 64)
	srv.OnNotify(func(req *sipmsg.Request, tx sipmsg.ServerTransaction) {
		w.onNotify(runCtx, req, tx, notes)
	})
	srv.OnOptions(func(req *sipmsg.Request, tx sipmsg.ServerTransaction) {
		_ = tx.Respond(sipmsg.NewResponseFromRequest(req, 200, "OK", nil))
	})

	var udpConn net.PacketConn
	var clientOpts []sipgo.ClientOption
	clientOpts = append(clientOpts, sipgo.WithClientLogger(sipLog))
	if w.cfg.network == "udp" {
		udpConn, err = w.listenUDP(ctx)
		if err != nil {
			return fmt.Errorf("run sip watcher: %w", err)
		}
		defer func() { _ = udpConn.Close() }()
		go func() { _ = srv.ServeUDP(udpConn) }()
		la := udpConn.LocalAddr().String()
		host, _, _ := net.SplitHostPort(la)
		clientOpts = append(clientOpts, sipgo.WithClientHostname(host), sipgo.WithClientConnectionAddr(la))
	}
	client, err := sipgo.NewClient(ua, clientOpts...)
	if err != nil {
		return fmt.Errorf("run sip watcher: client: %w", err)
	}

	state := newDialogState()
	backoff := w.minBackoff
	worked := false
	for attempt := 1; ; attempt++ {
		s := &subscription{w: w, client: client, notes: notes, state: state, emit: emit, udp: udpConn}
		err := s.run(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if s.established {
			worked = true
			backoff = w.minBackoff
		}
		w.cfg.onLink.Report(false, "SIP subscription: "+err.Error())
		var se *StatusError
		if !worked && errors.As(err, &se) && se.permanent() {
			return fmt.Errorf("run sip watcher: %w", err)
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		if ra := retryAfter(err); ra > wait {
			wait = ra
		}
		w.log.Warn("sip subscription lost, subscribing again", "error", err, "attempt", attempt, "wait", wait)
		backoff = min(backoff*2, w.maxBackoff)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// listenUDP binds the UDP socket NOTIFYs arrive on: LocalAddr, or port 0 on
// the local address that routes to the server.
func (w *Watcher) listenUDP(ctx context.Context) (net.PacketConn, error) {
	addr := w.cfg.localAddr
	if addr == "" {
		host := "0.0.0.0"
		var d net.Dialer
		if c, err := d.DialContext(ctx, "udp", w.cfg.server); err == nil {
			host, _, _ = net.SplitHostPort(c.LocalAddr().String())
			_ = c.Close()
		}
		addr = net.JoinHostPort(host, "0")
	}
	var lc net.ListenConfig
	conn, err := lc.ListenPacket(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen udp: %w", err)
	}
	return conn, nil
}

// onNotify answers a NOTIFY and hands it to the subscription. Every NOTIFY
// of the current subscription gets 200, including one that overtakes the
// 200 to its SUBSCRIBE (NOTES §3); a NOTIFY of an unknown or old
// subscription gets 481 so that the PBX drops it (RFC 6665 §4.1.3).
func (w *Watcher) onNotify(ctx context.Context, req *sipmsg.Request, tx sipmsg.ServerTransaction, notes chan<- notification) {
	callID := ""
	if h := req.CallID(); h != nil {
		callID = h.Value()
	}
	w.mu.Lock()
	current := w.current
	w.mu.Unlock()
	if callID == "" || callID != current {
		w.log.Debug("answering NOTIFY of unknown subscription with 481")
		_ = tx.Respond(sipmsg.NewResponseFromRequest(req, 481, "Subscription Does Not Exist", nil))
		return
	}
	if err := tx.Respond(sipmsg.NewResponseFromRequest(req, 200, "OK", nil)); err != nil {
		w.log.Debug("answering NOTIFY", "error", err)
	}
	n := notification{callID: callID, body: req.Body()}
	if h := req.GetHeader("Subscription-State"); h != nil {
		n.subState = h.Value()
	}
	select {
	case notes <- n:
	case <-ctx.Done():
	}
}

func (w *Watcher) setCurrent(callID string) {
	w.mu.Lock()
	w.current = callID
	w.mu.Unlock()
}
