package ipc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/calldocket/calldocket/settings"
)

// Server is the app side: it owns the listener and the endpoint file.
type Server struct {
	ln     net.Listener
	srv    *http.Server
	secret string
	path   string
}

// Listen listens on a free loopback port and writes the endpoint file at
// path (0600). Every request h sees carried the bearer secret; the others
// are answered 401.
func Listen(path, secret string, h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &Server{ln: ln, secret: secret, path: path}
	s.srv = &http.Server{Handler: s.authenticate(h), ReadHeaderTimeout: 5 * time.Second}
	e := Endpoint{Addr: ln.Addr().String(), Secret: secret, PID: os.Getpid()}
	b, _ := json.Marshal(e)
	if err := settings.WritePrivate(s.path, b); err != nil {
		ln.Close()
		return nil, err
	}
	return s, nil
}

// Serve answers requests until Close; it returns nil once closed.
func (s *Server) Serve() error {
	err := s.srv.Serve(s.ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close removes the endpoint file (if it is still this process's) and
// shuts the listener down.
func (s *Server) Close(ctx context.Context) {
	// Only remove the endpoint file if it is still ours.
	if e, err := ReadEndpoint(s.path); err == nil && e.PID == os.Getpid() {
		os.Remove(s.path)
	}
	_ = s.srv.Shutdown(ctx)
}

func (s *Server) authenticate(h http.Handler) http.Handler {
	want := []byte("Bearer " + s.secret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "missing or wrong secret"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
