package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/ami"
	"github.com/calldocket/calldocket/tapi/sip"
)

// monitorExpireEvery is how often `monitor` ends calls that rang too long
// without news.
const monitorExpireEvery = 30 * time.Second

// monitorSource is one call source `monitor` watches.
type monitorSource struct {
	name string
	src  tapi.Source
}

// monitorOptions shape the output of runMonitor.
type monitorOptions struct {
	JSON      bool
	Region    string // for E.164 and display formatting
	MinDigits int    // calls to numbers with fewer digits are internal; 0: none are
	All       bool   // print internal calls too, marked internal
	// Stderr is told once that internal calls are hidden (without All);
	// nil says nothing.
	Stderr io.Writer
}

// monitorLine is the stable `monitor --json` shape: one line per change of
// a tracked call.
type monitorLine struct {
	CallID    string `json:"call_id"`
	State     string `json:"state"` // ringing, answered, ended or missed
	Direction string `json:"direction"`
	Number    string `json:"number"`
	E164      string `json:"e164"`
	Name      string `json:"name"`
	Source    string `json:"source"`
	At        string `json:"at"` // RFC 3339, UTC
	DurationS int64  `json:"duration_s"`
	Internal  bool   `json:"internal"` // between two extensions (printed with --all)
}

// Monitor is `calldocket monitor`: it watches the call sources given by
// flags through a tracker and prints every call change until interrupted.
func Monitor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("monitor")
	jsonOut := fs.Bool("json", false, "print JSON lines")
	all := fs.Bool("all", false, "also print internal calls (numbers under min_digits), marked internal")
	amiAddr := fs.String("ami", "", "Asterisk manager interface HOST:PORT")
	amiUser := fs.String("ami-user", "", "AMI user name")
	amiPass := fs.String("ami-pass", "", "AMI secret")
	ext := fs.String("extension", "", "the extension whose calls to watch (AMI)")
	amiAuth := fs.String("ami-auth", "", "AMI login method: auto (MD5 challenge if offered), md5 or plain")
	amiTLS := fs.Bool("ami-tls", false, "connect to AMI with TLS (Asterisk's TLS port, usually 5039)")
	amiCA := fs.String("ami-ca-file", "", "PEM file of the CA to trust for the AMI server's certificate (with --ami-tls)")
	sipServer := fs.String("sip-server", "", "SIP server HOST:PORT to SUBSCRIBE to")
	sipAOR := fs.String("sip-aor", "", "address of record to watch, e.g. sip:201@pbx.example.com")
	sipUser := fs.String("sip-user", "", "SIP digest user name")
	sipPass := fs.String("sip-pass", "", "SIP digest password")
	sipTransport := fs.String("sip-transport", "udp", "udp, tcp or tls")
	sipExpires := fs.String("expires", "", "SIP subscription lifetime in seconds, 60 to 86400 (default: the setting, 600)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	expires, err := parseExpires(*sipExpires)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return Usagef("monitor: unexpected argument %s", show(pos[0]))
	}
	if *amiAddr != "" {
		if err := checkHostPort("monitor", "--ami", *amiAddr); err != nil {
			return err
		}
	}
	if *sipServer != "" {
		if err := checkHostPort("monitor", "--sip-server", *sipServer); err != nil {
			return err
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	opts := monitorOptions{JSON: *jsonOut, Region: "US", All: *all, Stderr: stderr}
	var cfg settings.Settings
	var haveCfg bool
	p, perr := home.Resolve()
	if perr == nil {
		c, _, err := settings.Load(p.ConfigFile())
		var fe *settings.FileError
		if errors.As(err, &fe) {
			return err // a bad value in config.json: exit 2 naming it
		}
		if err == nil {
			cfg, haveCfg = c, true
			opts.Region, opts.MinDigits = cfg.DefaultRegion, cfg.MinDigits
		}
	}
	log := home.NewLogger(os.Stderr, slog.LevelWarn)

	var srcs []monitorSource
	if *amiAddr != "" {
		if *amiUser == "" || *ext == "" {
			return Usagef("monitor: --ami needs --ami-user and --extension")
		}
		src, err := ami.New(ami.Config{Addr: *amiAddr, Username: *amiUser, Secret: *amiPass, Extension: *ext,
			Auth: *amiAuth, TLS: *amiTLS, CAFile: *amiCA}, log.With("component", "ami"))
		if err != nil {
			return Usagef("monitor: %v", err)
		}
		srcs = append(srcs, monitorSource{"ami", src})
	} else if set["ami-user"] || set["ami-pass"] || set["extension"] || set["ami-auth"] || set["ami-tls"] || set["ami-ca-file"] {
		return Usagef("monitor: --ami-user, --ami-pass, --ami-auth, --ami-tls, --ami-ca-file and --extension need --ami HOST:PORT")
	}
	if *sipServer != "" {
		if *sipAOR == "" {
			return Usagef("monitor: --sip-server needs --sip-aor")
		}
		switch t := strings.ToLower(*sipTransport); t {
		case "udp", "tcp", "tls":
			*sipTransport = t
		default:
			return Usagef("monitor: --sip-transport must be udp, tcp or tls, not %q", *sipTransport)
		}
		if expires == 0 && haveCfg {
			expires = cfg.SIP.Expires()
		}
		src, err := sip.New(sip.Config{Server: *sipServer, Transport: *sipTransport, AOR: *sipAOR,
			Username: *sipUser, Password: *sipPass, Expires: expires}, log.With("component", "sip"))
		if err != nil {
			return Usagef("monitor: %v", err)
		}
		srcs = append(srcs, monitorSource{"sip", src})
	} else if set["sip-aor"] || set["sip-user"] || set["sip-pass"] || set["sip-transport"] {
		return Usagef("monitor: --sip-aor, --sip-user, --sip-pass and --sip-transport need --sip-server HOST:PORT")
	}
	if expires != 0 && *sipServer == "" && (!haveCfg || len(srcs) > 0 || cfg.CallSource != settings.SourceSIP) {
		return Usagef("monitor: --expires needs a SIP source: --sip-server HOST:PORT, or a SIP account in Settings")
	}
	if len(srcs) == 0 && haveCfg {
		// No flags: watch the sources configured in Settings.
		if expires != 0 {
			cfg.SIP.ExpiresSeconds = int(expires / time.Second)
		}
		for _, ns := range home.ConfiguredSources(ctx, cfg, home.KeychainFor(cfg, log), p, nil, log) {
			srcs = append(srcs, monitorSource{ns.Name, ns.Source})
		}
	}
	if len(srcs) == 0 {
		return Usagef("monitor: no call source is configured in Settings; give a source: --ami HOST:PORT --ami-user U --ami-pass P --extension E, " +
			"or --sip-server HOST:PORT --sip-aor URI [--sip-user U --sip-pass P]")
	}
	return runMonitor(ctx, srcs, opts, stdout)
}

// runMonitor feeds the sources into one tracker and prints each change. It
// returns nil when ctx is cancelled or every source has stopped on its own,
// and the first source error otherwise.
func runMonitor(ctx context.Context, srcs []monitorSource, opts monitorOptions, stdout io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	region := opts.Region
	if region == "" {
		region = "US"
	}
	var hidden sync.Once
	tr := tapi.NewTracker(tapi.TrackerOptions{
		Normalize: func(raw string) string {
			if e, err := phone.Normalize(raw, region); err == nil {
				return e
			}
			return raw
		},
		IsInternal: func(remote, local string) bool {
			if opts.All || !phone.IsInternal(remote, local, opts.MinDigits) {
				return false
			}
			hidden.Do(func() {
				if opts.Stderr != nil {
					fmt.Fprintf(opts.Stderr, "calldocket: internal calls (under %d digits) are hidden; --all shows them\n", opts.MinDigits)
				}
			})
			return true
		},
	})

	var mu sync.Mutex
	var writeErr error
	print := func(c tapi.Call) {
		if writeErr != nil {
			return
		}
		internal := opts.MinDigits > 0 && phone.IsInternal(c.Remote, c.Local, opts.MinDigits)
		if writeErr = writeMonitorLine(stdout, c, region, internal, opts.JSON); writeErr != nil {
			cancel()
		}
	}
	emit := func(ev tapi.Event) {
		mu.Lock()
		defer mu.Unlock()
		if c, changed := tr.Apply(ev); changed {
			print(c)
		}
	}

	errs := make(chan error, len(srcs))
	for _, s := range srcs {
		go func() {
			err := s.src.Run(ctx, emit)
			if err != nil && !errors.Is(err, context.Canceled) {
				errs <- fmt.Errorf("%s source: %w", s.name, err)
				return
			}
			errs <- nil
		}()
	}
	tick := time.NewTicker(monitorExpireEvery)
	defer tick.Stop()
	var first error
	for left := len(srcs); left > 0; {
		select {
		case err := <-errs:
			left--
			if err != nil && first == nil {
				first = err
				cancel()
			}
		case now := <-tick.C:
			mu.Lock()
			for _, c := range tr.Expire(now) {
				print(c)
			}
			mu.Unlock()
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if first == nil && writeErr != nil {
		first = fmt.Errorf("write monitor output: %w", writeErr)
	}
	return first
}

// monitorLineOf describes a call as `monitor` prints it.
func monitorLineOf(c tapi.Call, region string, internal bool) monitorLine {
	number := phone.UserPart(c.Remote)
	e164 := c.RemoteE164
	if e164 == "" && number != "" {
		if e, err := phone.Normalize(number, region); err == nil {
			e164 = e
		}
	}
	l := monitorLine{
		CallID:    c.ID,
		Direction: string(c.Direction),
		Number:    number,
		E164:      e164,
		Name:      c.RemoteName,
		Source:    c.Source,
		Internal:  internal,
	}
	at := c.RingAt
	switch c.Phase {
	case tapi.PhaseRinging:
		l.State = "ringing"
	case tapi.PhaseActive:
		l.State, at = "answered", c.AnsweredAt
	case tapi.PhaseEnded:
		l.State, at = "ended", c.EndedAt
		if c.Missed() {
			l.State = "missed"
		}
		if c.Rejected() {
			l.State = "rejected"
		}
		l.DurationS = int64(c.Duration().Round(time.Second) / time.Second)
	}
	l.At = at.UTC().Format(time.RFC3339)
	return l
}

func writeMonitorLine(w io.Writer, c tapi.Call, region string, internal, asJSON bool) error {
	l := monitorLineOf(c, region, internal)
	if asJSON {
		b, err := json.Marshal(l)
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	shown := l.E164
	if shown == "" {
		shown = l.Number
	}
	shown = phone.Format(shown, region)
	if shown == "" {
		shown = "(no number)"
	}
	line := fmt.Sprintf("%s  %-8s %-3s %-18s", l.At, l.State, l.Direction, shown)
	if l.Name != "" {
		line += "  " + l.Name
	}
	if l.State == "ended" || l.State == "missed" || l.State == "rejected" {
		line += fmt.Sprintf("  %ds", l.DurationS)
	}
	if l.Internal {
		line += "  internal"
	}
	line += fmt.Sprintf("  [%s %s]\n", l.Source, l.CallID)
	_, err := io.WriteString(w, line)
	return err
}
