// Package auth signs CallDocket in to Clio Manage with OAuth 2 and keeps
// the tokens fresh.
//
// Login runs the authorization-code flow in the system browser: a loopback
// listener on 127.0.0.1 (a fixed port, 53682 by default, path /callback)
// receives Clio's redirect, checks the random state, and exchanges the code
// at /oauth/token. NewHTTPClient returns an *http.Client that sends the
// access token, refreshes it shortly before it expires and once after a 401
// invalid_token, and saves every refreshed token through a TokenStore. When
// the refresh is refused the error is a *clio.AuthError: the app asks the
// user to sign in again while calls keep queueing. Revoke ends the grant
// at /oauth/deauthorize. OpenBrowser is the usual open function for Login:
// it hands only http(s) URLs to $BROWSER or the OS opener, never through a
// shell.
//
// The package never stores anything itself: TokenStore is implemented by
// the app on top of the OS keychain.
// https://docs.developers.clio.com/api-docs/authorization
package auth
