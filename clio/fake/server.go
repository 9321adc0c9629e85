package fake

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// Options configure a Server.
type Options struct {
	// Token is a static access token the server always accepts; it never
	// expires. Either Token or Clients is required.
	Token string
	// Clients are the OAuth developer applications, by client ID, for
	// /oauth/authorize, /oauth/token and /oauth/deauthorize. Access tokens
	// they issue authenticate API calls like Token does, until they expire
	// or are revoked.
	Clients map[string]OAuthClient
	// TokenTTL is the lifetime of issued access tokens (expires_in);
	// 0 means 30 days, as Clio Manage.
	TokenTTL time.Duration
	// Decline makes /oauth/authorize act as if the user clicked "Deny".
	Decline bool
	// Now is the server's clock; nil means time.Now.
	Now func() time.Time
	// Lenient drops unknown keys in request bodies silently, as real Clio
	// does, instead of answering 422. Missing required fields are still a
	// 422. The Sandbox runs lenient; tests run strict (the default).
	Lenient bool
	// RateWindow is the length of the rate-limit window; 0 means 60 s.
	RateWindow time.Duration
	// Faults are fault-injection rules installed at start (see
	// InjectFaults).
	Faults []Fault
	// Seed makes Fault.Probability draws deterministic.
	Seed int64
	// StatePath, when set, is a JSON file that keeps the contacts,
	// communications, activities, folders and documents (with their bytes)
	// created through the API, and the OAuth tokens issued, across
	// restarts. It is loaded by NewServer and rewritten after each write.
	StatePath string
	// RateLimit is the number of requests allowed per token per RateWindow;
	// 0 means unlimited (headers still report a large limit).
	RateLimit int
	// Logger receives debug lines per request; nil discards.
	Logger *slog.Logger
	// IgnoreExternalFilter makes the server misbehave as a spec-valid
	// server may: lists of communications, documents and folders ignore
	// external_property_name/value, and lists of activities ignore
	// communication_id, and the records those filters would have dropped
	// come first. A client must check what it gets (the adoption tests).
	// EnvIgnoreExternalFilter turns it on for the Sandbox.
	IgnoreExternalFilter bool
}

// Request is one HTTP request the server saw, for test assertions.
type Request struct {
	Method string
	Path   string
	Query  string // raw query
	Header http.Header
	Body   []byte
	Status int // response status; 0 when the connection was reset
	// Fault is the injected fault that shaped the response, or 0.
	Fault FaultKind
}

// ErrNoToken is returned by NewServer when neither Options.Token nor
// Options.Clients is set.
var ErrNoToken = errors.New("fake clio server needs a token or an OAuth client")

// maxRequests bounds the request log so a long Sandbox session cannot grow
// without limit; the oldest entries are dropped first.
const maxRequests = 50_000

// maxBody bounds request bodies; Clio's real limit is larger but no
// CallDocket body comes near it.
const maxBody = 1 << 20

// Server emulates Clio Manage API v4 for one firm. It is safe for
// concurrent use.
type Server struct {
	opts    Options
	log     *slog.Logger
	spec    *spec
	limiter *limiter
	now     func() time.Time
	mux     *http.ServeMux
	faults  *faultSet

	mu         sync.Mutex
	users      []clio.User
	contacts   []clio.Contact // sorted by id
	contactIdx map[int64]int
	matters    []clio.Matter // sorted by id
	matterIdx  map[int64]int
	created    []int64 // ids of contacts created through the API, in order
	comms      []clio.Communication
	acts       []clio.Activity
	ids        idCounters
	requests   []Request

	rels      []Relationship // sorted by id
	folders   []Folder       // created through the API, sorted by id
	docs      []*document    // sorted by id
	uploads   map[string]*docVersion
	codes     map[string]*authCode
	tokens    map[string]*accessToken
	refreshes map[string]*refreshGrant
}

// idCounters hold the last id handed out per record kind.
type idCounters struct {
	Contact       int64 `json:"contact"`
	PhoneNumber   int64 `json:"phone_number"`
	Communication int64 `json:"communication"`
	Activity      int64 `json:"activity"`
	Property      int64 `json:"external_property"`
	Folder        int64 `json:"folder,omitempty"`
	Document      int64 `json:"document,omitempty"`
	Version       int64 `json:"document_version,omitempty"`
}

