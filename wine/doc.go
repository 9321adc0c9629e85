// Package wine tests the Windows build of CallDocket under Wine, from this
// Linux machine: the cross-built calldocket.exe (make windows) and, when
// given, its MSI (make msi), each test in its own throwaway WINEPREFIX with
// a Windows user whose name has a space and a non-ASCII letter.
//
// The tests carry the build tag wine and run with `make test-windows` (part
// of `make test`), under the same Xvfb and D-Bus wrapper as the e2e tests:
//
//	go test -tags wine ./wine/ -args -exe dist/calldocket-windows-amd64.exe [-msi dist/CallDocket-V-x64.msi] [-screenshots DIR]
//
// They live apart from e2e because they drive a different binary through a
// different runner (wine, a prefix per test) and need none of e2e's Linux
// peers; the Clio emulator is shared, served in-process on 127.0.0.1 as in
// e2e. A missing Wine fails the run: it never skips.
package wine
