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
		{"sandbox", TrayState{Mode: ModeSandbox, Pending: 1},
			[]string{"Sandbox — sample firm", "1 call waiting", "---", "Simulate incoming call", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}},
		{"connected", TrayState{Mode: ModeConnected, UserName: "Alex Morgan"},
			[]string{"Connected as Alex Morgan", "No calls waiting", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}},
		{"offline paused", TrayState{Mode: ModeOffline, Pending: 3, Paused: true},
			[]string{"Offline — calls are queued · Paused", "3 calls waiting", "---", "Review calls…", "Settings…", "Resume pop-ups", "---", "Quit"}},
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
			if !m.Items[0].Disabled || !m.Items[1].Disabled {
				t.Errorf("TrayMenu(%+v): status and pending items enabled, want disabled", tt.in)
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
		{TrayState{Mode: ModeConnected, Pending: 2}, assets.Syncing},
		{TrayState{Mode: ModeOffline, Pending: 2}, assets.Offline},
		{TrayState{Mode: ModeSignInNeeded, Paused: true}, assets.SignIn},
		{TrayState{Mode: ModeSandbox}, assets.Sandbox},
		{TrayState{Mode: ModeSandbox, Paused: true}, assets.Paused},
		{TrayState{Mode: ModeConnected, Paused: true, Pending: 1}, assets.Paused},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got, want := TrayIcon(tt.in), assets.Icon(tt.want); got != want {
				t.Errorf("TrayIcon(%+v) = %s, want %s", tt.in, got.Name(), want.Name())
			}
		})
	}
}
