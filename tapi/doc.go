// Package tapi is the call model of CallDocket: the raw [Event]s that call
// sources (SIP dialog watcher, softphone hook, Windows TAPI, Asterisk AMI,
// the sandbox simulator) report, the [Source] contract they implement, and the
// [Tracker] that folds those events into one [Call] per real phone call, with
// repeats dropped, out-of-order events ignored and durations computed. The
// tracker also merges one call reported by two sources, ignores internal
// calls between extensions, keeps simultaneous calls apart, and ends calls
// left ringing ([Tracker.Expire]). Text messages are [Message]s; they
// bypass the tracker.
//
// Providers live in sub-packages (tapi/hook, tapi/sip, tapi/ami,
// tapi/wintapi, tapi/sim). Package tapi
// imports only the standard library and never Fyne, clio or queue; what a
// call source observes reaches the rest of the program through the emit
// callback of [Source.Run] and the return values of [Tracker.Apply].
package tapi
