package tapi

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrEmptyMessage is returned by Message.Validate for a message without a
// remote number or without text.
var ErrEmptyMessage = errors.New("message without remote number or text")

// Message is one text message (SMS) a source observed: sent or received by
// the user. Messages are not calls: they bypass the Tracker and are logged
// as they come.
type Message struct {
	Source     string    // provider name: "hook", …
	ID         string    // the provider's message id; may be empty
	Direction  Direction // DirectionIn (received) or DirectionOut (sent); empty means in
	Remote     string    // the other party's number as the source saw it
	RemoteE164 string    // the same in E.164, when the source knows it
	RemoteName string    // the other party's name, if known
	Text       string    // the message body
	At         time.Time // when it was sent or received
}

// Validate reports whether the message can be logged: it needs a remote
// number and text, and a direction of DirectionIn, DirectionOut or empty.
func (m Message) Validate() error {
	switch m.Direction {
	case "", DirectionIn, DirectionOut:
	default:
		return fmt.Errorf("validate message: %w", newParseError("direction", string(m.Direction), ErrInvalidDirection))
	}
	if strings.TrimSpace(m.Remote) == "" && strings.TrimSpace(m.RemoteE164) == "" || strings.TrimSpace(m.Text) == "" {
		return fmt.Errorf("validate message: %w", ErrEmptyMessage)
	}
	return nil
}
