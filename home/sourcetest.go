package home

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/calldocket/calldocket/settings"
	"github.com/calldocket/calldocket/tapi/sip"
	"github.com/calldocket/calldocket/tapi/wintapi"
)

// linkGrace is how long a "not connected" line waits, so that a failure
// that stops the source (a wrong password, say) is told once, explained.
const linkGrace = 200 * time.Millisecond

// SourceTest turns what a call source reports during Settings → Test
// connection into lines for its log: connected, not connected (and why),
// stopped (explained). Methods may be called from any goroutine.
type SourceTest struct {
	emit func(line string)

	mu      sync.Mutex
	last    string // the last link line, so repeats are dropped
	pending *time.Timer
	done    bool
}

// NewSourceTest returns a SourceTest writing to emit.
func NewSourceTest(emit func(line string)) *SourceTest { return &SourceTest{emit: emit} }

// ReportsLink says whether the source keyed by a settings.Source* value
// reports its connection (so the test waits for it before saying it
// listens).
func ReportsLink(source string) bool {
	return source == settings.SourceSIP || source == settings.SourceAMI || source == settings.SourceTAPI
}

// Link is the source's tapi.LinkFunc.
func (t *SourceTest) Link(up bool, why string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	if t.pending != nil {
		t.pending.Stop()
		t.pending = nil
	}
	line := "Connected: listening for calls… ring your phone."
	if !up {
		line = "Not connected: " + sentence(why) + " Trying again…"
	}
	if line == t.last {
		return
	}
	if up {
		t.last = line
		t.emit(line)
		return
	}
	t.pending = time.AfterFunc(linkGrace, func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.done || t.pending == nil {
			return
		}
		t.pending = nil
		t.last = line
		t.emit(line)
	})
}

// Stopped is told how the source's Run returned; err is nil or a
// cancellation when the test was stopped.
func (t *SourceTest) Stopped(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done = true
	if t.pending != nil {
		t.pending.Stop()
		t.pending = nil
	}
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	t.emit("Stopped: " + ExplainSourceError(err))
}

// ExplainSourceError says what a call source's error means and what to
// do, in one line.
func ExplainSourceError(err error) string {
	var se *sip.StatusError
	if errors.As(err, &se) {
		code := " (" + strings.TrimSpace(strconv.Itoa(se.StatusCode)+" "+se.Reason) + ")"
		switch se.StatusCode {
		case 401, 407:
			if errors.Is(se, sip.ErrNoPassword) {
				return "The PBX asks for a password" + code + ": enter the SIP password and test again."
			}
			return "The PBX refused the user name or password" + code + ": check them and test again."
		case 403:
			return "The PBX refused the subscription" + code + ": check the user and the address (AOR), or ask the PBX administrator to allow watching it."
		case 404:
			return "The PBX does not know this address" + code + ": check the address (AOR)."
		case 489:
			return "The PBX does not offer call events (BLF)" + code + ": turn on dialog/BLF subscriptions on the PBX."
		}
		return sentence(se.Error())
	}
	var na *sip.NoAnswerError
	if errors.As(err, &na) {
		return sentence(na.Error()) + " Check the server, port and transport, and that the PBX is running."
	}
	var te *sip.TransportError
	if errors.As(err, &te) {
		return sentence(te.Error()) + " Check the server, port and transport."
	}
	switch {
	case err == wintapi.ErrLineNotFound: // no line at all
		return "This computer has no TAPI line: install your phone system's TAPI driver (TSP), restart CallDocket and test again, or choose another call source."
	case errors.Is(err, wintapi.ErrLineNotFound):
		return sentence(err.Error()) + " Choose one of the lines your phone system's TAPI driver lists, or leave the line empty for the first one."
	}
	var le *wintapi.LineError
	if errors.As(err, &le) {
		return "TAPI refused (" + le.Error() + "): check that your phone system's TAPI driver (TSP) is installed and running, then test again."
	}
	return sentence(err.Error())
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "…") {
		s += "."
	}
	return s
}
