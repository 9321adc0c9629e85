package ami

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/tapi"
)

// Defaults of Config.
const (
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute
	DefaultPingEvery  = 30 * time.Second
	dialTimeout       = 10 * time.Second
	loginTimeout      = 10 * time.Second
)

// Errors of the AMI source.
var (
	// ErrConfig is wrapped by New for an incomplete or invalid configuration.
	ErrConfig = errors.New("invalid AMI configuration")
	// ErrNotAMI: the server's greeting is not an Asterisk Call Manager banner.
	ErrNotAMI = errors.New("not an Asterisk manager interface")
)

// AuthError is a refused login. Run returns it: retrying would not help.
type AuthError struct {
	User    string // the manager user name (never the secret)
	Message string // the server's Message, e.g. "Authentication failed"
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("AMI login refused for user %q: %s (check the user name and secret in manager.conf)", e.User, e.Message)
}

// Config says where to log in and whose calls to watch.
type Config struct {
	Addr      string // HOST:PORT of the manager interface, usually port 5038
	Username  string // manager user; needs read=call in manager.conf
	Secret    string // its secret
	Extension string // the user's extension, "201", or "PJSIP/201" to pin the channel technology

	// Auth is how the secret is proven: AuthAuto (""), AuthMD5 or
	// AuthPlain. See the Auth* constants.
	Auth string
	// TLS connects with TLS (Asterisk's manager.conf tlsenable, usually
	// port 5039), verifying the server's certificate and host name.
	TLS bool
	// CAFile, with TLS, is a PEM file of the certificates to trust instead
	// of the system's roots: the PBX's private CA, or its self-signed
	// certificate itself.
	CAFile string

	// MinBackoff and MaxBackoff bound the wait between reconnects; zero
	// means 1 s and 1 min. PingEvery is the keep-alive interval; zero
	// means 30 s. A connection silent for three intervals is dropped.
	MinBackoff, MaxBackoff, PingEvery time.Duration
	// OnLink, if set, is told when the manager login succeeds and when the
	// connection is lost.
	OnLink tapi.LinkFunc
}

// Source watches one extension through AMI. It implements tapi.Source.
type Source struct {
	cfg Config
	tls *tls.Config // nil without TLS
	log *slog.Logger
	now func() time.Time
	m   *mapper // kept across reconnects, so a Hangup after one still ends the call
}

