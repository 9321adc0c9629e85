package app

import (
	"testing"
	"time"
)

func TestRestartGrace(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"  ", 0, false},
		{"5s", 5 * time.Second, false},
		{"2m", 2 * time.Minute, false},
		{"7", 7 * time.Second, false},
		{" 90s ", 90 * time.Second, false},
		{"0", 0, true},
		{"-3s", 0, true},
		{"25h", 0, true},
		{"soon", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := restartGrace(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("restartGrace(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
