// Command clio-emulator serves the Clio Manage API v4 emulator (package
// clio/fake) with the sample firm, for other processes and manual testing.
//
//	clio-emulator -addr 127.0.0.1:0 -token T [-rate N -window 60s] [-lenient]
//	              [-state FILE] [-faults SPEC] [-seed N]
//	              [-client-id ID -client-secret S -redirect-uri URI] [-token-ttl 720h]
//	              [-ignore-external-filter]
//
// The first line on stdout is "listening http://127.0.0.1:PORT". SIGTERM or
// SIGINT stops the server and writes the state file. -faults takes the
// syntax of fake.ParseFaults, e.g. "reset,p=0.1;commit-then-drop,p=0.1".
// It only listens on loopback addresses. -ignore-external-filter (default
// from CALLDOCKET_FAKE_IGNORE_EXTERNAL_FILTER) serves lists that ignore the
// external_property filters, unrelated records first (see
// fake.Options.IgnoreExternalFilter).
//
// With -token set, the rules can be changed while it runs (e.g. to make
// Clio "come back"): PUT /_emulator/faults with a ParseFaults spec as the
// body replaces them, DELETE /_emulator/faults clears them; both need
// "Authorization: Bearer <token>" and answer 204.
package main
