package deliver

import (
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0:00"},
		{252 * time.Second, "4:12"},
		{time.Hour + 2*time.Second, "1:00:02"},
		{1499 * time.Millisecond, "0:01"},
	}
	for _, tt := range tests {
		if got := Clock(tt.in); got != tt.want {
			t.Errorf("Clock(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
