//go:build ignore

// Command gen draws CallDocket's icons and writes them as PNG files:
// the 256x256 app icon (icon.png) and one 64x64 tray icon per state.
//
// Every state differs in colour and in shape or glyph, so colour is never
// the only signal. Run it from the assets folder:
//
//	go run gen/main.go            # writes ./icon.png, ./ok.png, …
//	go run gen/main.go -out DIR
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// shape reports whether the point (x, y), in unit coordinates (0..1, y down),
// is inside the shape.
type shape func(x, y float64) bool

// layer is one shape filled with one colour.
type layer struct {
	fill  color.NRGBA
	shape shape
}

const samples = 4 // supersampling per axis, for anti-aliased edges

var (
	white = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	ink   = color.NRGBA{0x21, 0x21, 0x21, 0xFF}
)

func main() {
	out := flag.String("out", ".", "output folder")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	icons := []struct {
		name   string
		size   int
		layers []layer
	}{
		{"icon.png", 256, appIcon()},
		{"ok.png", 64, okIcon()},
		{"syncing.png", 64, syncingIcon()},
		{"offline.png", 64, offlineIcon()},
		{"signin.png", 64, signinIcon()},
		{"sandbox.png", 64, sandboxIcon()},
		{"paused.png", 64, pausedIcon()},
	}
	for _, ic := range icons {
		img := render(ic.size, ic.layers)
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
			return fmt.Errorf("encode %s: %w", ic.name, err)
		}
		if err := os.WriteFile(filepath.Join(out, ic.name), buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", ic.name, err)
		}
	}
	return nil
}

// render rasterises the layers, in order, onto a transparent square image.
func render(size int, layers []layer) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	for _, l := range layers {
		mask := image.NewAlpha(dst.Bounds())
		for py := 0; py < size; py++ {
			for px := 0; px < size; px++ {
				n := 0
				for sy := 0; sy < samples; sy++ {
					for sx := 0; sx < samples; sx++ {
						x := (float64(px) + (float64(sx)+0.5)/samples) / float64(size)
						y := (float64(py) + (float64(sy)+0.5)/samples) / float64(size)
						if l.shape(x, y) {
							n++
						}
					}
				}
				mask.SetAlpha(px, py, color.Alpha{A: uint8(n * 255 / (samples * samples))})
			}
		}
		draw.DrawMask(dst, dst.Bounds(), image.NewUniform(l.fill), image.Point{}, mask, image.Point{}, draw.Over)
	}
	return dst
}

// Shapes.

func circle(cx, cy, r float64) shape {
	return func(x, y float64) bool { return math.Hypot(x-cx, y-cy) <= r }
}

func roundRect(x0, y0, x1, y1, r float64) shape {
	return func(x, y float64) bool {
		dx := math.Max(math.Max(x0+r-x, x-(x1-r)), 0)
		dy := math.Max(math.Max(y0+r-y, y-(y1-r)), 0)
		return x >= x0 && x <= x1 && y >= y0 && y <= y1 && math.Hypot(dx, dy) <= r
	}
}

// capsule is a segment from a to b drawn with width w and round ends.
func capsule(ax, ay, bx, by, w float64) shape {
	return func(x, y float64) bool {
		vx, vy := bx-ax, by-ay
		t := ((x-ax)*vx + (y-ay)*vy) / (vx*vx + vy*vy)
		t = math.Max(0, math.Min(1, t))
		return math.Hypot(x-(ax+t*vx), y-(ay+t*vy)) <= w/2
	}
}

// arc is a ring of radius r and width w around (cx, cy), from angle a0 (degrees,
// 0 = right, 90 = down) sweeping clockwise on screen by sweep degrees.
func arc(cx, cy, r, w, a0, sweep float64) shape {
	return func(x, y float64) bool {
		d := math.Hypot(x-cx, y-cy)
		if math.Abs(d-r) > w/2 {
			return false
		}
		a := math.Atan2(y-cy, x-cx) * 180 / math.Pi
		rel := math.Mod(a-a0+720, 360)
		return rel <= sweep
	}
}

// polygon fills a convex polygon given clockwise (on screen) vertices.
func polygon(pts ...[2]float64) shape {
	return func(x, y float64) bool {
		for i := range pts {
			a, b := pts[i], pts[(i+1)%len(pts)]
			if (b[0]-a[0])*(y-a[1])-(b[1]-a[1])*(x-a[0]) < 0 {
				return false
			}
		}
		return true
	}
}

