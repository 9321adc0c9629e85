package clio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"
)

// APIVersion is the Clio Manage API minor version every request pins with
// the X-API-VERSION header.
// https://docs.developers.clio.com/api-docs/api-versioning-policy
const APIVersion = "4.0.13"

const (
	userAgent     = "CallDocket"
	apiPath       = "/api/v4/"
	mediaTypeJSON = "application/json"
	// maxBodyBytes bounds a success body we decode; a page of 200 contacts
	// with 20 phone numbers each is well under 1 MiB.
	maxBodyBytes = 32 << 20
	// maxErrorBodyBytes bounds an error body we read.
	maxErrorBodyBytes = 64 << 10
	// maxLimit is Clio's largest page size for the endpoints used here.
	maxLimit = 200
	// orderByID is the order the cursor pagination requires.
	orderByID = "id(asc)"
)

// Client talks to one Clio Manage region for one access token.
// Create it with NewClient; it is safe for concurrent use.
type Client struct {
	httpClient *http.Client
	baseURL    *url.URL // ends in /api/v4/
	now        func() time.Time

	mu        sync.Mutex
	rate      Rate      // last X-RateLimit-* values seen
	exhausted bool      // rate.Remaining was sent and is 0
	retryAt   time.Time // from the Retry-After of the last 429
	reserve   int       // requests per window kept from low-priority work (budget.go)

	common service

	Users          *UsersService
	Contacts       *ContactsService
	Matters        *MattersService
	Communications *CommunicationsService
	Activities     *ActivitiesService
	PhoneNumbers   *PhoneNumbersService
	Relationships  *RelationshipsService
	Folders        *FoldersService
	Documents      *DocumentsService
}

// service is embedded by every resource service.
type service struct {
	client *Client
}

// Response wraps the HTTP response of one call. NextPage is the full URL of
// the next page (meta.paging.next) or empty on the last page; Rate holds the
// X-RateLimit-* headers of this response (zero when Clio sent none).
type Response struct {
	*http.Response
	NextPage string
	Rate     Rate
}

// NewClient returns a client for the Clio region at baseURL, for example
// "https://app.clio.com" or "https://eu.app.clio.com"; the API lives under
// baseURL+"/api/v4/". httpClient carries the credentials (see
// TokenHTTPClient); nil means an unauthenticated client. Plain http is
// accepted only for loopback hosts such as the local Clio emulator.
func NewClient(httpClient *http.Client, baseURL string) (*Client, error) {
	u, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	c := &Client{httpClient: httpClient, baseURL: u, now: time.Now, reserve: DefaultReserve}
	c.common.client = c
	c.Users = (*UsersService)(&c.common)
	c.Contacts = (*ContactsService)(&c.common)
	c.Matters = (*MattersService)(&c.common)
	c.Communications = (*CommunicationsService)(&c.common)
	c.Activities = (*ActivitiesService)(&c.common)
	c.PhoneNumbers = (*PhoneNumbersService)(&c.common)
	c.Relationships = (*RelationshipsService)(&c.common)
	c.Folders = (*FoldersService)(&c.common)
	c.Documents = newDocumentsService(c)
	return c, nil
}

// parseBaseURL checks a region URL and returns it with the API path.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, &invalidRequestError{msg: "malformed clio base url"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &invalidRequestError{msg: "clio base url uses plain http for a non-loopback host"}
		}
	default:
		return nil, &invalidRequestError{msg: fmt.Sprintf("clio base url scheme %q not supported", u.Scheme)}
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, &invalidRequestError{msg: "clio base url must be scheme://host[:port][/path] only"}
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, strings.TrimSuffix(apiPath, "/"))
	u.Path = p + apiPath
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newRequest builds a request for urlStr, which is either relative to the
// API base ("contacts.json?…") or an absolute URL on the same scheme and host
// (a meta.paging.next link). A non-nil body is sent as {"data": body}.
func (c *Client) newRequest(ctx context.Context, method, urlStr string, body any) (*http.Request, error) {
	if strings.HasPrefix(urlStr, "/") && !strings.HasPrefix(urlStr, "//") {
		return nil, &invalidRequestError{msg: fmt.Sprintf("clio request path %q must be relative to the api base", urlStr)}
	}
	u, err := c.baseURL.Parse(urlStr)
	if err != nil {
		return nil, &invalidRequestError{msg: "malformed clio request url"}
	}
	if !c.sameOrigin(u) {
		return nil, &invalidRequestError{msg: fmt.Sprintf("clio request url on host %q, want %q", u.Host, c.baseURL.Host)}
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(struct {
			Data any `json:"data"`
		}{body})
		if err != nil {
			return nil, &invalidRequestError{msg: fmt.Sprintf("encode clio request body: %v", err)}
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return nil, fmt.Errorf("build clio request: %w", err)
	}
	req.Header.Set("Accept", mediaTypeJSON)
	req.Header.Set("X-API-VERSION", APIVersion)
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", mediaTypeJSON)
	}
	return req, nil
}

// sameOrigin reports whether u is under the API base (same scheme, host and
// path prefix), so that a bearer token is never sent elsewhere.
func (c *Client) sameOrigin(u *url.URL) bool {
	return u.Scheme == c.baseURL.Scheme &&
		strings.EqualFold(u.Host, c.baseURL.Host) &&
		u.User == nil &&
		strings.HasPrefix(path.Clean(u.Path)+"/", c.baseURL.Path)
}

