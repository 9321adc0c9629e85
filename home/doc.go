// Package home is what the tray app (package app) and the command line
// (package cli) share about CallDocket on this machine: where its files are
// (Paths, CALLDOCKET_HOME), the settings and the logger of a command
// (Setup, NewLogger), the tray app's log rotated by size (OpenLog), which Clio it talks to (Mode, OpenBackend: a real
// account through the keychain, a token from the environment, or the
// Sandbox emulator), the Clio sign-in (ConnectClio, SignOut,
// ClioFromKeychain), the stores and the call core on them (OpenCore,
// OpenDirectory), and the call sources the settings turn on
// (ConfiguredSources; the desk phones get their own token, never the IPC
// secret).
//
// It never imports Fyne: the windowing is app's.
package home
