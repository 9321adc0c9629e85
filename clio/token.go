package clio

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"
)

// TokenHTTPClient returns an HTTP client that sends token as an OAuth 2
// bearer token on every request. ctx only supplies the base client (see
// oauth2.HTTPClient); it is not kept for requests. The token is never
// refreshed: on a 401 the caller refreshes it and builds a new client.
// https://docs.developers.clio.com/api-docs/authorization
func TokenHTTPClient(ctx context.Context, token string) *http.Client {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})
	return oauth2.NewClient(ctx, ts)
}
