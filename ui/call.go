package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"
)

// Matter is one Clio matter as the pop shows it.
type Matter struct {
	ID                  int64
	DisplayNumber       string // "00042-Lee"
	Description         string
	Status              string // "Open", "Pending", "Closed"
	ResponsibleAttorney string
	PracticeArea        string
	Reason              string // why it is suggested, if it is
	// ClientID and ClientName name the matter's client when it comes from
	// a search over all matters; 0/"" for a caller's own matters.
	ClientID   int64
	ClientName string
}

// Caller is one Clio contact matched to the call's number.
type Caller struct {
	ContactID    int64
	Name         string
	Company      string
	ClientStatus string // "Active", "Pending", "Past", "Not a client"
	Strength     string // "exact", "national", "weak"
	Reason       string // why it matched
	Matters      []Matter
}

// CallView is everything the pop and the wrap-up card show about one call.
// The phase follows from the times: EndedAt set means ended (wrap-up),
// AnsweredAt set means on the call, otherwise ringing.
type CallView struct {
	CallID            string
	Direction         string // "in" or "out" (tapi.Direction)
	Number            string // formatted for display
	Callers           []Caller
	RingAt            time.Time
	AnsweredAt        time.Time
	EndedAt           time.Time
	SuggestedMatterID int64
	Sandbox           bool
	// CallerIDName is the name the phone network sent, if any; it
	// prefills "Create contact" for an unknown caller.
	CallerIDName string

	// Logged is the missed-call card's status line, as the app knows it:
	// "Logged to Clio as a missed call", "Will be logged when Clio is
	// reachable", "Not logged (missed-call logging is off)".
	Logged string
	// CanCallBack offers "Call back" on the missed-call card.
	CanCallBack bool
	// Declined: the attorney declined the ringing call at the phone (486,
	// 603). The missed-call card then says "Declined" instead of "Missed".
	Declined bool
}

// Decision is the attorney's answer on the wrap-up card.
type Decision string

// Decisions. Nothing on the pop throws a call away: Esc means Later, and
// the app moves the call to the review list.
const (
	DecisionBillable    Decision = "billable"
	DecisionNonBillable Decision = "non-billable"
	DecisionLater       Decision = "later"
)

// WrapUp is what the wrap-up card hands back, once per call.
type WrapUp struct {
	CallID    string
	Decision  Decision
	ContactID int64 // the contact owning the chosen matter, else the first caller, else 0
	MatterID  int64 // 0 when no matter was chosen
	Note      string
	Duration  time.Duration // talk time; 0 for a missed call
	// NotAClient is set when the attorney marked an unknown caller as
	// "Not a client": log without a contact, never create one.
	NotAClient bool
}

// Title is the pop window's title: "<Name> — CallDocket", the number when
// the caller is unknown, and " (Sandbox)" appended in sandbox mode.
func Title(v CallView) string {
	name := ""
	if len(v.Callers) > 0 {
		name = strings.TrimSpace(v.Callers[0].Name)
	}
	if name == "" {
		name = strings.TrimSpace(v.Number)
	}
	if name == "" {
		name = unknownCaller
	}
	t := name + " — CallDocket"
	if v.Sandbox {
		t += " (Sandbox)"
	}
	return t
}

const unknownCaller = "Unknown caller"

// callPhase is where a call is, derived from a CallView's times.
type callPhase int

const (
	phaseRinging callPhase = iota
	phaseActive
	phaseEnded
)

func phaseOf(v CallView) callPhase {
	switch {
	case !v.EndedAt.IsZero():
		return phaseEnded
	case !v.AnsweredAt.IsZero():
		return phaseActive
	default:
		return phaseRinging
	}
}

// missed reports whether the call ended without being answered.
func missed(v CallView) bool { return !v.EndedAt.IsZero() && v.AnsweredAt.IsZero() }

// missedInbound reports whether the call is a missed call: inbound, ended,
// never answered. Its card is the compact missed-call card.
func missedInbound(v CallView) bool { return missed(v) && !outbound(v.Direction) }

// missedWord is how the missed-call card names the call: "Declined" when
// the attorney declined it at the phone, else "Missed".
func missedWord(v CallView) string {
	if v.Declined {
		return "Declined"
	}
	return "Missed"
}

// outbound reports whether dir ("out" and its spellings) is an outgoing call.
func outbound(dir string) bool {
	switch strings.ToLower(strings.TrimSpace(dir)) {
	case "out", "outgoing", "outbound":
		return true
	}
	return false
}

// talkTime is the answered-to-ended duration rounded to whole seconds, as
// the ledger, the outbox and the Time Entry round it, never negative.
func talkTime(v CallView) time.Duration {
	if v.AnsweredAt.IsZero() || v.EndedAt.IsZero() || v.EndedAt.Before(v.AnsweredAt) {
		return 0
	}
	return v.EndedAt.Sub(v.AnsweredAt).Round(time.Second)
}

// directionLabel is "Outgoing call" for "out" (and its spellings), else "Incoming call".
func directionLabel(dir string) string {
	if outbound(dir) {
		return "Outgoing call"
	}
	return "Incoming call"
}

// clientBadge turns a directory client status into badge text and an
// importance (colour). The text always carries the meaning on its own.
func clientBadge(status string) (string, widget.Importance) {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "active":
		return "Active client", widget.SuccessImportance
	case "pending":
		return "Pending client", widget.WarningImportance
	case "past":
		return "Past client", widget.MediumImportance
	case "", "not a client", "none":
		return "Not a client", widget.MediumImportance
	default:
		return status, widget.MediumImportance
	}
}

// clock formats a running call time as "02:15", or "1:02:15" past an hour.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// duration formats a finished call's length as "4:12", or "1:02:15".
func duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// matterLabel is "00042-Lee · Lease dispute".
func matterLabel(m Matter) string {
	num, desc := strings.TrimSpace(m.DisplayNumber), strings.TrimSpace(m.Description)
	switch {
	case num == "":
		return desc
	case desc == "":
		return num
	default:
		return num + " · " + desc
	}
}

// joinNonEmpty joins the non-empty parts with " · ".
func joinNonEmpty(parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " · ")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
