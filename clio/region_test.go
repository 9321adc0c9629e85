package clio

import (
	"net/url"
	"strings"
	"testing"
)

var parseRegionTests = []struct {
	in      string
	want    string
	wantErr bool
}{
	{"us", "US", false},
	{"US", "US", false},
	{" eu ", "EU", false},
	{"Ca", "CA", false},
	{"au", "AU", false},
	{"", "", true},
	{"uk", "", true},
	{"usa", "", true},
	{"app.clio.com", "", true},
}

func TestParseRegion(t *testing.T) {
	for _, tt := range parseRegionTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRegion(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseRegion(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got.Code != tt.want {
				t.Errorf("ParseRegion(%q) = %q, want %q", tt.in, got.Code, tt.want)
			}
		})
	}
}

func TestRegionsHosts(t *testing.T) {
	want := map[string]string{"US": "app.clio.com", "EU": "eu.app.clio.com", "CA": "ca.app.clio.com", "AU": "au.app.clio.com"}
	if len(Regions) != len(want) {
		t.Fatalf("len(Regions) = %d, want %d", len(Regions), len(want))
	}
	for _, r := range Regions {
		t.Run(r.Code, func(t *testing.T) {
			for _, raw := range []string{r.APIBase, r.OAuthBase, r.DeveloperPortal} {
				u, err := url.Parse(raw)
				if err != nil || u.Scheme != "https" {
					t.Errorf("%s URL %q: want https", r.Code, raw)
				}
			}
			if host := strings.TrimPrefix(r.APIBase, "https://"); host != want[r.Code] {
				t.Errorf("%s APIBase host = %q, want %q", r.Code, host, want[r.Code])
			}
			if r.OAuthBase != r.APIBase+"/oauth" {
				t.Errorf("%s OAuthBase = %q, want %q", r.Code, r.OAuthBase, r.APIBase+"/oauth")
			}
			if _, err := NewClient(nil, r.APIBase); err != nil {
				t.Errorf("NewClient(nil, %q) error = %v", r.APIBase, err)
			}
			if r.Name == "" {
				t.Errorf("%s Name is empty", r.Code)
			}
		})
	}
}

func FuzzParseRegion(f *testing.F) {
	for _, tt := range parseRegionTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRegion(s)
		if err == nil && r.APIBase == "" {
			t.Errorf("ParseRegion(%q) = %+v without an API base", s, r)
		}
	})
}
