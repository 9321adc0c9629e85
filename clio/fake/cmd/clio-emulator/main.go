package main

import (
	"crypto/subtle"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/calldocket/calldocket/clio/fake"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "clio-emulator:", err)
		os.Exit(1)
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("clio-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
	token := fs.String("token", "", "static access token (required unless -client-id is set)")
	rate := fs.Int("rate", 0, "requests per token per window (0: unlimited)")
	window := fs.Duration("window", 60*time.Second, "rate-limit window")
	lenient := fs.Bool("lenient", false, "drop unknown body keys instead of answering 422")
	state := fs.String("state", "", "JSON file that keeps created records across restarts")
	faults := fs.String("faults", "", `fault rules, e.g. "status,p=0.1;reset,times=2"`)
	seed := fs.Int64("seed", 1, "seed for fault probabilities")
	clientID := fs.String("client-id", "", "OAuth client id")
	clientSecret := fs.String("client-secret", "", "OAuth client secret")
	var redirects stringList
	fs.Var(&redirects, "redirect-uri", "registered OAuth redirect URI (repeatable)")
	ttl := fs.Duration("token-ttl", 0, "lifetime of issued access tokens (0: 30 days)")
	decline := fs.Bool("decline", false, "the OAuth user declines")
	verbose := fs.Bool("v", false, "log every request to stderr")
	ignoreFilterEnv, err := fake.IgnoreExternalFilterFromEnv()
	if err != nil {
		return err
	}
	ignoreFilter := fs.Bool("ignore-external-filter", ignoreFilterEnv,
		"ignore external_property (and activity communication_id) filters, unrelated records first (default from "+fake.EnvIgnoreExternalFilter+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", *addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("address %q: only loopback addresses are allowed", *addr)
	}
	rules, err := fake.ParseFaults(*faults)
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	opts := fake.Options{
		Token: *token, RateLimit: *rate, RateWindow: *window, Lenient: *lenient, StatePath: *state,
		Faults: rules, Seed: *seed, TokenTTL: *ttl, Decline: *decline, IgnoreExternalFilter: *ignoreFilter,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
	}
	if *clientID != "" {
		opts.Clients = map[string]fake.OAuthClient{*clientID: {Secret: *clientSecret, RedirectURIs: redirects}}
	}
	emu, err := fake.NewServer(fake.SampleFirm(), opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: withControl(emu, *token), ReadHeaderTimeout: 10 * time.Second}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(stop)
	if _, err := fmt.Fprintf(stdout, "listening http://%s\n", ln.Addr()); err != nil {
		_ = ln.Close()
		return fmt.Errorf("write address: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-stop:
		_ = srv.Close()
		<-served
	case err = <-served:
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, emu.Close())
}

// controlPath is where the fault rules can be changed at run time.
const controlPath = "/_emulator/faults"

// withControl serves controlPath (when token is set) and everything else
// from the emulator.
func withControl(emu *fake.Server, token string) http.Handler {
	api := emu.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != controlPath || token == "" {
			api.ServeHTTP(w, r)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+token)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		switch r.Method {
		case http.MethodDelete:
			emu.ClearFaults()
		case http.MethodPut:
			b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
			if err != nil {
				http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
				return
			}
			rules, err := fake.ParseFaults(string(b))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			emu.ClearFaults()
			emu.InjectFaults(rules...)
		default:
			http.Error(w, "use PUT or DELETE", http.StatusMethodNotAllowed)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
