package sip

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/calldocket/calldocket/tapi"
)

// Limits that keep a hostile or broken document from using much memory.
const (
	maxDocumentSize = 1 << 20 // bytes of dialog-info XML accepted
	maxDialogs      = 1000    // <dialog> elements kept per document
)

// Document states (the state attribute of <dialog-info>, RFC 4235 §4.1).
const (
	DocumentFull    = "full"    // the document lists every dialog of the entity
	DocumentPartial = "partial" // the document lists only dialogs that changed
)

// Dialog states (the <state> element, RFC 4235 §3.7.1), in lower case.
const (
	DialogTrying     = "trying"
	DialogProceeding = "proceeding"
	DialogEarly      = "early"
	DialogConfirmed  = "confirmed"
	DialogTerminated = "terminated"
)

// Dialog directions (the direction attribute of <dialog>).
const (
	DirectionInitiator = "initiator" // the watched entity placed the call
	DirectionRecipient = "recipient" // the watched entity received the call
)

// ErrMalformedDialogInfo is wrapped by ParseDialogInfo for a body that is not
// a usable application/dialog-info+xml document.
var ErrMalformedDialogInfo = errors.New("malformed dialog-info document")

// DialogInfo is one application/dialog-info+xml document (RFC 4235).
type DialogInfo struct {
	// Version is the document version. It counts per subscription, not per
	// call (NOTES §3.3); HasVersion is false when the attribute is absent.
	Version    uint64
	HasVersion bool
	// State is DocumentFull or DocumentPartial, or "" for an empty body
	// (Kamailio's first NOTIFY when no dialog exists, NOTES §3.1).
	State string
	// Entity is the watched address of record.
	Entity  string
	Dialogs []Dialog
}

// Full reports whether the document lists every dialog of the entity, so
// that a dialog missing from it has ended.
func (d *DialogInfo) Full() bool { return d != nil && d.State == DocumentFull }

// Dialog is one <dialog> element.
type Dialog struct {
	ID        string // the dialog id attribute (per PBX process; not stable)
	CallID    string // the SIP Call-ID of the call, when the PBX includes it
	LocalTag  string
	RemoteTag string
	Direction string // DirectionInitiator, DirectionRecipient or ""
	State     string // lower case: DialogTrying … DialogTerminated, or unknown text
	Event     string // the state's event attribute in lower case (cancelled, rejected, …)
	Code      int    // the state's code attribute (e.g. 486), 0 when absent
	Local     Participant
	Remote    Participant
}

// Participant is the <local> or <remote> element of a dialog.
type Participant struct {
	Identity string // the identity URI, e.g. "sip:+12125550123@pbx"
	Display  string // the identity's display attribute, when present
	Target   string // the target uri attribute
}

// Key identifies the call a dialog belongs to: its Call-ID, or its dialog id
// when the PBX omits the Call-ID. It is "" when the dialog has neither.
func (d Dialog) Key() string {
	if d.CallID != "" {
		return d.CallID
	}
	return d.ID
}

// CallState maps the dialog state to a call state: trying, proceeding and
// early ring, confirmed is answered, terminated has ended. ok is false for an
// unknown state.
func (d Dialog) CallState() (state tapi.State, ok bool) {
	switch d.State {
	case DialogTrying, DialogProceeding, DialogEarly:
		return tapi.StateRinging, true
	case DialogConfirmed:
		return tapi.StateAnswered, true
	case DialogTerminated:
		return tapi.StateEnded, true
	}
	return "", false
}

// Why a terminated dialog ended, as endWhy sees it.
const (
	whyUnknown  = ""         // the PBX did not say (Kamailio's pua_dialoginfo never does)
	whyRejected = "rejected" // declined at the phone
	whyOther    = "other"    // cancelled, timed out, hung up, failed
)

// endWhy classifies a terminated dialog's event and code attributes
// (RFC 4235 §3.7.1): event="rejected" (or "declined", as some PBXs send)
// is a call declined at the phone, unless its code says nobody answered
// (408, 480, 487); with no event, code 486, 600 or 603 says the same.
// Any other event or code is another end (cancelled, timeout, bye).
func (d Dialog) endWhy() string {
	if d.State != DialogTerminated {
		return whyUnknown
	}
	noAnswer := d.Code == 408 || d.Code == 480 || d.Code == 487
	switch d.Event {
	case "rejected", "declined", "decline":
		if noAnswer {
			return whyOther
		}
		return whyRejected
	case "":
		switch {
		case d.Code == 486 || d.Code == 600 || d.Code == 603:
			return whyRejected
		case d.Code != 0:
			return whyOther
		}
		return whyUnknown
	}
	return whyOther
}

// EndReason is why a terminated dialog ended, as far as CallDocket tells
// reasons apart: tapi.EndRejected for a call declined at the phone (see
// endWhy), "" otherwise.
func (d Dialog) EndReason() tapi.EndReason {
	if d.endWhy() == whyRejected {
		return tapi.EndRejected
	}
	return ""
}

// CallDirection maps direction="initiator" to an outbound call and anything
// else (recipient, or no attribute) to an inbound one.
func (d Dialog) CallDirection() tapi.Direction {
	if d.Direction == DirectionInitiator {
		return tapi.DirectionOut
	}
	return tapi.DirectionIn
}

// Number is the user part of the participant's identity (or, without one,
// its target): "sip:+12125550123@pbx;transport=udp" gives "+12125550123" and
// "tel:+12125550123" gives "+12125550123". It is "" when there is none.
func (p Participant) Number() string {
	if n := userPart(p.Identity); n != "" {
		return n
	}
	return userPart(p.Target)
}

