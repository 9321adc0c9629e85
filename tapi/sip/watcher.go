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
// once a subscription has worked. While the PBX does not answer at all, the
// watcher instead probes it with OPTIONS, the probes spaced from
// minBackoff up to maxProbe, and subscribes as soon as one is answered.
const (
	minBackoff     = 500 * time.Millisecond
	maxBackoff     = 2 * time.Minute
	maxProbe       = 3 * time.Second
	requestTimeout = 5 * time.Second // one SUBSCRIBE transaction, auth included
	unsubscribeFor = 2 * time.Second // un-SUBSCRIBE on shutdown
)

// Keep-alive of an active subscription: an OPTIONS to the PBX every
// keepAliveEvery (no answer within pingTimeout means the PBX is down), and
// a refresh of the subscription at least every verifyEvery, whatever the
// Expires, so that a PBX that restarted faster than a keep-alive could
// notice (and forgot the subscription) answers 481 within seconds.
const (
	keepAliveEvery = 3 * time.Second
	pingTimeout    = 2 * time.Second
	verifyEvery    = 8 * time.Second
)

// Watcher watches the calls of one address of record through an RFC 4235
// dialog event subscription. It implements tapi.Source.
type Watcher struct {
	cfg normalized
	log *slog.Logger
	now func() time.Time

	minBackoff, maxBackoff, maxProbe time.Duration
	keepAlive, pingTimeout, verify   time.Duration
	requestTimeout                   time.Duration

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
		cfg:            n,
		log:            logger.With("source", SourceName),
		now:            time.Now,
		minBackoff:     minBackoff,
		maxBackoff:     maxBackoff,
		maxProbe:       maxProbe,
		keepAlive:      keepAliveEvery,
		pingTimeout:    pingTimeout,
		verify:         verifyEvery,
		requestTimeout: requestTimeout,
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
// cancelled; it then un-subscribes and returns ctx.Err(). It re-subscribes
// whenever the subscription fails, is terminated by the PBX, or is
// forgotten by it (a restart): at once after a 481, as soon as the PBX
// answers again after an outage, with jittered exponential backoff
// otherwise. OnLink hears the link go down at each loss and come up again
// with each accepted subscription. Run returns early only when the very
// first attempt shows the configuration is wrong (a *StatusError such as
// 403, 404 or failed authentication) or the local socket cannot be opened.
// emit is called from Run's goroutine only.
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
		// The client sends from this socket only once the transport layer
		// has it; before that it would try to bind the same port again
		// ("address already in use").
		if err := waitListening(ctx, ua.TransportLayer(), la); err != nil {
			return fmt.Errorf("run sip watcher: %w", err)
		}
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
		w.cfg.onLink.Report(false, linkWhy(err))
		var se *StatusError
		if !worked && errors.As(err, &se) && se.permanent() {
			return fmt.Errorf("run sip watcher: %w", err)
		}
		switch {
		case s.established && errors.Is(err, ErrSubscriptionGone):
			// The PBX forgot the subscription (a restart): subscribe again now.
			w.log.Warn("sip subscription lost, subscribing again", "error", err, "attempt", attempt)
			continue
		case errors.Is(err, ErrUnreachable):
			w.log.Warn("sip server unreachable, waiting for it to answer", "error", err, "attempt", attempt)
			if err := w.awaitServer(ctx, client); err != nil {
				return err
			}
			continue
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		if ra := retryAfter(err); ra > wait {
			wait = ra
		}
		w.log.Warn("sip subscription lost, subscribing again", "error", err, "attempt", attempt, "wait", wait)
		backoff = min(backoff*2, w.maxBackoff)
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// sleep waits for d or until ctx is done (and returns ctx.Err()).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// awaitServer probes the PBX with OPTIONS, the probes spaced from
// minBackoff up to maxProbe (jittered), until it answers, whatever it
// answers. It returns ctx.Err() when ctx is done first.
func (w *Watcher) awaitServer(ctx context.Context, client *sipgo.Client) error {
	gap := w.minBackoff
	for probe := 1; ; probe++ {
		if err := sleep(ctx, gap/2+rand.N(gap/2+1)); err != nil {
			return err
		}
		_, err := w.ping(ctx, client)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se *StatusError
		if err == nil || errors.As(err, &se) {
			w.log.Info("sip server answers again", "probes", probe)
			return nil
		}
		w.log.Debug("sip server still unreachable", "error", err, "probe", probe)
		gap = min(gap*2, w.maxProbe)
	}
}

// waitListening waits until the transport layer serves the UDP socket at
// addr, which ServeUDP registers from its own goroutine.
func waitListening(ctx context.Context, tl *sipmsg.TransportLayer, addr string) error {
	deadline := time.Now().Add(2 * time.Second)
	for {
		if c, err := tl.GetConnection("udp", addr); err == nil && c != nil {
			_, _ = c.TryClose() // drop GetConnection's reference; a listener stays open
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("listen udp %s: socket not served", addr)
		}
		if err := sleep(ctx, time.Millisecond); err != nil {
			return err
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

// Expires is the subscription lifetime the watcher asks for.
func (w *Watcher) Expires() time.Duration { return w.cfg.expires }
