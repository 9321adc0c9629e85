// Package ami is the Asterisk Manager Interface call source. It logs in to
// an Asterisk (or FreePBX) manager port with `Events: call`, reads the event
// stream, and reports the calls of one extension as tapi.Events.
//
// The login proves the secret by MD5 challenge (Action: Challenge, then
// Login with Key = md5hex(challenge + secret)) unless Config.Auth says
// plain; the automatic default falls back to the plain secret only for a
// server that offers no challenge. With Config.TLS the connection is TLS
// (Asterisk's tlsenable, port 5039), verified against the system roots or
// Config.CAFile.
//
// The stream is a sequence of frames, each "Key: Value" lines ended by a
// blank line; [Reader] reassembles them across arbitrary TCP read
// boundaries. The source maps Newchannel, Newstate, NewConnectedLine,
// DialBegin, DialEnd and Hangup on the extension's own channels
// ("PJSIP/201-0000002a" for extension 201; Local/ channels are ignored,
// the device channel they dial is what counts):
//
//   - ringing in: a Dial reaches the channel (DialBegin with it as the
//     destination) and its device alerts (Newstate Ringing; for a device
//     that answers 183 instead of 180, DialState PROGRESS or a dial that
//     runs to NOANSWER or CANCEL); a channel that is dialled but never
//     alerts (busy, offline, a queue member in use) reports nothing;
//   - ringing out: the channel dials (DialBegin with it as the origin);
//     dialplan alone (voicemail, feature codes) reports nothing;
//   - answered: Newstate Up, or DialEnd with DialStatus ANSWER; a channel
//     that is already up when a Dial reaches it picked the call up (the
//     Pickup application, or a SIP INVITE with Replaces) and reports an
//     answered inbound call from the caller;
//   - ended: Hangup, for a channel that reported anything.
//
// The remote number is ConnectedLineNum (inbound, or the caller's
// CallerIDNum in DialBegin) or the number dialled (the channel's Exten when
// it started, else the DialString); the call id is "ami-" followed by the
// Linkedid, which survives transfers. testdata/ holds recorded Asterisk
// transcripts (ring groups, queues, transfers, pickups, Local channels),
// each naming its source, that the tests replay. The source pings the
// server every 30 s and reconnects with backoff when the connection drops;
// a refused login ends Run with an *AuthError, an untrusted TLS certificate
// with a *CertError.
package ami