// userPart extracts the user of a sip:, sips: or tel: URI, unescaped, with
// URI parameters and headers removed.
func userPart(uri string) string {
	s := strings.TrimSpace(uri)
	if i := strings.IndexByte(s, '<'); i >= 0 { // name-addr form
		s = s[i+1:]
		if j := strings.IndexByte(s, '>'); j >= 0 {
			s = s[:j]
		}
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "sip:"):
		s = s[4:]
	case strings.HasPrefix(lower, "sips:"):
		s = s[5:]
	case strings.HasPrefix(lower, "tel:"):
		s = s[4:]
		if i := strings.IndexAny(s, ";?"); i >= 0 {
			s = s[:i]
		}
		return unescape(s)
	default:
		return ""
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "" // sip:host has no user part
	}
	s = s[:at]
	if i := strings.IndexAny(s, ";:"); i >= 0 { // user;params or user:password
		s = s[:i]
	}
	return unescape(s)
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil && utf8.ValidString(u) {
		return strings.TrimSpace(u)
	}
	return strings.TrimSpace(s)
}

// E164 returns number when it is in E.164 form ("+" then 7 to 15 digits,
// the first not 0), and "" otherwise.
func E164(number string) string {
	if len(number) < 8 || len(number) > 16 || number[0] != '+' || number[1] == '0' {
		return ""
	}
	for _, r := range number[1:] {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return number
}

// The XML shape, matched by local name so that any namespace prefix works.
type xmlDialogInfo struct {
	XMLName xml.Name    `xml:"dialog-info"`
	Version string      `xml:"version,attr"`
	State   string      `xml:"state,attr"`
	Entity  string      `xml:"entity,attr"`
	Dialogs []xmlDialog `xml:"dialog"`
}

type xmlDialog struct {
	ID        string `xml:"id,attr"`
	CallID    string `xml:"call-id,attr"`
	LocalTag  string `xml:"local-tag,attr"`
	RemoteTag string `xml:"remote-tag,attr"`
	Direction string `xml:"direction,attr"`
	State     struct {
		Event string `xml:"event,attr"`
		Code  string `xml:"code,attr"`
		Text  string `xml:",chardata"`
	} `xml:"state"`
	Local  xmlParticipant `xml:"local"`
	Remote xmlParticipant `xml:"remote"`
}

type xmlParticipant struct {
	Identity struct {
		Display string `xml:"display,attr"`
		URI     string `xml:",chardata"`
	} `xml:"identity"`
	Target struct {
		URI string `xml:"uri,attr"`
	} `xml:"target"`
}

// ParseDialogInfo parses an application/dialog-info+xml body. It copes with
// what real PBXs send (NOTES §3): an empty body gives a DialogInfo with no
// dialogs and State ""; state names are compared case-insensitively
// (Kamailio's "Trying"); the document state defaults to partial when absent.
// Errors wrap ErrMalformedDialogInfo.
func ParseDialogInfo(body []byte) (*DialogInfo, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return &DialogInfo{}, nil
	}
	if len(body) > maxDocumentSize {
		return nil, fmt.Errorf("parse dialog-info: %w: %d bytes", ErrMalformedDialogInfo, len(body))
	}
	var doc xmlDialogInfo
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charsetReader
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse dialog-info: %w: %w", ErrMalformedDialogInfo, err)
	}
	info := &DialogInfo{Entity: strings.TrimSpace(doc.Entity)}
	switch st := strings.ToLower(strings.TrimSpace(doc.State)); st {
	case DocumentFull, DocumentPartial:
		info.State = st
	case "":
		info.State = DocumentPartial
	default:
		return nil, fmt.Errorf("parse dialog-info: %w: document state %q", ErrMalformedDialogInfo, shorten(doc.State))
	}
	if v := strings.TrimSpace(doc.Version); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("parse dialog-info: %w: version %q", ErrMalformedDialogInfo, shorten(v))
		}
		info.Version, info.HasVersion = n, true
	}
	if len(doc.Dialogs) > maxDialogs {
		doc.Dialogs = doc.Dialogs[:maxDialogs]
	}
	info.Dialogs = make([]Dialog, 0, len(doc.Dialogs))
	for _, x := range doc.Dialogs {
		d := Dialog{
			ID:        strings.TrimSpace(x.ID),
			CallID:    strings.TrimSpace(x.CallID),
			LocalTag:  strings.TrimSpace(x.LocalTag),
			RemoteTag: strings.TrimSpace(x.RemoteTag),
			Direction: strings.ToLower(strings.TrimSpace(x.Direction)),
			State:     strings.ToLower(strings.TrimSpace(x.State.Text)),
			Event:     strings.ToLower(strings.TrimSpace(x.State.Event)),
			Local:     participant(x.Local),
			Remote:    participant(x.Remote),
		}
		if c, err := strconv.Atoi(strings.TrimSpace(x.State.Code)); err == nil && c > 0 && c < 1000 {
			d.Code = c
		}
		info.Dialogs = append(info.Dialogs, d)
	}
	return info, nil
}

func participant(x xmlParticipant) Participant {
	return Participant{
		Identity: strings.TrimSpace(x.Identity.URI),
		Display:  strings.TrimSpace(x.Identity.Display),
		Target:   strings.TrimSpace(x.Target.URI),
	}
}

// charsetReader accepts the charsets PBXs declare besides UTF-8.
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "windows-1252", "cp1252":
		b, err := io.ReadAll(io.LimitReader(in, maxDocumentSize))
		if err != nil {
			return nil, err
		}
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return strings.NewReader(string(r)), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", shorten(charset))
}
