package assets

import (
	_ "embed" // go:embed of the PNGs below

	"fyne.io/fyne/v2"
)

//go:generate go run gen/main.go -out .

// Icon names accepted by Icon.
const (
	OK      = "ok"
	Syncing = "syncing"
	Offline = "offline"
	SignIn  = "signin"
	Sandbox = "sandbox"
	Paused  = "paused"
)

var (
	//go:embed icon.png
	iconPNG []byte
	//go:embed ok.png
	okPNG []byte
	//go:embed syncing.png
	syncingPNG []byte
	//go:embed offline.png
	offlinePNG []byte
	//go:embed signin.png
	signinPNG []byte
	//go:embed sandbox.png
	sandboxPNG []byte
	//go:embed paused.png
	pausedPNG []byte
)

var (
	appIcon = fyne.NewStaticResource("calldocket.png", iconPNG)
	icons   = map[string]fyne.Resource{
		OK:      fyne.NewStaticResource("calldocket-ok.png", okPNG),
		Syncing: fyne.NewStaticResource("calldocket-syncing.png", syncingPNG),
		Offline: fyne.NewStaticResource("calldocket-offline.png", offlinePNG),
		SignIn:  fyne.NewStaticResource("calldocket-signin.png", signinPNG),
		Sandbox: fyne.NewStaticResource("calldocket-sandbox.png", sandboxPNG),
		Paused:  fyne.NewStaticResource("calldocket-paused.png", pausedPNG),
	}
)

// Names lists the state icon names, in a fixed order.
func Names() []string {
	return []string{OK, Syncing, Offline, SignIn, Sandbox, Paused}
}

// Icon returns the 64x64 tray icon for a state ("ok", "syncing", "offline",
// "signin", "sandbox", "paused"); an unknown name gets the app icon.
func Icon(name string) fyne.Resource {
	if r, ok := icons[name]; ok {
		return r
	}
	return appIcon
}

// AppIcon returns the 256x256 application icon.
func AppIcon() fyne.Resource { return appIcon }
