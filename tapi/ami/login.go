package ami

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Login methods of Config.Auth.
const (
	// AuthAuto asks for an MD5 challenge and logs in with it; a server that
	// offers none (it answers the Challenge action with an error) gets the
	// plain login instead. The zero value of Config.Auth means AuthAuto.
	AuthAuto = "auto"
	// AuthMD5 always logs in by MD5 challenge: the secret never crosses
	// the network, and a server without the Challenge action is refused.
	AuthMD5 = "md5"
	// AuthPlain sends the secret as it is (Action: Login, Secret: …); use
	// it only over TLS or on a trusted network.
	AuthPlain = "plain"
)

// errNoChallenge: the server answered the Challenge action with an error.
var errNoChallenge = errors.New("no MD5 challenge offered")

// request sends the action named name with fields and an ActionID, and
// returns the response carrying that ActionID, skipping events and other
// responses that arrive first. kind names it in errors and ActionIDs.
func (c *conn) request(name, kind string, fields Action) (Frame, error) {
	id := c.nextID(kind)
	a := append(Action{{"Action", name}, {"ActionID", id}}, fields...)
	if err := c.send(a); err != nil {
		return nil, fmt.Errorf("send AMI %s: %w", kind, err)
	}
	for {
		f, err := c.r.Next()
		if errors.Is(err, ErrFrameTooLarge) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read AMI %s response: %w", kind, err)
		}
		if f.Get("ActionID") == id && f.Get("Response") != "" {
			return f, nil
		}
	}
}

// login reads the banner and logs in by the configured method.
func (s *Source) login(c *conn) error {
	_ = c.c.SetDeadline(time.Now().Add(loginTimeout))
	banner, err := c.r.ReadBanner()
	if err != nil {
		if s.tls == nil && isTimeout(err) {
			return fmt.Errorf("read AMI banner: %w (no greeting from %s: if this is Asterisk's TLS port, usually 5039, turn TLS on)", err, s.cfg.Addr)
		}
		return fmt.Errorf("read AMI banner: %w", err)
	}
	if !strings.HasPrefix(banner, "Asterisk Call Manager") {
		return fmt.Errorf("%w: banner %.40q", ErrNotAMI, banner)
	}
	login := Action{{"Username", s.cfg.Username}}
	switch s.cfg.Auth {
	case AuthPlain:
		login = append(login, [2]string{"Secret", s.cfg.Secret})
	default:
		challenge, err := s.challenge(c)
		switch {
		case errors.Is(err, errNoChallenge) && s.cfg.Auth == AuthAuto:
			if s.tls == nil {
				s.log.Warn("AMI server offers no MD5 challenge: sending the secret in clear text (turn TLS on, or set the login method to plain to silence this)", "err", err)
			} else {
				s.log.Info("AMI server offers no MD5 challenge; logging in with the secret over TLS", "err", err)
			}
			login = append(login, [2]string{"Secret", s.cfg.Secret})
		case err != nil:
			return err
		default:
			login = append(login, [2]string{"AuthType", "MD5"}, [2]string{"Key", md5Key(challenge, s.cfg.Secret)})
		}
	}
	login = append(login, [2]string{"Events", "call"})
	f, err := c.request("Login", "login", login)
	if err != nil {
		return err
	}
	_ = c.c.SetDeadline(time.Time{})
	if strings.EqualFold(f.Get("Response"), "Success") {
		return nil
	}
	return &AuthError{User: s.cfg.Username, Message: firstOf(f.Get("Message"), f.Get("Response"))}
}

// challenge asks for an MD5 challenge. A server that refuses one gives
// errNoChallenge (wrapped in an *AuthError naming the user when the MD5
// method is required).
func (s *Source) challenge(c *conn) (string, error) {
	f, err := c.request("Challenge", "challenge", Action{{"AuthType", "MD5"}})
	if err != nil {
		return "", err
	}
	ch := f.Get("Challenge")
	if strings.EqualFold(f.Get("Response"), "Success") && ch != "" {
		return ch, nil
	}
	why := firstOf(f.Get("Message"), "no challenge in the response")
	if s.cfg.Auth == AuthMD5 {
		return "", &AuthError{User: s.cfg.Username,
			Message: "the server offers no MD5 challenge login (" + why + "); set the login method to plain, preferably with TLS"}
	}
	return "", fmt.Errorf("%w: %s", errNoChallenge, why)
}

// md5Key is the Key of an MD5 login: the lower-case hex MD5 of the
// challenge followed by the secret, as Asterisk's manager.c computes it.
func md5Key(challenge, secret string) string {
	sum := md5.Sum([]byte(challenge + secret))
	return hex.EncodeToString(sum[:])
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &te) && te.Timeout())
}
