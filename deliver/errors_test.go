package deliver

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   error
		want func(error) bool
	}{
		{"rate limit", &clio.RateLimitError{RetryAfter: 7 * time.Second}, func(err error) bool {
			var r *queue.RetryError
			return errors.As(err, &r) && r.After == 7*time.Second
		}},
		{"auth", &clio.AuthError{StatusCode: 401, Code: "invalid_token"}, func(err error) bool { return errors.Is(err, queue.ErrAuth) }},
		{"validation", &clio.APIError{StatusCode: 422, Type: "RecordInvalid", Message: "This matter requires UTBMS codes"}, func(err error) bool {
			var p *queue.PermanentError
			return errors.As(err, &p) && err.Error() == "This matter requires UTBMS codes"
		}},
		{"server", &clio.APIError{StatusCode: 503}, func(err error) bool {
			var p *queue.PermanentError
			return !errors.As(err, &p) && err != nil
		}},
		{"utbms", &clio.APIError{StatusCode: 422, Type: "ValidationError", Message: "activity_description: UTBMS task and activity are required for this matter"}, func(err error) bool {
			var p *queue.PermanentError
			return errors.As(err, &p) && err.Error() == "This matter requires UTBMS codes"
		}},
		{"other 422 in plain words", &clio.APIError{StatusCode: 422, Type: "RecordInvalid", Message: "matter is closed"}, func(err error) bool {
			var p *queue.PermanentError
			return errors.As(err, &p) && err.Error() == "Matter is closed"
		}},
		{"uncertain 5xx stays retryable and uncertain", fmt.Errorf("create communication (%w): %w", queue.ErrUncertain, &clio.APIError{StatusCode: 502}), func(err error) bool {
			var p *queue.PermanentError
			return !errors.As(err, &p) && errors.Is(err, queue.ErrUncertain)
		}},
		{"note target missing is retryable", ErrNoteTargetMissing, func(err error) bool {
			var p *queue.PermanentError
			return !errors.As(err, &p) && errors.Is(err, ErrNoteTargetMissing)
		}},
		{"nil", nil, func(err error) bool { return err == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.in); !tt.want(got) {
				t.Errorf("classify(%v) = %v", tt.in, got)
			}
		})
	}
}

func TestPlainError(t *testing.T) {
	other := errors.New("connection reset")
	tests := []struct {
		name string
		in   error
		want string
	}{
		{"permission", fmt.Errorf("create contact: %w", &clio.AuthError{StatusCode: 403}),
			"Clio refused: your Clio user lacks the permission for this (ask your Clio administrator)"},
		{"not found", &clio.APIError{StatusCode: 404, Message: "Matter 7 not found"},
			"Clio no longer has the contact, matter or folder this was filed under"},
		{"message kept", fmt.Errorf("create time entry: %w", &clio.APIError{StatusCode: 422, Message: "date is invalid"}), "Date is invalid"},
		{"no message", &clio.APIError{StatusCode: 409}, "Clio refused it (error 409)"},
		{"other errors unchanged", other, "connection reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainError(tt.in).Error(); got != tt.want {
				t.Errorf("PlainError(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
