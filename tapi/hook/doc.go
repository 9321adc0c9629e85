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
//
// Text messages use the same endpoint: a Request with Kind "sms" and Text
// becomes a tapi.Message ([Request.SMS]), delivered through
// [Server.RunMessages], separately from call events (which go to
// [Server.Run]); calldocket://message?number=…&text=… is its URL form.
//
// [ActionServer] is the optional desk-phone source: plain HTTP GETs of the
// form /event?state=ringing&number=$remote&id=$call_id&token=… that Yealink,
// Snom and similar phones send as "action URLs" ([ParseActionQuery]). It is
// off unless the app creates one with a configured address and token. It
// listens on 127.0.0.1 unless an address says otherwise
// ([ActionListenAddr]); its token must be the phones' own (they send it in
// clear text), and refused requests are logged once, then counted in one
// line a minute.
//
// [Register] and [Unregister] install the calldocket:// scheme for the
// current user: registry keys under HKCU\Software\Classes on Windows, a
// .desktop file plus xdg-mime on Linux; on macOS the app bundle's
// Info.plist declares it (packaging/macos/Info.plist).
package hook
