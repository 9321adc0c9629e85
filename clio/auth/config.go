package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/calldocket/calldocket/clio"
	"golang.org/x/oauth2"
)

// Defaults for the loopback redirect. The firm registers
// http://127.0.0.1:53682/callback as the redirect URI of its Clio
// developer application.
const (
	DefaultRedirectPort = 53682
	DefaultRedirectPath = "/callback"
)

// Config says which Clio to sign in to and as which developer application.
type Config struct {
	// Region is the Clio region; the token is tied to it.
	Region clio.Region
	// BaseURL, when set, replaces the region's hosts (API under
	// BaseURL+"/api/v4/", OAuth under BaseURL+"/oauth/"), e.g. the value of
	// CALLDOCKET_CLIO_URL or a local emulator.
	BaseURL string
	// ClientID and ClientSecret are the firm's Clio developer application's
	// App Key and App Secret.
	ClientID, ClientSecret string
	// RedirectPort is the loopback port of the redirect URI; 0 means 53682.
	RedirectPort int
	// RedirectPath is the path of the redirect URI; "" means "/callback".
	RedirectPath string
	// HTTPClient sends the token, refresh and revoke requests, and its
	// Transport carries API requests; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// ErrConfig marks a Config that cannot work (missing client ID, bad URL).
var ErrConfig = errors.New("invalid clio sign-in settings")

// APIBase is the base URL to pass to clio.NewClient.
func (c Config) APIBase() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	return c.Region.APIBase
}

// OAuthBase is the base of /authorize, /token and /deauthorize.
func (c Config) OAuthBase() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/") + "/oauth"
	}
	return c.Region.OAuthBase
}

// RedirectURI is the redirect URI to register with Clio, e.g.
// "http://127.0.0.1:53682/callback".
func (c Config) RedirectURI() string {
	return "http://" + c.redirectAddr() + c.redirectPath()
}

func (c Config) redirectPort() int {
	if c.RedirectPort == 0 {
		return DefaultRedirectPort
	}
	return c.RedirectPort
}

func (c Config) redirectPath() string {
	if c.RedirectPath == "" {
		return DefaultRedirectPath
	}
	if !strings.HasPrefix(c.RedirectPath, "/") {
		return "/" + c.RedirectPath
	}
	return c.RedirectPath
}

func (c Config) redirectAddr() string {
	return "127.0.0.1:" + strconv.Itoa(c.redirectPort())
}

func (c Config) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

// check reports settings that cannot work. Plain http is accepted only for
// loopback hosts (an emulator), as clio.NewClient does.
func (c Config) check() error {
	if strings.TrimSpace(c.ClientID) == "" {
		return fmt.Errorf("%w: the Clio client ID (App Key) is missing", ErrConfig)
	}
	if c.RedirectPort < 0 || c.RedirectPort > 65535 {
		return fmt.Errorf("%w: redirect port %d is out of range", ErrConfig, c.RedirectPort)
	}
	base := c.OAuthBase()
	if base == "" {
		return fmt.Errorf("%w: no Clio region", ErrConfig)
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: Clio URL %q is not a URL", ErrConfig, base)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return fmt.Errorf("%w: Clio URL %q must use https", ErrConfig, base)
		}
	default:
		return fmt.Errorf("%w: Clio URL %q is not http(s)", ErrConfig, base)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// oauth2Config is the x/oauth2 view of c. Clio wants client_id and
// client_secret in the form body.
func (c Config) oauth2Config() *oauth2.Config {
	base := c.OAuthBase()
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  c.RedirectURI(),
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/authorize",
			TokenURL:  base + "/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}