// envelope is Clio's response wrapper.
type envelope struct {
	Data json.RawMessage `json:"data"`
	Meta struct {
		Paging struct {
			Next string `json:"next"`
		} `json:"paging"`
	} `json:"meta"`
}

// do sends req and decodes the "data" member of a 2xx answer into v (which
// may be nil). It refuses to send, with a *RateLimitError, while the last
// seen rate limit window is exhausted; a low-priority request waits for
// the budget instead (budget.go). Non-2xx answers become *AuthError,
// *RateLimitError or *APIError. Errors never include the query string, which
// may hold a phone number.
func (c *Client) do(req *http.Request, v any) (*Response, error) {
	if err := c.awaitBudget(req.Context()); err != nil {
		return nil, err
	}
	what := req.Method + " " + strings.TrimPrefix(req.URL.Path, c.baseURL.Path)
	resp, err := c.httpClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctxErr := req.Context().Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = ctxErr
		}
		return nil, fmt.Errorf("send clio request %s: %w", what, err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBodyBytes))
		_ = resp.Body.Close()
	}()

	response := &Response{Response: resp}
	response.Rate, _, _ = parseRate(resp.Header)
	now := c.now()
	errResp := checkResponse(resp, now)
	c.observe(resp.Header, errResp, now)
	if errResp != nil {
		return response, errResp
	}

	var env envelope
	dec := json.NewDecoder(io.LimitReader(resp.Body, maxBodyBytes))
	if err := dec.Decode(&env); err != nil {
		if errors.Is(err, io.EOF) && v == nil {
			return response, nil
		}
		return response, fmt.Errorf("decode clio response %s: %w", what, err)
	}
	response.NextPage = env.Meta.Paging.Next
	if v == nil {
		return response, nil
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return response, fmt.Errorf("decode clio response %s: %w", what, errNoData)
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		return response, fmt.Errorf("decode clio response %s: %w", what, err)
	}
	return response, nil
}

var errNoData = errors.New("response has no data")

// fieldsQuery returns the query every request starts from.
func fieldsQuery(fields string) url.Values {
	return url.Values{"fields": {fields}}
}

// limitOrDefault maps a caller's page size onto Clio's 1..200.
func limitOrDefault(n int) int {
	if n <= 0 || n > maxLimit {
		return maxLimit
	}
	return n
}

// getOne fetches a single resource into a new T.
func getOne[T any](ctx context.Context, c *Client, urlStr string) (*T, *Response, error) {
	req, err := c.newRequest(ctx, http.MethodGet, urlStr, nil)
	if err != nil {
		return nil, nil, err
	}
	v := new(T)
	resp, err := c.do(req, v)
	if err != nil {
		return nil, resp, err
	}
	return v, resp, nil
}

// create posts body and decodes the created resource into a new T.
func create[T any](ctx context.Context, c *Client, urlStr string, body any) (*T, *Response, error) {
	req, err := c.newRequest(ctx, http.MethodPost, urlStr, body)
	if err != nil {
		return nil, nil, err
	}
	v := new(T)
	resp, err := c.do(req, v)
	if err != nil {
		return nil, resp, err
	}
	return v, resp, nil
}

// listPage fetches one page of a list endpoint.
func listPage[T any](ctx context.Context, c *Client, urlStr string) ([]T, *Response, error) {
	req, err := c.newRequest(ctx, http.MethodGet, urlStr, nil)
	if err != nil {
		return nil, nil, err
	}
	var page []T
	resp, err := c.do(req, &page)
	if err != nil {
		return nil, resp, err
	}
	if page == nil {
		page = []T{}
	}
	return page, resp, nil
}

// listAll fetches first and then every meta.paging.next page, one after the
// other, handing each non-empty page to fn. It stops at fn's first error and
// returns it unchanged. A next link on another host, or one seen before, is
// refused.
func listAll[T any](ctx context.Context, c *Client, first, fields string, fn func([]T) error) error {
	if fn == nil {
		return &invalidRequestError{msg: "list callback is nil"}
	}
	seen := make(map[string]bool)
	next := first
	for next != "" {
		if seen[next] {
			return fmt.Errorf("follow clio paging: %w", errPagingLoop)
		}
		seen[next] = true
		page, resp, err := listPage[T](ctx, c, next)
		if err != nil {
			return err
		}
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
		}
		if resp.NextPage == "" {
			return nil
		}
		next, err = c.pageURL(resp.NextPage, fields)
		if err != nil {
			return err
		}
	}
	return nil
}

var errPagingLoop = errors.New("next page link repeats an earlier page")

// pageURL checks a meta.paging.next link and makes sure it still carries
// our fields list.
func (c *Client) pageURL(next, fields string) (string, error) {
	u, err := c.baseURL.Parse(next)
	if err != nil {
		return "", fmt.Errorf("follow clio paging: %w", &invalidRequestError{msg: "malformed next page link"})
	}
	if !c.sameOrigin(u) {
		return "", fmt.Errorf("follow clio paging: %w", &invalidRequestError{
			msg: fmt.Sprintf("next page link on host %q, want %q", u.Host, c.baseURL.Host)})
	}
	q := u.Query()
	if q.Get("fields") == "" {
		q.Set("fields", fields)
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}
