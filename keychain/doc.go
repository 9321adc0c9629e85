// Package keychain keeps CallDocket's secrets in the OS keychain (Secret
// Service, macOS Keychain, Windows Credential Manager) through go-keyring:
// the Clio token (as one JSON secret, see TokenStore, which implements
// auth.TokenStore), the Clio developer application's client secret and the
// call sources' passwords, each under its Account constant in one
// namespaced Service.
//
// Every call has a timeout (the keychain can hang on an unlock prompt
// nobody sees) and failures map onto typed errors: ErrNotFound,
// ErrNoKeychain, ErrLocked, ErrTimeout. There is no plaintext fallback:
// without a keychain, nothing is stored.
package keychain
