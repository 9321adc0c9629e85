package wintapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/calldocket/calldocket/tapi"
)

// Errors of the TAPI source.
var (
	// ErrUnsupported is returned by New and Lines on systems other than
	// Windows.
	ErrUnsupported = errors.New("Windows TAPI is only available on Windows")
	// ErrLineNotFound: no line matches Config.Line, or there is no line.
	ErrLineNotFound = errors.New("TAPI line not found")
)

// Config chooses the TAPI line to watch.
type Config struct {
	// Line is the line to open: its index in the TAPI device list
	// ("0", "1", …), or a case-insensitive part of its name as Lines
	// reports it ("3CX", "Line 201"). Empty means the first line that
	// opens.
	Line string
	// AppName is the friendly application name TAPI shows; empty means
	// "CallDocket".
	AppName string
	// MinBackoff and MaxBackoff bound the wait before reopening a line that
	// closed or failed; zero means 1 s and 1 min.
	MinBackoff, MaxBackoff time.Duration
	// OnLink, if set, is told when the line opens and when it is lost or
	// cannot be opened (with TAPI's error), so the app can say "Phone link
	// down" and Settings → Test connection can show the real error.
	OnLink tapi.LinkFunc
}

// Line is one TAPI line device.
type Line struct {
	Index      uint32 // the device id, usable as Config.Line
	Name       string // the provider's line name
	APIVersion uint32 // the negotiated TAPI version, e.g. 0x00020002
}

// LineError is a TAPI function that returned a LINEERR_* code.
type LineError struct {
	Func string // e.g. "lineOpenW"
	Code uint32 // the LINEERR_* value, e.g. 0x80000048
}

func (e *LineError) Error() string {
	return e.Func + " failed: " + lineErrName(e.Code)
}

func lineErrName(code uint32) string {
	names := map[uint32]string{
		0x80000001: "LINEERR_ALLOCATED",
		0x80000002: "LINEERR_BADDEVICEID",
		0x80000012: "LINEERR_INCOMPATIBLEAPIVERSION",
		0x80000018: "LINEERR_INUSE",
		0x8000001C: "LINEERR_INVALCALLHANDLE",
		0x80000022: "LINEERR_INVALLINEHANDLE",
		0x80000044: "LINEERR_NODEVICE",
		0x80000045: "LINEERR_NODRIVER",
		0x80000046: "LINEERR_NOMEM",
		0x80000048: "LINEERR_OPERATIONFAILED",
		0x8000004B: "LINEERR_REINIT",
		0x8000004D: "LINEERR_STRUCTURETOOSMALL",
		0x80000050: "LINEERR_UNINITIALIZED",
		0x80000051: "LINEERR_OPERATIONUNAVAIL",
	}
	if n, ok := names[code]; ok {
		return n
	}
	return "LINEERR 0x" + hex32(code)
}

func hex32(v uint32) string {
	const digits = "0123456789ABCDEF"
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = digits[v&0xF]
		v >>= 4
	}
	return string(b[:])
}

// backoff is the wait before the attempt-th reopen (0-based): doubling from
// lo, capped at hi.
func backoff(attempt int, lo, hi time.Duration) time.Duration {
	if lo <= 0 {
		lo = time.Second
	}
	if hi <= 0 {
		hi = time.Minute
	}
	d := lo
	for range attempt {
		d *= 2
		if d >= hi {
			return hi
		}
	}
	return min(d, hi)
}

// pick chooses the line Config.Line names.
func pick(lines []Line, want string) (Line, error) {
	want = strings.TrimSpace(want)
	if len(lines) == 0 {
		return Line{}, ErrLineNotFound
	}
	if want == "" {
		return lines[0], nil
	}
	if n, err := strconv.ParseUint(want, 10, 32); err == nil {
		for _, l := range lines {
			if l.Index == uint32(n) {
				return l, nil
			}
		}
	}
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l.Name), strings.ToLower(want)) {
			return l, nil
		}
	}
	return Line{}, fmt.Errorf("%w: %q", ErrLineNotFound, want)
}
