package cli

import (
	"errors"
	"fmt"
	"testing"

	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/tapi"
	"github.com/calldocket/calldocket/tapi/hook"
)

func TestFallBack(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		call, sms bool // with a message id
	}{
		{"delivered", nil, false, false},
		{"not running", ipc.ErrNotRunning, true, true},
		{"died during the request", fmt.Errorf("post call event: %w", errors.New("connection reset by peer")), true, true},
		{"could not record it", hook.ErrUnavailable, true, true},
		{"refused", &hook.RejectedError{Reason: "bad number"}, false, false},
		{"wrong secret", hook.ErrSecretRefused, false, false},
	}
	for _, tt := range tests {
		if got := fallBack(tt.err); got != tt.call {
			t.Errorf("%s: fallBack = %v, want %v", tt.name, got, tt.call)
		}
		if got := smsFallBack(tt.err, tapi.Message{ID: "m1"}); got != tt.sms {
			t.Errorf("%s: smsFallBack(with id) = %v, want %v", tt.name, got, tt.sms)
		}
	}
	// Without an id a second recording could log the message twice.
	if smsFallBack(hook.ErrUnavailable, tapi.Message{}) {
		t.Error("smsFallBack without an id after ErrUnavailable = true")
	}
}
