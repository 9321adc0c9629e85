// Package wintapi is the Windows TAPI 2.x call source: it watches one
// telephony line through the vendor's TAPI service provider (3CX Dialer,
// Avaya, Mitel, Unify, Panasonic, estos and other TSPs) and reports its
// calls as tapi.Events.
//
// The Windows side (source_windows.go) loads tapi32.dll with
// golang.org/x/sys/windows, no cgo: lineInitializeExW with the event-handle
// notification mechanism, lineNegotiateAPIVersion and lineGetDevCapsW to
// pick the line by name or index, lineOpenW with monitor privilege, then a
// loop over lineGetMessage that handles LINE_APPNEWCALL, LINE_CALLSTATE,
// LINE_CALLINFO and LINE_CLOSE (the line is reopened with backoff).
//
// Everything that does not need Windows is platform-neutral and tested on
// every OS: DecodeCallInfo and DecodeLineName read the LINECALLINFO and
// LINEDEVCAPS buffers (variable-length structures with UTF-16 strings at
// offset/size pairs), and the call mapper turns TAPI call states into
// ringing/answered/ended events. On other systems New returns
// ErrUnsupported.
//
// Status: beta. The buffer layouts follow the Windows SDK headers (see the
// offsets in decode.go); they have not been checked against a live TSP.
package wintapi
