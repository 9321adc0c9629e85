// Package ipc is how the command line (and softphone hooks) talk to the
// running tray app: HTTP on 127.0.0.1, every request carrying a per-user
// bearer secret. The app's address and the secret are kept in an endpoint
// file (0600) in the data folder; the secret is created once per user
// (LoadSecret). Desk phones get a token of their own (LoadActionToken,
// RegenerateActionToken): they send it in clear text, so it must never be
// the secret that unlocks the app.
//
// The client side is FindRunning (ErrNotRunning when no app answers) and
// Call; the app side is Listen, which checks the secret in constant time,
// and WriteJSON. The wire types the CLI and the app share live here too:
// Status, SettingChange, CallsChanged and the Path constants.
package ipc
