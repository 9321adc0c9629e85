package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestIcon(t *testing.T) {
	seen := map[string]string{}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			r := Icon(name)
			if r == AppIcon() {
				t.Fatalf("Icon(%q) = app icon, want a state icon", name)
			}
			img, err := png.Decode(bytes.NewReader(r.Content()))
			if err != nil {
				t.Fatalf("Icon(%q) does not decode: %v", name, err)
			}
			if got := img.Bounds().Size(); got.X != 64 || got.Y != 64 {
				t.Errorf("Icon(%q) size = %v, want 64x64", name, got)
			}
			if other, dup := seen[string(r.Content())]; dup {
				t.Errorf("Icon(%q) = same image as %q, want distinct icons", name, other)
			}
			seen[string(r.Content())] = name
		})
	}
}

func TestIconUnknown(t *testing.T) {
	for _, name := range []string{"", "nope", "OK"} {
		if got := Icon(name); got != AppIcon() {
			t.Errorf("Icon(%q) = %s, want app icon", name, got.Name())
		}
	}
}

func TestAppIcon(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(AppIcon().Content()))
	if err != nil {
		t.Fatalf("AppIcon() does not decode: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 256 || got.Y != 256 {
		t.Errorf("AppIcon() size = %v, want 256x256", got)
	}
}