func union(shapes ...shape) shape {
	return func(x, y float64) bool {
		for _, s := range shapes {
			if s(x, y) {
				return true
			}
		}
		return false
	}
}

// pointAt returns the point at angle a (degrees) on the circle (cx, cy, r).
func pointAt(cx, cy, r, a float64) (float64, float64) {
	rad := a * math.Pi / 180
	return cx + r*math.Cos(rad), cy + r*math.Sin(rad)
}

// Icons.

// handset is a phone handset: a thick arc whose ends carry a wider ear piece
// and mouth piece laid along the arc.
func handset(cx, cy, r, w float64) shape {
	const a0, a1 = 72.0, 198.0
	piece := func(from, to float64) shape {
		fx, fy := pointAt(cx, cy, r-w*0.25, from)
		tx, ty := pointAt(cx, cy, r-w*0.25, to)
		return capsule(fx, fy, tx, ty, w*1.7)
	}
	return union(arc(cx, cy, r, w, a0+10, a1-a0-20), piece(a0, a0+22), piece(a1-22, a1))
}

func appIcon() []layer {
	return []layer{
		{color.NRGBA{0x15, 0x47, 0x82, 0xFF}, roundRect(0.04, 0.04, 0.96, 0.96, 0.2)},
		{white, handset(0.57, 0.35, 0.31, 0.12)},
		// a small green tick badge: "logged"
		{white, circle(0.77, 0.77, 0.14)},
		{color.NRGBA{0x2E, 0x7D, 0x32, 0xFF}, circle(0.77, 0.77, 0.11)},
		{white, union(capsule(0.71, 0.775, 0.75, 0.815, 0.035), capsule(0.75, 0.815, 0.83, 0.73, 0.035))},
	}
}

func okIcon() []layer { // green disc, tick
	return []layer{
		{color.NRGBA{0x2E, 0x7D, 0x32, 0xFF}, circle(0.5, 0.5, 0.47)},
		{white, union(capsule(0.27, 0.52, 0.43, 0.68, 0.12), capsule(0.43, 0.68, 0.74, 0.35, 0.12))},
	}
}

func syncingIcon() []layer { // blue disc, circular arrow
	hx, hy := pointAt(0.5, 0.5, 0.24, 300)
	return []layer{
		{color.NRGBA{0x15, 0x65, 0xC0, 0xFF}, circle(0.5, 0.5, 0.47)},
		{white, union(
			arc(0.5, 0.5, 0.24, 0.1, 20, 280),
			polygon([2]float64{hx - 0.04, hy - 0.16}, [2]float64{hx + 0.16, hy + 0.02}, [2]float64{hx - 0.08, hy + 0.1}),
		)},
	}
}

func offlineIcon() []layer { // grey disc, "no connection" slashed ring
	return []layer{
		{color.NRGBA{0x61, 0x61, 0x61, 0xFF}, circle(0.5, 0.5, 0.47)},
		{white, union(arc(0.5, 0.5, 0.25, 0.09, 0, 360), capsule(0.32, 0.32, 0.68, 0.68, 0.09))},
	}
}

func signinIcon() []layer { // amber triangle, exclamation mark
	return []layer{
		{color.NRGBA{0xF5, 0x9E, 0x0B, 0xFF}, union(
			polygon([2]float64{0.5, 0.1}, [2]float64{0.94, 0.88}, [2]float64{0.06, 0.88}),
			capsule(0.5, 0.1, 0.94, 0.88, 0.08), capsule(0.94, 0.88, 0.06, 0.88, 0.08), capsule(0.06, 0.88, 0.5, 0.1, 0.08),
		)},
		{ink, union(capsule(0.5, 0.36, 0.5, 0.62, 0.11), circle(0.5, 0.76, 0.065))},
	}
}

func sandboxIcon() []layer { // purple rounded square, letter S
	return []layer{
		{color.NRGBA{0x6A, 0x1B, 0x9A, 0xFF}, roundRect(0.05, 0.05, 0.95, 0.95, 0.18)},
		{white, union(arc(0.5, 0.365, 0.135, 0.1, 90, 255), arc(0.5, 0.635, 0.135, 0.1, 270, 255))},
	}
}

func pausedIcon() []layer { // slate disc, two bars
	return []layer{
		{color.NRGBA{0x45, 0x5A, 0x64, 0xFF}, circle(0.5, 0.5, 0.47)},
		{white, union(roundRect(0.33, 0.28, 0.44, 0.72, 0.03), roundRect(0.56, 0.28, 0.67, 0.72, 0.03))},
	}
}