// NewServer returns a server for a copy of f. With Options.StatePath set,
// records saved by an earlier server are loaded first.
func NewServer(f *Firm, opts Options) (*Server, error) {
	if opts.Token == "" && len(opts.Clients) == 0 {
		return nil, ErrNoToken
	}
	if f == nil || len(f.Users) == 0 {
		return nil, errors.New("fake clio server needs a firm with at least one user")
	}
	if opts.RateLimit < 0 {
		return nil, fmt.Errorf("fake clio server rate limit %d: must not be negative", opts.RateLimit)
	}
	if opts.RateWindow < 0 || opts.TokenTTL < 0 {
		return nil, errors.New("fake clio server rate window and token lifetime must not be negative")
	}
	if opts.RateWindow == 0 {
		opts.RateWindow = defaultRateWindow
	}
	if opts.TokenTTL == 0 {
		opts.TokenTTL = defaultTokenTTL
	}
	for id, c := range opts.Clients {
		if id == "" || c.Secret == "" || len(c.RedirectURIs) == 0 {
			return nil, fmt.Errorf("fake clio OAuth client %q: needs an id, a secret and a redirect URI", id)
		}
	}
	sp, err := loadSpec()
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:      opts,
		log:       log,
		spec:      sp,
		limiter:   newLimiter(opts.RateLimit, opts.RateWindow),
		now:       time.Now,
		faults:    newFaultSet(opts.Seed),
		users:     cloneUsers(f.Users),
		uploads:   map[string]*docVersion{},
		codes:     map[string]*authCode{},
		tokens:    map[string]*accessToken{},
		refreshes: map[string]*refreshGrant{},
	}
	if opts.Now != nil {
		s.now = opts.Now
	}
	s.faults.add(opts.Faults...)
	s.contacts = make([]clio.Contact, len(f.Contacts))
	for i, c := range f.Contacts {
		s.contacts[i] = cloneContact(c)
	}
	s.matters = make([]clio.Matter, len(f.Matters))
	for i, m := range f.Matters {
		s.matters[i] = cloneMatter(m)
	}
	if err := s.index(); err != nil {
		return nil, err
	}
	if err := s.setRelationships(f.Relationships); err != nil {
		return nil, err
	}
	s.ids = s.baseIDs()
	if opts.StatePath != "" {
		if err := s.loadState(); err != nil {
			return nil, err
		}
	}
	s.mux = s.routes()
	return s, nil
}

// index sorts contacts and matters by id and builds the lookup maps.
func (s *Server) index() error {
	slices.SortFunc(s.contacts, func(a, b clio.Contact) int { return cmpID(a.ID, b.ID) })
	slices.SortFunc(s.matters, func(a, b clio.Matter) int { return cmpID(a.ID, b.ID) })
	s.contactIdx = make(map[int64]int, len(s.contacts))
	for i, c := range s.contacts {
		if _, dup := s.contactIdx[c.ID]; dup {
			return fmt.Errorf("firm contact id %d: duplicate", c.ID)
		}
		s.contactIdx[c.ID] = i
	}
	s.matterIdx = make(map[int64]int, len(s.matters))
	for i, m := range s.matters {
		if _, dup := s.matterIdx[m.ID]; dup {
			return fmt.Errorf("firm matter id %d: duplicate", m.ID)
		}
		s.matterIdx[m.ID] = i
	}
	return nil
}

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// baseIDs starts the id counters above everything in the firm.
func (s *Server) baseIDs() idCounters {
	ids := idCounters{Contact: 1000, PhoneNumber: 900000, Communication: 7000000, Activity: 8000000, Property: 9000000,
		Folder: 6000000, Document: 5000000, Version: 5500000}
	for _, c := range s.contacts {
		ids.Contact = max(ids.Contact, c.ID)
		for _, p := range c.PhoneNumbers {
			ids.PhoneNumber = max(ids.PhoneNumber, p.ID)
		}
	}
	return ids
}

// Handler serves the API under /api/v4/, OAuth under /oauth/ and document
// uploads (the put_url target) under /upload/.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Close writes the state file (when configured). The server keeps serving;
// Close may be called more than once.
func (s *Server) Close() error {
	if s.opts.StatePath == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveStateLocked()
}

