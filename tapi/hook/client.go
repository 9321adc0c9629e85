package hook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// PostTimeout bounds Post when ctx has no deadline.
const PostTimeout = 5 * time.Second

// Errors returned by Post, matched with errors.Is / errors.As.
var (
	// ErrSecretRefused means the running app did not accept the secret (401).
	ErrSecretRefused = errors.New("the running CallDocket refused the secret")
	// ErrUnavailable means the app is up but not accepting events (503).
	ErrUnavailable = errors.New("the running CallDocket is not accepting call events")
)

// RejectedError is a 400 or 413 answer: the app refused the event itself.
type RejectedError struct {
	Reason string // the server's {"error": …} text
}

func (e *RejectedError) Error() string {
	return "CallDocket rejected the event: " + e.Reason
}

// StatusError is any other unexpected HTTP status.
type StatusError struct {
	StatusCode int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("unexpected response from CallDocket: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

// Post sends r to the Server at baseURL (e.g. "http://127.0.0.1:47011") and
// waits for the answer, at most 5 s when ctx has no deadline. It does not use
// any HTTP proxy. A 401 is ErrSecretRefused, 503 wraps ErrUnavailable,
// 400/413 are *RejectedError and other statuses *StatusError.
func Post(ctx context.Context, baseURL, secret string, r Request) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, PostTimeout)
		defer cancel()
	}
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode call event: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+Path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build call event request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("User-Agent", "CallDocket")

	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("post call event: %w", err)
	}
	defer resp.Body.Close()
	msg := readError(resp.Body)

	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusUnauthorized:
		return ErrSecretRefused
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusRequestEntityTooLarge:
		if msg == "" {
			msg = http.StatusText(resp.StatusCode)
		}
		return &RejectedError{Reason: msg}
	case resp.StatusCode == http.StatusServiceUnavailable:
		if msg != "" {
			return fmt.Errorf("%w: %s", ErrUnavailable, msg)
		}
		return ErrUnavailable
	}
	return &StatusError{StatusCode: resp.StatusCode}
}

// readError returns the "error" member of a small JSON answer, or "".
func readError(body io.Reader) string {
	var v struct {
		Error string `json:"error"`
	}
	data, err := io.ReadAll(io.LimitReader(body, 4<<10))
	if err != nil || json.Unmarshal(data, &v) != nil {
		return ""
	}
	return v.Error
}
