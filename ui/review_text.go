package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// reviewSegments are an entry's lines: who, what, its state in plain
// words, why it is here, and a delivery error in plain words with the raw
// text under it. A discarded entry is greyed.
func reviewSegments(it ReviewItem) []widget.RichTextSegment {
	who := strings.TrimSpace(it.Who)
	if who == "" {
		who = unknownCaller
	}
	when := ""
	if !it.When.IsZero() {
		when = it.When.Format("Mon 2 Jan 15:04")
	}
	dur := ""
	switch {
	case it.DurationUnknown:
		dur = "duration unknown"
	case it.Duration > 0:
		dur = duration(it.Duration)
	}
	billable := "Non-billable"
	switch {
	case !isCall(it):
		billable = "" // nothing to bill
	case it.Billable:
		billable = "Billable"
	}
	stateText, stateColor := stateLabel(it.State)
	reason := strings.TrimSpace(it.Reason)
	if it.State == StateFailed {
		stateText = refusal(it)
		reason = "" // it is the refusal
	}

	fg, muted := theme.ColorNameForeground, theme.ColorNameDisabled
	if it.State == StateDiscarded {
		fg, stateColor = muted, muted
	}
	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: joinNonEmpty(who, it.Number), Style: paragraph(fg, true)},
		&widget.TextSegment{Text: joinNonEmpty(kindLabel(it.Kind), when, dur, billable, it.Matter), Style: paragraph(fg, false)},
	}
	if n := strings.TrimSpace(it.Note); n != "" {
		segs = append(segs, &widget.TextSegment{Text: "Note: " + n, Style: paragraph(fg, false)})
	}
	segs = append(segs, &widget.TextSegment{Text: stateText, Style: paragraph(stateColor, true)})
	if reason != "" {
		segs = append(segs, &widget.TextSegment{Text: capitalize(reason), Style: paragraph(fg, false)})
	}
	if raw := strings.TrimSpace(it.Error); raw != "" && it.State != StateDelivered && it.State != StateDiscarded {
		plainColor := fg
		if it.State == StateFailed {
			plainColor = theme.ColorNameError
		}
		segs = append(segs, &widget.TextSegment{Text: PlainError(raw), Style: paragraph(plainColor, false)})
		if it.State != StateFailed || strings.TrimSpace(it.Reason) != "" {
			segs = append(segs, &widget.TextSegment{Text: "Details: " + raw, Style: paragraph(muted, false)})
		}
	}
	return segs
}

// refusal is a failed entry's state line: "Clio refused: <reason>", the
// reason being Clio's refusal as the app words it, else the raw error.
func refusal(it ReviewItem) string {
	why := strings.TrimSpace(it.Reason)
	if why == "" {
		why = strings.TrimSpace(it.Error)
	}
	if why == "" {
		return "Clio refused this entry"
	}
	return "Clio refused: " + why
}

// capitalize upper-cases the first letter: "not confirmed…" → "Not confirmed…".
func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// paragraph is a RichText style for a line of its own.
func paragraph(color fyne.ThemeColorName, bold bool) widget.RichTextStyle {
	return widget.RichTextStyle{
		ColorName: color,
		SizeName:  theme.SizeNameText,
		TextStyle: fyne.TextStyle{Bold: bold},
	}
}

// reviewCounts are the review list's totals by what they wait for.
type reviewCounts struct{ deciding, delivering, failed, missed, declined int }

// String is the list's count line: "2 waiting for your decision · 1
// waiting to reach Clio · 1 refused by Clio · 1 missed call not logged",
// or "Nothing waiting".
func (n reviewCounts) String() string {
	var parts []string
	if n.deciding > 0 {
		parts = append(parts, strconv.Itoa(n.deciding)+" waiting for your decision")
	}
	if n.delivering > 0 {
		parts = append(parts, strconv.Itoa(n.delivering)+" waiting to reach Clio")
	}
	if n.failed > 0 {
		parts = append(parts, strconv.Itoa(n.failed)+" refused by Clio")
	}
	switch {
	case n.missed == 1:
		parts = append(parts, "1 missed call not logged")
	case n.missed > 1:
		parts = append(parts, strconv.Itoa(n.missed)+" missed calls not logged")
	}
	switch {
	case n.declined == 1:
		parts = append(parts, "1 declined call not logged")
	case n.declined > 1:
		parts = append(parts, strconv.Itoa(n.declined)+" declined calls not logged")
	}
	if len(parts) == 0 {
		return "Nothing waiting"
	}
	return strings.Join(parts, " · ")
}

// kindLabel is the record kind in words.
func kindLabel(kind string) string {
	switch kind {
	case KindCall, "":
		return "Call"
	case KindMissed:
		return "Missed call"
	case KindRejected:
		return "Declined call"
	case KindSMS:
		return "Text message"
	case KindFax:
		return "Fax"
	default:
		return kind
	}
}

// stateLabel is a ledger state in plain words, with a colour that only
// repeats it. A failed entry's line names Clio's reason (see refusal).
func stateLabel(state string) (string, fyne.ThemeColorName) {
	switch state {
	case StateLater, StateAwaitingDecision:
		return "Waiting for your decision", theme.ColorNameWarning
	case StateMissed:
		return "Missed — not logged", theme.ColorNameForeground
	case StateRejected:
		return "Declined — not logged", theme.ColorNameForeground
	case StateQueued:
		return "Waiting to reach Clio", theme.ColorNameForeground
	case StateDelivered:
		return "In Clio", theme.ColorNameSuccess
	case StateFailed:
		return "Clio refused this entry", theme.ColorNameError
	case StateDiscarded:
		return "Discarded", theme.ColorNameDisabled
	case StateRinging:
		return "Ringing", theme.ColorNamePrimary
	case StateAnswered:
		return "On the call", theme.ColorNamePrimary
	default:
		return state, theme.ColorNameForeground
	}
}

// ErrDuration explains a call duration the editor cannot read.
var ErrDuration = errors.New("enter how long the call lasted, like 4:12, 4m12s or 252 (seconds)")

// maxCallDuration bounds a typed duration: no call lasts a day.
const maxCallDuration = 24 * time.Hour

// ParseCallDuration reads a call's length as the attorney types it:
// "4:12" (minutes:seconds), "1:02:15" (hours:minutes:seconds), "4m12s"
// (Go style), or "252" (seconds). It must be more than 0 and under 24 h.
func ParseCallDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrDuration
	}
	var d time.Duration
	switch {
	case strings.Contains(s, ":"):
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, ErrDuration
		}
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || len(p) == 0 || (i > 0 && (n > 59 || len(p) != 2)) || n > 24*60 {
				return 0, ErrDuration
			}
			d = d*60 + time.Duration(n)
		}
		d *= time.Second
	case isDigits(s):
		n, err := strconv.Atoi(s)
		if err != nil || n > int(maxCallDuration/time.Second) {
			return 0, ErrDuration
		}
		d = time.Duration(n) * time.Second
	default:
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, ErrDuration
		}
	}
	if d = d.Truncate(time.Second); d <= 0 || d >= maxCallDuration {
		return 0, ErrDuration
	}
	return d, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
