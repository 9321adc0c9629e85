// Package ami is the Asterisk Manager Interface call source. It logs in to
// an Asterisk (or FreePBX) manager port with `Events: call`, reads the event
// stream, and reports the calls of one extension as tapi.Events.
//
// The stream is a sequence of frames, each "Key: Value" lines ended by a
// blank line; [Reader] reassembles them across arbitrary TCP read
// boundaries. The source maps Newchannel, Newstate, NewConnectedLine,
// DialBegin, DialEnd and Hangup on the extension's own channels
// ("PJSIP/201-0000002a" for extension 201; Local/ channels are ignored):
//
//   - ringing: the channel rings (Newstate Ringing, or DialBegin with it as
//     the destination: inbound), or it dials out (Newchannel or Newstate
//     Ring, or DialBegin with it as the origin: outbound);
//   - answered: Newstate Up, or DialEnd with DialStatus ANSWER;
//   - ended: Hangup.
//
// The remote number is ConnectedLineNum (inbound, or the caller's
// CallerIDNum in DialBegin) or the dialed Exten (outbound); the call id is
// "ami-" followed by the Linkedid, which survives transfers. The source
// pings the server every 30 s and reconnects with backoff when the
// connection drops; a refused login ends Run with an *AuthError.
package ami
