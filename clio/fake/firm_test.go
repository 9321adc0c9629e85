package fake

import (
	"reflect"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/phone"
)

func TestSampleFirmDeterministic(t *testing.T) {
	a, b := SampleFirm(), SampleFirm()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("SampleFirm() returned different firms on two calls")
	}
	if &a.Contacts[0] == &b.Contacts[0] {
		t.Fatal("SampleFirm() returned shared slices")
	}
}

func TestSampleFirmInvariants(t *testing.T) {
	f := sampleFirm()
	if len(f.Users) != 2 || f.Users[0].ID != 1 || f.Users[0].Name != "Alex Morgan" || f.Users[1].ID != 2 {
		t.Errorf("SampleFirm().Users = %+v, want Alex Morgan (1) and Priya Shah (2)", f.Users)
	}
	for _, u := range f.Users {
		if u.TimeZone == "" || u.Email == "" || u.Account == nil || u.Account.Name != "Morgan & Shah LLP" {
			t.Errorf("user %d = %+v, want time zone, email and account Morgan & Shah LLP", u.ID, u)
		}
	}
	if len(f.Contacts) < 2000 {
		t.Errorf("len(Contacts) = %d, want >= 2000", len(f.Contacts))
	}
	if len(f.Matters) < 1500 {
		t.Errorf("len(Matters) = %d, want >= 1500", len(f.Matters))
	}

	types := map[string]int{}
	ids := map[int64]bool{}
	phoneIDs := map[int64]bool{}
	byDigits := map[string]map[int64]bool{}
	var numbers []string
	noNumber, withCompany := 0, 0
	for _, c := range f.Contacts {
		types[c.Type]++
		if ids[c.ID] {
			t.Fatalf("duplicate contact id %d", c.ID)
		}
		ids[c.ID] = true
		if c.Name == "" || c.CreatedAt.IsZero() || c.UpdatedAt.Before(c.CreatedAt) || c.UpdatedAt.After(sampleEnd) {
			t.Errorf("contact %d = %+v: want name and created <= updated <= 2026-01-01", c.ID, c)
		}
		if c.Company != nil {
			withCompany++
		}
		if len(c.PhoneNumbers) == 0 {
			noNumber++
		}
		if len(c.PhoneNumbers) > 4 {
			t.Errorf("contact %d has %d numbers, want <= 4", c.ID, len(c.PhoneNumbers))
		}
		primaries := 0
		for _, p := range c.PhoneNumbers {
			if phoneIDs[p.ID] {
				t.Errorf("duplicate phone id %d", p.ID)
			}
			phoneIDs[p.ID] = true
			if p.Primary {
				primaries++
			}
			switch p.Name {
			case "Work", "Mobile", "Home", "Fax":
			default:
				t.Errorf("contact %d phone name %q, want Work/Mobile/Home/Fax", c.ID, p.Name)
			}
			numbers = append(numbers, p.Number)
			d := phone.Digits(p.Number)
			if len(d) > 10 && strings.HasPrefix(d, "1") && !strings.HasPrefix(p.Number, "+44") {
				d = d[len(d)-10:]
			}
			if byDigits[d] == nil {
				byDigits[d] = map[int64]bool{}
			}
			byDigits[d][c.ID] = true
		}
		if len(c.PhoneNumbers) > 0 && primaries != 1 {
			t.Errorf("contact %d has %d primary numbers, want 1", c.ID, primaries)
		}
	}
	if types[clio.ContactPerson] == 0 || types[clio.ContactCompany] == 0 {
		t.Errorf("contact types = %v, want both Person and Company", types)
	}
	if noNumber == 0 || withCompany == 0 {
		t.Errorf("contacts without numbers = %d, persons with a company = %d, want both > 0", noNumber, withCompany)
	}
	shared := 0
	for _, owners := range byDigits {
		if len(owners) == 2 {
			shared++
		}
	}
	if shared < 5 {
		t.Errorf("numbers shared by exactly 2 contacts = %d, want >= 5", shared)
	}

	formats := []struct {
		name string
		ok   func(string) bool
	}{
		{"(212) 555-0123", func(s string) bool { return strings.HasPrefix(s, "(") }},
		{"212.555.0123 ext 4", func(s string) bool { return strings.Contains(s, " ext ") }},
		{"+1 212-555-0123", func(s string) bool { return strings.HasPrefix(s, "+1 ") }},
		{"+12125550123", func(s string) bool { return strings.HasPrefix(s, "+1") && len(s) == 12 && phone.Digits(s) == s[1:] }},
		{"212-555-0123", func(s string) bool { return len(s) == 12 && s[3] == '-' && s[7] == '-' }},
		{"001 212 555 0123", func(s string) bool { return strings.HasPrefix(s, "001 ") }},
		{"+44 20 7946 0958", func(s string) bool { return strings.HasPrefix(s, "+44 20 ") }},
		{"+44 (0)20 7946 0958", func(s string) bool { return strings.HasPrefix(s, "+44 (0)") }},
		{"437-555-1234 (Jane's cell)", func(s string) bool { return strings.Contains(s, "'s ") }},
		{"1-800-FLOWERS", func(s string) bool { return strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") }},
	}
	for _, ft := range formats {
		found := false
		for _, n := range numbers {
			if ft.ok(n) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no phone number in the style %q", ft.name)
		}
	}

	statuses := map[string]int{}
	openPerClient := map[int64]int{}
	areas := map[string]bool{}
	hasMatter := map[int64]bool{}
	for _, m := range f.Matters {
		statuses[m.Status]++
		areas[m.PracticeArea.Name] = true
		if m.Client == nil || !ids[m.Client.ID] {
			t.Fatalf("matter %d client %+v is not a contact", m.ID, m.Client)
		}
		hasMatter[m.Client.ID] = true
		if m.Status == clio.MatterOpen {
			openPerClient[m.Client.ID]++
		}
		if (m.Status == clio.MatterClosed) != (m.CloseDate != "") {
			t.Errorf("matter %d status %s close date %q: want a close date exactly when closed", m.ID, m.Status, m.CloseDate)
		}
		if m.DisplayNumber == "" || m.Description == "" || m.OpenDate == "" || m.LastActivityDate == "" ||
			m.ResponsibleAttorney == nil || m.OriginatingAttorney == nil || m.UpdatedAt.IsZero() {
			t.Errorf("matter %+v: want display number, description, dates, attorneys", m)
		}
		if m.UpdatedAt.After(sampleEnd) {
			t.Errorf("matter %d updated_at %v after 2026-01-01", m.ID, m.UpdatedAt)
		}
	}
	for _, st := range []string{clio.MatterOpen, clio.MatterPending, clio.MatterClosed} {
		if statuses[st] == 0 {
			t.Errorf("no matter with status %s (statuses %v)", st, statuses)
		}
	}
	if len(areas) != len(practiceAreas) {
		t.Errorf("practice areas used = %d, want %d", len(areas), len(practiceAreas))
	}
	multi := 0
	for _, n := range openPerClient {
		if n > 1 {
			multi++
		}
	}
	if multi < 5 {
		t.Errorf("clients with more than one open matter = %d, want >= 5", multi)
	}
	for _, c := range f.Contacts {
		if c.IsClient != hasMatter[c.ID] {
			t.Errorf("contact %d is_client = %v, want %v", c.ID, c.IsClient, hasMatter[c.ID])
		}
	}
	if f.Matters[0].DisplayNumber[:6] != "00001-" {
		t.Errorf("first display number = %q, want 00001-…", f.Matters[0].DisplayNumber)
	}
}
