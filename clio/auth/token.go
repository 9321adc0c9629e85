package auth

import (
	"context"
	"errors"
	"time"

	"golang.org/x/oauth2"
)

// Token is what a sign-in yields, stored as one JSON secret: the tokens,
// when the access token expires and the Clio region they belong to.
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	// Region is the clio.Region code ("US", "EU", "CA", "AU").
	Region string `json:"region"`
	// ClientID is the developer application the token was issued to; a
	// refresh must use the same one. It is not a secret.
	ClientID string `json:"client_id,omitempty"`
}

// TokenStore keeps the token between runs (the app's is the OS keychain).
// Load returns ErrNoToken (possibly wrapped) when nothing is stored.
type TokenStore interface {
	Load(ctx context.Context) (*Token, error)
	Save(ctx context.Context, t *Token) error
	Delete(ctx context.Context) error
}

// ErrNoToken means no token is stored: the user has not signed in.
var ErrNoToken = errors.New("not signed in to clio")

// expiresWithin reports whether the token expires within d of now. A zero
// Expiry means the expiry is unknown and the token is used until Clio
// refuses it.
func (t *Token) expiresWithin(d time.Duration, now time.Time) bool {
	return !t.Expiry.IsZero() && !now.Add(d).Before(t.Expiry)
}

// fromOAuth2 converts a token endpoint answer, taking Region and ClientID
// from prev; an answer without a refresh token keeps prev's, as Clio's
// refresh responses omit it.
func fromOAuth2(ot *oauth2.Token, prev Token) *Token {
	t := &Token{AccessToken: ot.AccessToken, RefreshToken: ot.RefreshToken, Expiry: ot.Expiry,
		Region: prev.Region, ClientID: prev.ClientID}
	if t.RefreshToken == "" {
		t.RefreshToken = prev.RefreshToken
	}
	return t
}
