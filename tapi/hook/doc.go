// Package hook is the "screen-pop hook" call source: the loopback HTTP
// listener that the `calldocket event` command, the calldocket:// URL scheme
// and softphone hooks (MicroSIP's cmdIncomingCall and friends) feed.
//
// A [Request] is what a hook says about a call (state, number, name, id,
// direction) before validation; [ParseURL] reads one from a
// calldocket://call?… URL and [Request.Event] turns it into a tapi.Event.
// [Server] accepts requests on POST /v1/event with a per-user bearer secret
// and implements tapi.Source; [Post] is the client the CLI uses to reach the
// running app.
package hook
