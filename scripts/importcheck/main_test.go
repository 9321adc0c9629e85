package main

import "testing"

func TestCheck(t *testing.T) {
	const root = "example.com/cd"
	tests := []struct {
		name string
		p    pkg
		want int
	}{
		{"queue uses sqlite", pkg{ImportPath: root + "/queue", Imports: []string{"modernc.org/sqlite"}, Deps: []string{"modernc.org/sqlite"}}, 0},
		{"queue imports fyne", pkg{ImportPath: root + "/queue", Imports: []string{"fyne.io/fyne/v2/widget"}, Deps: []string{"fyne.io/fyne/v2", "fyne.io/fyne/v2/widget"}}, 2},
		{"tapi reaches fyne through ui", pkg{ImportPath: root + "/tapi", Imports: []string{root + "/ui"}, Deps: []string{root + "/ui", "fyne.io/fyne/v2", "fyne.io/fyne/v2/widget"}}, 1},
		{"ui imports fyne app", pkg{ImportPath: root + "/ui", Imports: []string{"fyne.io/fyne/v2/app"}, Deps: []string{"fyne.io/fyne/v2/app"}}, 1},
		{"app imports fyne app", pkg{ImportPath: root + "/app", Imports: []string{"fyne.io/fyne/v2/app"}, Deps: []string{"fyne.io/fyne/v2/app"}}, 0},
		{"ui imports app", pkg{ImportPath: root + "/ui", Imports: []string{root + "/app"}, Deps: []string{root + "/app"}}, 1},
		{"main imports app", pkg{ImportPath: root, Imports: []string{root + "/app"}, Deps: []string{root + "/app"}}, 0},
		{"queue imports clio", pkg{ImportPath: root + "/queue", Imports: []string{root + "/clio"}, Deps: []string{root + "/clio"}}, 1},
		{"directory imports clio", pkg{ImportPath: root + "/clio/directory", Imports: []string{root + "/clio"}, Deps: []string{root + "/clio"}}, 0},
		{"deliver uses clio and queue", pkg{ImportPath: root + "/deliver", Imports: []string{root + "/clio", root + "/queue"}, Deps: []string{root + "/clio", root + "/queue"}}, 0},
		{"deliver imports fyne", pkg{ImportPath: root + "/deliver", Imports: []string{"fyne.io/fyne/v2"}, Deps: []string{"fyne.io/fyne/v2"}}, 1},
		{"queue imports deliver", pkg{ImportPath: root + "/queue", Imports: []string{root + "/deliver"}, Deps: []string{root + "/deliver"}}, 1},
		{"clio imports tapi", pkg{ImportPath: root + "/clio/fake", Imports: []string{root + "/tapi"}, Deps: []string{root + "/tapi"}}, 1},
		{"tapi imports phone", pkg{ImportPath: root + "/tapi/sip", Imports: []string{root + "/phone"}, Deps: []string{root + "/phone"}}, 0},
		{"directory imports phone", pkg{ImportPath: root + "/clio/directory", Imports: []string{root + "/phone", root + "/clio"}, Deps: []string{root + "/phone", root + "/clio"}}, 0},
		{"ui imports phone", pkg{ImportPath: root + "/ui", Imports: []string{root + "/phone"}, Deps: []string{root + "/phone"}}, 0},
		{"phone uses phonenumbers", pkg{ImportPath: root + "/phone", Imports: []string{"github.com/nyaruka/phonenumbers"}, Deps: []string{"github.com/nyaruka/phonenumbers"}}, 0},
		{"phone imports tapi", pkg{ImportPath: root + "/phone", Imports: []string{root + "/tapi"}, Deps: []string{root + "/tapi"}}, 1},
		{"phone imports fyne", pkg{ImportPath: root + "/phone", Imports: []string{"fyne.io/fyne/v2"}, Deps: []string{"fyne.io/fyne/v2"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := check(root, tt.p); len(got) != tt.want {
				t.Errorf("check(%s) = %q, want %d problems", tt.p.ImportPath, got, tt.want)
			}
		})
	}
}
