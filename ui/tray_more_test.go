package ui

import (
	"testing"

	"github.com/calldocket/calldocket/assets"
)

func TestSyncProgress(t *testing.T) {
	tests := []struct {
		what        string
		done, total int
		want        string
	}{
		{"contacts", 4200, 12000, "Syncing contacts 4,200 / ~12,000"},
		{"matters", 12, 0, "Syncing matters 12"},
		{"contacts", 1234567, 999, "Syncing contacts 1,234,567 / ~999"},
		{"contacts", -1000, 0, "Syncing contacts -1,000"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := SyncProgress(tt.what, tt.done, tt.total); got != tt.want {
				t.Errorf("SyncProgress(%q, %d, %d) = %q, want %q", tt.what, tt.done, tt.total, got, tt.want)
			}
		})
	}
}

// TestTrayPerState is the tray (menu, status line, icon) for every state,
// from the one pure state function.
func TestTrayPerState(t *testing.T) {
	signIn := func() {}
	tests := []struct {
		name   string
		in     TrayState
		signIn bool
		menu   []string
		icon   string
	}{
		{"ok", TrayState{Mode: ModeConnected, UserName: "Alex Morgan"}, false,
			[]string{"Connected as Alex Morgan", "No calls waiting", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}, assets.OK},
		{"syncing", TrayState{Mode: ModeConnected, UserName: "Alex Morgan", Syncing: true, Progress: SyncProgress("contacts", 4200, 12000)}, false,
			[]string{"Connected as Alex Morgan · Syncing contacts 4,200 / ~12,000", "No calls waiting", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}, assets.Syncing},
		{"syncing no progress", TrayState{Mode: ModeSandbox, Syncing: true}, false,
			[]string{"Sandbox — sample firm · Syncing with Clio", "No calls waiting", "---", "Simulate incoming call", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}, assets.Syncing},
		{"offline", TrayState{Mode: ModeOffline, Delivering: 2, Syncing: true}, false,
			[]string{"Offline — calls are queued · Syncing with Clio", "2 waiting to reach Clio", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}, assets.Offline},
		{"sign-in", TrayState{Mode: ModeSignInNeeded, Deciding: 1, Delivering: 1}, true,
			[]string{"Sign-in needed", "1 call waiting for a decision", "1 waiting to reach Clio", "---", "Sign in to Clio…", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}, assets.SignIn},
		{"phone down", TrayState{Mode: ModeConnected, UserName: "Alex Morgan", PhoneDown: true, Deciding: 2}, false,
			[]string{"Connected as Alex Morgan · Phone link down", "2 calls waiting for a decision", "---", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}, assets.Offline},
		{"sandbox", TrayState{Mode: ModeSandbox}, true,
			[]string{"Sandbox — sample firm", "No calls waiting", "---", "Simulate incoming call", "Review calls…", "Settings…", "Pause pop-ups", "---", "Quit"}, assets.Sandbox},
		{"paused", TrayState{Mode: ModeConnected, Paused: true, Syncing: true, Progress: "Syncing matters 10"}, false,
			[]string{"Connected to Clio · Syncing matters 10 · Paused", "No calls waiting", "---", "Review calls…", "Settings…", "Resume pop-ups", "---", "Quit"}, assets.Paused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := TrayActions{}
			if tt.signIn {
				a.SignIn = signIn
			}
			got := menuLabels(TrayMenu(tt.in, a))
			if len(got) != len(tt.menu) {
				t.Fatalf("TrayMenu(%+v) = %q, want %q", tt.in, got, tt.menu)
			}
			for i := range got {
				if got[i] != tt.menu[i] {
					t.Fatalf("TrayMenu(%+v) = %q, want %q", tt.in, got, tt.menu)
				}
			}
			if icon := TrayIcon(tt.in); icon != assets.Icon(tt.icon) {
				t.Errorf("TrayIcon(%+v) = %s, want %s", tt.in, icon.Name(), tt.icon)
			}
		})
	}
}
