package clio

import (
	"fmt"
	"strings"
)

// Region is one Clio Manage instance. Each region is a separate Clio: a
// firm's account, its developer application (client ID and secret) and
// its tokens belong to exactly one region.
// https://docs.developers.clio.com/handbook/getting-started/regions
type Region struct {
	// Code is the short name: "US", "EU", "CA" or "AU".
	Code string
	// Name is the name shown to people, e.g. "United States".
	Name string
	// APIBase is the base URL NewClient takes; the API lives under
	// APIBase+"/api/v4/".
	APIBase string
	// OAuthBase is the base of the OAuth endpoints: OAuthBase+"/authorize",
	// "/token" and "/deauthorize".
	OAuthBase string
	// DeveloperPortal is where the firm creates its developer application.
	DeveloperPortal string
}

// The four Clio Manage regions.
var (
	US = Region{Code: "US", Name: "United States", APIBase: "https://app.clio.com",
		OAuthBase: "https://app.clio.com/oauth", DeveloperPortal: "https://developers.clio.com"}
	EU = Region{Code: "EU", Name: "Europe", APIBase: "https://eu.app.clio.com",
		OAuthBase: "https://eu.app.clio.com/oauth", DeveloperPortal: "https://eu.developers.clio.com"}
	CA = Region{Code: "CA", Name: "Canada", APIBase: "https://ca.app.clio.com",
		OAuthBase: "https://ca.app.clio.com/oauth", DeveloperPortal: "https://ca.developers.clio.com"}
	AU = Region{Code: "AU", Name: "Australia", APIBase: "https://au.app.clio.com",
		OAuthBase: "https://au.app.clio.com/oauth", DeveloperPortal: "https://au.developers.clio.com"}
)

// Regions lists every Clio Manage region, US first.
var Regions = []Region{US, EU, CA, AU}

// ParseRegion returns the region for a code such as "us" or "EU" (case and
// surrounding spaces do not matter).
func ParseRegion(s string) (Region, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	for _, r := range Regions {
		if r.Code == code {
			return r, nil
		}
	}
	return Region{}, fmt.Errorf("clio region %q: want us, eu, ca or au", s)
}

// String returns the region code.
func (r Region) String() string { return r.Code }
