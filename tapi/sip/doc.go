// Package sip is the SIP call source of CallDocket: a [Watcher] that
// subscribes to the RFC 4235 dialog event package ("Event: dialog") of the
// attorney's address of record on the firm's PBX, and turns the
// application/dialog-info+xml documents the PBX NOTIFYs into [tapi.Event]s
// (Source "sip").
//
// The Watcher speaks UDP, TCP or TLS, answers digest challenges (401/407)
// and refreshes the subscription before it expires (Config.Expires, 600 s
// by default). It is never blind for long after a PBX restart: an OPTIONS
// keep-alive every 3 s notices an outage (no answer in 2 s, a refused or
// re-made connection), a refresh at least every 8 s notices a PBX that
// restarted between two keep-alives (it answers 481), and a 481 to any
// request means "subscribe again now". While the PBX does not answer, the
// watcher probes it with OPTIONS (every 0.5 s, backing off to 3 s) and
// subscribes as soon as it answers; other failures are retried with
// jittered exponential backoff. Config.OnLink hears the link go down at
// each loss and up with each accepted subscription. [ParseDialogInfo] copes with what real PBXs send (see
// ../shared/telephony/NOTES.md §3): an empty first NOTIFY, full-state
// documents that repeat terminated dialogs, "Trying" in capitals, and
// per-subscription version numbers. The Watcher keeps the state of every
// dialog so that repeats emit nothing.
//
// Mapping: trying, proceeding and early are ringing; confirmed is answered;
// terminated is ended. direction="initiator" is an outbound call,
// "recipient" an inbound one. The event's CallID is the dialog's call-id
// (the SIP Call-ID, shared with softphones), or its id when the PBX omits
// the call-id.
//
// Why a call ended comes from the terminated state's event and code
// attributes (RFC 4235 §3.7.1): event="rejected" or "declined", or code
// 486, 600 or 603, is a call declined at the phone (tapi.EndRejected).
// Stock Kamailio's pua_dialoginfo sends neither attribute, so there a
// declined call cannot be told from a cancelled one and stays missed.
//
// The end-to-end tests start a real Kamailio, baresip and sipp on
// 127.0.0.1. A missing binary fails them with the Debian package to
// install, unless CALLDOCKET_NO_SIP_PEERS=1 is set, which skips them.
package sip