// New checks cfg and returns a Source; it does not connect. A nil logger
// discards.
func New(cfg Config, logger *slog.Logger) (*Source, error) {
	var missing []string
	if host, _, err := net.SplitHostPort(cfg.Addr); err != nil || host == "" {
		missing = append(missing, "address (HOST:PORT)")
	}
	if cfg.Username == "" {
		missing = append(missing, "user name")
	}
	if strings.TrimSpace(cfg.Extension) == "" {
		missing = append(missing, "extension")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing %s", ErrConfig, strings.Join(missing, ", "))
	}
	if _, port, _ := net.SplitHostPort(cfg.Addr); !validPort(port) {
		return nil, fmt.Errorf("%w: address %q: the port must be a number from 1 to 65535 (AMI is usually 5038, or 5039 with TLS)", ErrConfig, cfg.Addr)
	}
	switch strings.ToLower(strings.TrimSpace(cfg.Auth)) {
	case "", AuthAuto:
		cfg.Auth = AuthAuto
	case AuthMD5:
		cfg.Auth = AuthMD5
	case AuthPlain:
		cfg.Auth = AuthPlain
	default:
		return nil, fmt.Errorf("%w: login method %q (enter auto, md5 or plain)", ErrConfig, cfg.Auth)
	}
	var tc *tls.Config
	if cfg.TLS {
		var err error
		if tc, err = tlsConfig(cfg.Addr, cfg.CAFile); err != nil {
			return nil, err
		}
	} else if cfg.CAFile != "" {
		return nil, fmt.Errorf("%w: CA file %s given but TLS is off (turn TLS on, or clear the CA file)", ErrConfig, cfg.CAFile)
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.PingEvery <= 0 {
		cfg.PingEvery = DefaultPingEvery
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Source{cfg: cfg, tls: tc, log: logger, now: time.Now, m: newMapper(cfg.Extension)}, nil
}

// Run implements tapi.Source: it connects, logs in, and emits the
// extension's call events until ctx is cancelled, reconnecting with
// exponential backoff whenever the connection fails or drops. It returns
// ctx.Err() when cancelled, an *AuthError when the login is refused, or a
// *CertError when the server's TLS certificate is not trusted.
func (s *Source) Run(ctx context.Context, emit func(tapi.Event)) error {
	attempt := 0
	for {
		start := time.Now()
		err := s.session(ctx, emit)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.cfg.OnLink.Report(false, "AMI: "+err.Error())
		var ae *AuthError
		var ce *CertError
		if errors.As(err, &ae) || errors.As(err, &ce) {
			return err
		}
		if time.Since(start) > s.cfg.MaxBackoff {
			attempt = 0
		}
		wait := backoff(attempt, s.cfg.MinBackoff, s.cfg.MaxBackoff)
		attempt++
		s.log.Warn("AMI connection lost, reconnecting", "err", err, "wait", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// validPort reports whether port is a decimal TCP port number.
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535 && port[0] != '+'
}

func backoff(attempt int, lo, hi time.Duration) time.Duration {
	d := lo
	for range attempt {
		d *= 2
		if d >= hi {
			return hi
		}
	}
	return min(d, hi)
}

// conn is one logged-in connection.
type conn struct {
	c   net.Conn
	r   *Reader
	wmu sync.Mutex
	seq int
}

func (c *conn) send(a Action) error {
	b, err := a.Marshal()
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.c.SetWriteDeadline(time.Now().Add(loginTimeout))
	_, err = c.c.Write(b)
	return err
}

func (c *conn) nextID(kind string) string {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.seq++
	return "calldocket-" + kind + "-" + strconv.Itoa(c.seq)
}

func (s *Source) session(ctx context.Context, emit func(tapi.Event)) error {
	d := net.Dialer{Timeout: dialTimeout}
	nc, err := d.DialContext(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("connect to AMI: %w", err)
	}
	if s.tls != nil {
		if nc, err = s.handshake(ctx, nc); err != nil {
			return err
		}
	}
	c := &conn{c: nc, r: NewReader(nc)}
	sessCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(sessCtx, func() { nc.Close() })
	defer stop()
	defer nc.Close()

	if err := s.login(c); err != nil {
		return err
	}
	s.log.Info("AMI connected", "addr", s.cfg.Addr)
	s.cfg.OnLink.Report(true, "")

	go s.ping(sessCtx, c)
	for {
		_ = nc.SetReadDeadline(time.Now().Add(3 * s.cfg.PingEvery))
		f, err := c.r.Next()
		if errors.Is(err, ErrFrameTooLarge) {
			s.log.Warn("skipping oversized AMI frame")
			continue
		}
		if err != nil {
			return fmt.Errorf("read AMI stream: %w", err)
		}
		if f.Get("Event") == "" {
			continue // responses to pings
		}
		for _, ev := range s.m.handle(f, s.now()) {
			s.log.Debug("AMI call event", "state", string(ev.State), "direction", string(ev.Direction),
				"call_id", ev.CallID, "number", phone.Mask(ev.Remote))
			emit(ev)
		}
	}
}

// ping keeps the connection alive and proves it is: the server answers each
// Ping, so a silent connection hits the read deadline.
func (s *Source) ping(ctx context.Context, c *conn) {
	t := time.NewTicker(s.cfg.PingEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.send(Action{{"Action", "Ping"}, {"ActionID", c.nextID("ping")}}); err != nil {
				s.log.Debug("AMI ping failed", "err", err)
				c.c.Close()
				return
			}
		}
	}
}
