// Package assets embeds CallDocket's icons: the app icon (icon.png, 256x256,
// also named by FyneApp.toml) and one 64x64 tray icon per state.
//
// The PNGs are drawn by gen/main.go and committed; after changing the
// drawing code run `go generate ./assets/`. Each state differs in colour and
// in shape or glyph, so colour is never the only signal:
//
//	ok       green disc, tick
//	syncing  blue disc, circular arrow
//	offline  grey disc, slashed ring
//	signin   amber triangle, exclamation mark
//	sandbox  purple rounded square, letter S
//	paused   slate disc, two bars
package assets
