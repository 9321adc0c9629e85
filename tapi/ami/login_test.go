package ami

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestMD5Key(t *testing.T) {
	// Values computed independently (Python hashlib.md5(challenge+secret)).
	tests := []struct{ challenge, secret, want string }{
		{"840415273", "s3cret", "d7994fd8cd10e2224514d095d0fd3f7b"},
		{"1234567890", "mysecret", "1586bde220dc4c3469015a2b66a06409"},
	}
	for _, tt := range tests {
		if got := md5Key(tt.challenge, tt.secret); got != tt.want {
			t.Errorf("md5Key(%q, %q) = %q, want %q", tt.challenge, tt.secret, got, tt.want)
		}
	}
}

// loginOnce connects to srv and logs in, returning the login's error.
func loginOnce(t *testing.T, srv *fakeAMI, cfg Config) error {
	t.Helper()
	cfg.Addr = srv.addr()
	cfg.Extension = "201"
	src, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := net.Dial("tcp", srv.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	return src.login(&conn{c: nc, r: NewReader(nc)})
}

func TestLoginMethods(t *testing.T) {
	tests := []struct {
		name                    string
		auth                    string
		noChallenge, requireMD5 bool
		secret                  string
		wantMD5                 bool // the login carried AuthType MD5 and a Key, no Secret
		wantChallenges          int
		wantErr                 string // in the *AuthError text; "" for success
	}{
		{name: "auto uses MD5", auth: "", requireMD5: true, secret: "s3cret", wantMD5: true, wantChallenges: 1},
		{name: "md5", auth: AuthMD5, requireMD5: true, secret: "s3cret", wantMD5: true, wantChallenges: 1},
		{name: "MD5 upper case", auth: "MD5", requireMD5: true, secret: "s3cret", wantMD5: true, wantChallenges: 1},
		{name: "auto falls back to plain", auth: AuthAuto, noChallenge: true, secret: "s3cret", wantChallenges: 1},
		{name: "plain", auth: AuthPlain, secret: "s3cret", wantChallenges: 0},
		{name: "md5 wrong secret", auth: AuthMD5, secret: "wrong", wantMD5: true, wantChallenges: 1,
			wantErr: `AMI login refused for user "calldocket": Authentication failed`},
		{name: "auto wrong secret", auth: "", secret: "wrong", wantMD5: true, wantChallenges: 1,
			wantErr: `AMI login refused for user "calldocket": Authentication failed`},
		{name: "md5 without challenge", auth: AuthMD5, noChallenge: true, secret: "s3cret", wantChallenges: 1,
			wantErr: `user "calldocket": the server offers no MD5 challenge login (Must specify AuthType)`},
		{name: "plain refused", auth: AuthPlain, requireMD5: true, secret: "s3cret",
			wantErr: `AMI login refused for user "calldocket": Authentication failed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeAMI(t, "calldocket", "s3cret")
			srv.noChallenge, srv.requireMD5 = tt.noChallenge, tt.requireMD5
			err := loginOnce(t, srv, Config{Username: "calldocket", Secret: tt.secret, Auth: tt.auth})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("login() = %v, want nil", err)
				}
			} else {
				var ae *AuthError
				if !errors.As(err, &ae) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("login() = %v, want *AuthError containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), tt.secret) {
					t.Errorf("error %q contains the secret", err)
				}
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if srv.challenges != tt.wantChallenges {
				t.Errorf("challenges = %d, want %d", srv.challenges, tt.wantChallenges)
			}
			if len(srv.logins) != 1 {
				if tt.name == "md5 without challenge" && len(srv.logins) == 0 {
					return // refused before any login was sent
				}
				t.Fatalf("logins = %d, want 1", len(srv.logins))
			}
			l := srv.logins[0]
			if got := strings.EqualFold(l.Get("AuthType"), "md5") && l.Get("Key") != ""; got != tt.wantMD5 {
				t.Errorf("MD5 login = %v, want %v (login %v)", got, tt.wantMD5, l)
			}
			if _, hasSecret := l["secret"]; hasSecret == tt.wantMD5 {
				t.Errorf("login carries Secret = %v, want %v", hasSecret, !tt.wantMD5)
			}
			if l.Get("Events") != "call" {
				t.Errorf("login Events = %q, want call", l.Get("Events"))
			}
		})
	}
}

func TestSourceMD5Transcript(t *testing.T) {
	// The whole path: MD5 login on a server that refuses plain logins,
	// then a call.
	srv := newFakeAMI(t, "calldocket", "s3cret", "inbound_answered.txt")
	srv.requireMD5 = true
	src, err := New(Config{Addr: srv.addr(), Username: "calldocket", Secret: "s3cret", Extension: "201"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	src.now = func() time.Time { return t0 }
	events, _ := collect(t, src)
	want := wantByTranscript["inbound_answered.txt"]
	if got := waitEvents(t, events, len(want)); !equalEvents(got, want) {
		t.Errorf("events = %+v, want %+v", got, want)
	}
}

func TestNewValidatesLogin(t *testing.T) {
	base := Config{Addr: "127.0.0.1:5038", Username: "u", Extension: "201"}
	for _, auth := range []string{"", "auto", "md5", "MD5", "plain", " plain "} {
		c := base
		c.Auth = auth
		if _, err := New(c, nil); err != nil {
			t.Errorf("New(Auth %q) = %v, want nil", auth, err)
		}
	}
	c := base
	c.Auth = "sha1"
	_, err := New(c, nil)
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), `"sha1"`) {
		t.Errorf("New(Auth sha1) = %v, want ErrConfig naming the value", err)
	}
}

// FuzzLogin serves arbitrary bytes as the server's side of the login (after
// a real banner): the client must return, with nil or an error, never
// panic, and never put the secret in an error.
func FuzzLogin(f *testing.F) {
	f.Add([]byte("Response: Success\r\nActionID: calldocket-challenge-1\r\nChallenge: 840415273\r\n\r\n"+
		"Response: Success\r\nActionID: calldocket-login-2\r\nMessage: Authentication accepted\r\n\r\n"), "")
	f.Add([]byte("Response: Error\r\nActionID: calldocket-challenge-1\r\nMessage: Must specify AuthType\r\n\r\n"+
		"Response: Error\r\nActionID: calldocket-login-2\r\nMessage: Authentication failed\r\n\r\n"), "md5")
	f.Add([]byte("Response: Success\r\nActionID: calldocket-challenge-1\r\n\r\n"), "auto")
	f.Add([]byte("Event: FullyBooted\r\n\r\nResponse: Success\r\nActionID: calldocket-login-1\r\n\r\n"), "plain")
	f.Fuzz(func(t *testing.T, reply []byte, auth string) {
		const secret = "fuzz-secret-7d1c"
		src, err := New(Config{Addr: "127.0.0.1:5038", Username: "u", Secret: secret, Extension: "201", Auth: auth}, nil)
		if err != nil {
			return // an invalid login method is refused by New
		}
		client, server := net.Pipe()
		defer client.Close()
		go func() { _, _ = io.Copy(io.Discard, server) }() // the client's actions
		go func() {
			_, _ = server.Write(append([]byte("Asterisk Call Manager/9.0.0\r\n"), reply...))
			server.Close()
		}()
		err = src.login(&conn{c: client, r: NewReader(client)})
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Fatalf("login error %q contains the secret", err)
		}
	})
}
