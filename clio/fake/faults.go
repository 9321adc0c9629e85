package fake

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// FaultKind is what an injected fault does to a request.
type FaultKind int

// Fault kinds.
const (
	// FaultLatency delays the request by Fault.Latency, then serves it
	// normally (other rules may still apply).
	FaultLatency FaultKind = iota + 1
	// FaultStatus answers Fault.Status (default 503) with Clio's error
	// body, without serving the request: nothing is committed.
	FaultStatus
	// FaultReset closes the connection (TCP reset where possible) before
	// writing anything: nothing is committed and no response arrives.
	FaultReset
	// FaultCommitThenDrop serves the request (a create is committed and
	// visible afterwards), then closes the connection without sending the
	// response.
	FaultCommitThenDrop
	// Fault429 answers 429 Too Many Requests with Retry-After (seconds to
	// the end of the rate window) and X-RateLimit-Remaining 0. The request
	// counts against the token's budget like any other.
	Fault429
)

var faultKindNames = map[FaultKind]string{
	FaultLatency:        "latency",
	FaultStatus:         "status",
	FaultReset:          "reset",
	FaultCommitThenDrop: "commit-then-drop",
	Fault429:            "429",
}

// String returns the name ParseFaults accepts: latency, status, reset,
// commit-then-drop or 429.
func (k FaultKind) String() string {
	if n, ok := faultKindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault is one fault-injection rule. A rule matches a request when Method
// (empty: any) equals its method and PathPrefix (empty: any) prefixes its
// path. A matching rule fires with Probability (0: always), drawn from a
// generator seeded with Options.Seed, at most Times times (0: forever).
// Latency delays a firing rule of any kind before it acts. Rules are
// tried in order: every firing FaultLatency rule adds its delay, and the
// first firing rule of another kind decides the outcome.
type Fault struct {
	Method      string
	PathPrefix  string
	Kind        FaultKind
	Times       int
	Probability float64
	Latency     time.Duration
	Status      int
}

// faultRule is a Fault with its remaining firing budget.
type faultRule struct {
	Fault
	fired int
}

// faultSet holds the active rules; safe for concurrent use.
type faultSet struct {
	mu    sync.Mutex
	rng   *rand.Rand
	rules []*faultRule
}

func newFaultSet(seed int64) *faultSet {
	return &faultSet{rng: rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))}
}

func (fs *faultSet) add(rules ...Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, f := range rules {
		fs.rules = append(fs.rules, &faultRule{Fault: f})
	}
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = nil
}

// InjectFaults adds fault-injection rules after the existing ones. Safe to
// call while the server is serving.
func (s *Server) InjectFaults(rules ...Fault) { s.faults.add(rules...) }

// ClearFaults removes every fault-injection rule.
func (s *Server) ClearFaults() { s.faults.clear() }

// pick decides which rules fire for r, sleeps for their latency and returns
// the deciding non-latency fault (nil for none). ok is false when the
// client went away while sleeping.
func (fs *faultSet) pick(r *http.Request) (decided *Fault, ok bool) {
	var delay time.Duration
	fs.mu.Lock()
	for _, rule := range fs.rules {
		if rule.Method != "" && !strings.EqualFold(rule.Method, r.Method) ||
			!strings.HasPrefix(r.URL.Path, rule.PathPrefix) ||
			rule.Times > 0 && rule.fired >= rule.Times {
			continue
		}
		if rule.Probability > 0 && fs.rng.Float64() >= rule.Probability {
			continue
		}
		rule.fired++
		delay += rule.Latency
		if rule.Kind != FaultLatency {
			f := rule.Fault
			decided = &f
			break
		}
	}
	fs.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return nil, false
		}
	}
	return decided, true
}

// injectedRateLimit writes a Fault429 response for the request's token.
func (s *Server) injectedRateLimit(w http.ResponseWriter, r *http.Request) {
	_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	rt := s.limiter.spend(strings.TrimSpace(token), s.now())
	setRateHeaders(w, rt)
	w.Header().Set("Retry-After", fmt.Sprint(retryAfterSeconds(rt.RetryAfter)))
	writeError(w, &apiError{Status: http.StatusTooManyRequests, Type: "RateLimited", Message: "Too Many Requests: rate limit exceeded, retry later"})
}

// dropConnection closes the client connection without a response: with a
// TCP reset when the connection can be hijacked, else by aborting the
// handler (net/http then closes the connection).
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST instead of FIN
	}
	_ = conn.Close()
}

// discardWriter collects a response that is never sent (commit-then-drop).
type discardWriter struct {
	header http.Header
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