// Communications returns the communications created so far, oldest first.
func (s *Server) Communications() []clio.Communication {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]clio.Communication, len(s.comms))
	for i, c := range s.comms {
		out[i] = cloneCommunication(c)
	}
	return out
}

// Activities returns the activities created so far, oldest first.
func (s *Server) Activities() []clio.Activity {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]clio.Activity, len(s.acts))
	for i, a := range s.acts {
		out[i] = cloneActivity(a)
	}
	return out
}

// Requests returns every request seen so far (the latest 50,000), oldest
// first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Header = r.Header.Clone()
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	fault, ok := s.faults.pick(r)
	if !ok {
		return // the client went away during injected latency
	}
	limit := int64(maxBody)
	if strings.HasPrefix(r.URL.Path, uploadPrefix) {
		limit = maxUpload
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	if fault != nil {
		rec.Fault = fault.Kind
	}
	var out http.ResponseWriter = w
	if fault != nil && fault.Kind == FaultCommitThenDrop {
		out = &discardWriter{header: http.Header{}}
	}
	sw := &statusWriter{ResponseWriter: out}
	switch {
	case fault != nil && fault.Kind == FaultReset:
		s.record(rec)
		dropConnection(w)
		return
	case fault != nil && fault.Kind == FaultStatus:
		status := fault.Status
		if status < 400 || status > 599 {
			status = http.StatusServiceUnavailable
		}
		typ := strings.ReplaceAll(http.StatusText(status), " ", "")
		if typ == "" {
			typ = "ServerError"
		}
		writeError(sw, &apiError{Status: status, Type: typ, Message: "injected fault: " + typ})
	case fault != nil && fault.Kind == Fault429:
		s.injectedRateLimit(sw, r)
	case err != nil:
		writeError(sw, errBadRequest("request body could not be read"))
	case int64(len(body)) > limit:
		writeError(sw, &apiError{Status: http.StatusRequestEntityTooLarge, Type: "RequestTooLarge", Message: "request body is too large"})
	default:
		s.dispatch(sw, r, body)
	}
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	rec.Status = sw.status
	s.record(rec)
	s.log.Debug("fake clio request", "method", r.Method, "path", r.URL.Path, "status", sw.status)
	if fault != nil && fault.Kind == FaultCommitThenDrop {
		dropConnection(w)
	}
}

// record appends one request to the bounded request log.
func (s *Server) record(rec Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) >= maxRequests {
		s.requests = slices.Delete(s.requests, 0, len(s.requests)-maxRequests+1)
	}
	s.requests = append(s.requests, rec)
}

// dispatch sends a request to OAuth, upload or API handling.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, body []byte) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/oauth/"):
		s.serveOAuth(w, r, body)
	case strings.HasPrefix(r.URL.Path, uploadPrefix):
		s.serveUpload(w, r, body)
	default:
		s.serve(w, r, body)
	}
}

// serve runs auth, rate limit and version checks, then routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	token, ok := s.authorize(w, r)
	if !ok {
		return
	}
	version, versionErr := apiVersion(r.Header.Get("X-API-VERSION"))
	rt := s.limiter.take(token, s.now())
	setRateHeaders(w, rt)
	if versionErr != nil {
		writeError(w, versionErr)
		return
	}
	w.Header().Set("X-API-VERSION", version)
	if !rt.Allowed {
		w.Header().Set("Retry-After", fmt.Sprint(retryAfterSeconds(rt.RetryAfter)))
		writeError(w, &apiError{Status: http.StatusTooManyRequests, Type: "RateLimited", Message: "Too Many Requests: rate limit exceeded, retry later"})
		return
	}
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(&bodyReader{b: body})
	s.mux.ServeHTTP(w, r2)
}

type bodyReader struct {
	b []byte
	i int
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.i >= len(b.b) {
		return 0, io.EOF
	}
	n := copy(p, b.b[b.i:])
	b.i += n
	return n, nil
}

func setRateHeaders(w http.ResponseWriter, rt rate) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", fmt.Sprint(rt.Limit))
	h.Set("X-RateLimit-Remaining", fmt.Sprint(rt.Remaining))
	h.Set("X-RateLimit-Reset", fmt.Sprint(rt.Reset.Unix()))
}
