package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/calldocket/calldocket/assets"
)

func TestStatusLine(t *testing.T) {
	tests := []struct {
		in   TrayState
		want string
	}{
		{TrayState{Mode: ModeSandbox}, "Sandbox — sample firm"},
		{TrayState{Mode: ModeConnected, UserName: "Alex Morgan"}, "Connected as Alex Morgan"},
		{TrayState{Mode: ModeConnected}, "Connected to Clio"},
		{TrayState{Mode: ModeOffline, UserName: "Alex Morgan"}, "Offline — calls are queued"},
		{TrayState{Mode: ModeSignInNeeded}, "Sign-in needed"},
		{TrayState{Mode: ModeConnected, UserName: "Alex Morgan", Paused: true}, "Connected as Alex Morgan · Paused"},
		{TrayState{Mode: ModeSandbox, Paused: true}, "Sandbox — sample firm · Paused"},
		{TrayState{Mode: ModeConnected, UserName: "Alex Morgan", PhoneDown: true}, "Connected as Alex Morgan · Phone link down"},
		{TrayState{Mode: ModeSandbox, PhoneDown: true, Paused: true}, "Sandbox — sample firm · Phone link down · Paused"},
		{TrayState{Mode: ModeOffline, PhoneDown: true}, "Offline — calls are queued · Phone link down"},
		{TrayState{Mode: ModeSignInNeeded, PhoneDown: true}, "Sign-in needed · Phone link down"},
		{TrayState{Mode: Mode(42)}, "Mode 42"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := StatusLine(tt.in); got != tt.want {
				t.Errorf("StatusLine(%+v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPendingLabel(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{-1, "No calls waiting"},
		{0, "No calls waiting"},
		{1, "1 call waiting"},
		{3, "3 calls waiting"},
		{120, "120 calls waiting"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := PendingLabel(tt.in); got != tt.want {
				t.Errorf("PendingLabel(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCountLabels(t *testing.T) {
	tests := []struct {
		n                          int
		deciding, delivering, remd string
	}{
		{-1, "", "", ""},
		{0, "", "", ""},
		{1, "1 call waiting for a decision", "1 waiting to reach Clio", "1 call waiting for a decision — review them before you leave"},
		{5, "5 calls waiting for a decision", "5 waiting to reach Clio", "5 calls waiting for a decision — review them before you leave"},
	}
	for _, tt := range tests {
		if got := DecidingLabel(tt.n); got != tt.deciding {
			t.Errorf("DecidingLabel(%d) = %q, want %q", tt.n, got, tt.deciding)
		}
		if got := DeliveringLabel(tt.n); got != tt.delivering {
			t.Errorf("DeliveringLabel(%d) = %q, want %q", tt.n, got, tt.delivering)
		}
		if got := ReminderText(tt.n); got != tt.remd {
			t.Errorf("ReminderText(%d) = %q, want %q", tt.n, got, tt.remd)
		}
	}
}

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if it.IsSeparator {
			out = append(out, "---")
			continue
		}
		out = append(out, it.Label)
	}
	return out
}

func TestTrayMenuItems(t *testing.T) {
	tests := []struct {
		name string
		in   TrayState
		want []string
	}{
		{"sandbox", TrayState{Mode: ModeSandbox, Deciding: 1},
			[]string{"Sandbox — sample firm", "1 call waiting for a decision", "---", "Simulate incoming call", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}},
		{"connected", TrayState{Mode: ModeConnected, UserName: "Alex Morgan"},
			[]string{"Connected as Alex Morgan", "No calls waiting", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}},
		{"both counts", TrayState{Mode: ModeConnected, UserName: "Alex Morgan", Deciding: 2, Delivering: 5},
			[]string{"Connected as Alex Morgan", "2 calls waiting for a decision", "5 waiting to reach Clio", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}},
		{"offline paused", TrayState{Mode: ModeOffline, Delivering: 3, Paused: true},
			[]string{"Offline — calls are queued · Paused", "3 waiting to reach Clio", "---", "Review calls…", "Settings…", "Resume pop-ups", "---", "Quit"}},
		{"sign-in", TrayState{Mode: ModeSignInNeeded},
			[]string{"Sign-in needed", "No calls waiting", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := TrayMenu(tt.in, TrayActions{})
			got := menuLabels(m)
			if len(got) != len(tt.want) {
				t.Fatalf("TrayMenu(%+v) = %q, want %q", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("TrayMenu(%+v) = %q, want %q", tt.in, got, tt.want)
				}
			}
			for _, it := range m.Items {
				if it.IsSeparator {
					break
				}
				if !it.Disabled {
					t.Errorf("TrayMenu(%+v): informational item %q enabled, want disabled", tt.in, it.Label)
				}
			}
		})
	}
}

func TestTrayMenuActions(t *testing.T) {
	var called []string
	a := TrayActions{
		SimulateCall: func() { called = append(called, "simulate") },
		ReviewCalls:  func() { called = append(called, "review") },
		Settings:     func() { called = append(called, "settings") },
		TogglePause:  func() { called = append(called, "pause") },
		Quit:         func() { called = append(called, "quit") },
	}
	m := TrayMenu(TrayState{Mode: ModeSandbox}, a)
	want := map[string]string{
		"Simulate incoming call": "simulate",
		"Review calls…":          "review",
		"Settings…":              "settings",
		"Pause pop-ups":          "pause",
		"Quit":                   "quit",
	}
	for _, it := range m.Items {
		action, ok := want[it.Label]
		if !ok {
			continue
		}
		if it.Disabled {
			t.Errorf("item %q disabled, want enabled", it.Label)
		}
		called = nil
		it.Action()
		if len(called) != 1 || called[0] != action {
			t.Errorf("item %q called %q, want [%s]", it.Label, called, action)
		}
		delete(want, it.Label)
	}
	if len(want) != 0 {
		t.Errorf("items missing: %v", want)
	}
}

func TestTrayMenuNilActionDisabled(t *testing.T) {
	m := TrayMenu(TrayState{Mode: ModeSandbox}, TrayActions{ReviewCalls: func() {}})
	for _, it := range m.Items {
		if it.IsSeparator || it.Label == "Sandbox — sample firm" || it.Label == "No calls waiting" {
			continue
		}
		if wantDisabled := it.Label != "Review calls…"; it.Disabled != wantDisabled {
			t.Errorf("item %q Disabled = %v, want %v", it.Label, it.Disabled, wantDisabled)
		}
	}
}

func TestTrayIcon(t *testing.T) {
	tests := []struct {
		in   TrayState
		want string
	}{
		{TrayState{Mode: ModeConnected}, assets.OK},
		{TrayState{Mode: ModeConnected, Delivering: 2}, assets.Syncing},
		{TrayState{Mode: ModeConnected, Deciding: 2}, assets.OK},
		{TrayState{Mode: ModeOffline, Delivering: 2}, assets.Offline},
		{TrayState{Mode: ModeConnected, PhoneDown: true, Paused: true}, assets.Offline},
		{TrayState{Mode: ModeSignInNeeded, PhoneDown: true}, assets.SignIn},
		{TrayState{Mode: ModeSignInNeeded, Paused: true}, assets.SignIn},
		{TrayState{Mode: ModeSandbox}, assets.Sandbox},
		{TrayState{Mode: ModeSandbox, Paused: true}, assets.Paused},
		{TrayState{Mode: ModeConnected, Paused: true, Delivering: 1}, assets.Paused},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got, want := TrayIcon(tt.in), assets.Icon(tt.want); got != want {
				t.Errorf("TrayIcon(%+v) = %s, want %s", tt.in, got.Name(), want.Name())
			}
		})
	}
}
