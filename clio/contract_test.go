package clio_test

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/clio/fake"
)

// The contract test runs every client method against the Clio emulator in
// strict mode (unknown body keys, missing required fields, unknown fields
// and bad query values are errors there) and checks that no request was
// refused and every API request pinned the version.

const contractToken = "contract-test-token"

// emulator starts the emulator on the sample firm and returns it, the firm
// and a client for it. At cleanup it checks every request the emulator saw.
func emulator(t *testing.T) (*fake.Server, *fake.Firm, *clio.Client) {
	t.Helper()
	firm := fake.SampleFirm()
	srv, err := fake.NewServer(firm, fake.Options{Token: contractToken})
	if err != nil {
		t.Fatalf("fake.NewServer error = %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	c, err := clio.NewClient(clio.TokenHTTPClient(t.Context(), contractToken), ts.URL)
	if err != nil {
		t.Fatalf("clio.NewClient(%q) error = %v", ts.URL, err)
	}
	t.Cleanup(func() { checkRequests(t, srv) })
	return srv, firm, c
}

// checkRequests fails on any request the emulator answered with 4xx/5xx,
// any API request without X-API-VERSION 4.0.13 or a fields list, and any
// upload that carried the API's headers.
func checkRequests(t *testing.T, srv *fake.Server) {
	t.Helper()
	api := 0
	for _, r := range srv.Requests() {
		what := r.Method + " " + r.Path
		if r.Status >= 400 || r.Status == 0 {
			t.Errorf("%s?%s answered %d, want success", what, r.Query, r.Status)
		}
		switch {
		case strings.HasPrefix(r.Path, "/api/v4/"):
			api++
			if got := r.Header.Get("X-API-VERSION"); got != clio.APIVersion {
				t.Errorf("%s X-API-VERSION = %q, want %q", what, got, clio.APIVersion)
			}
			q, err := url.ParseQuery(r.Query)
			if err != nil || q.Get("fields") == "" {
				t.Errorf("%s?%s has no fields list", what, r.Query)
			}
		default: // the document store behind put_url
			for _, h := range []string{"Authorization", "X-API-VERSION"} {
				if v := r.Header.Get(h); v != "" {
					t.Errorf("%s (document upload) sent %s, want none", what, h)
				}
			}
		}
	}
	if api == 0 {
		t.Error("the emulator saw no API request")
	}
}

func TestContract(t *testing.T) {
	srv, firm, c := emulator(t)
	ctx := t.Context()
	const eventKey = "calldocket_event_id"

	t.Run("Users.WhoAmI", func(t *testing.T) {
		u, _, err := c.Users.WhoAmI(ctx)
		if err != nil {
			t.Fatalf("Users.WhoAmI error = %v", err)
		}
		if want := firm.Users[0]; u.ID != want.ID || u.Name != want.Name || u.Account == nil || u.Account.Name == "" {
			t.Errorf("Users.WhoAmI = %+v, want user %d %q with an account", u, want.ID, want.Name)
		}
	})

	t.Run("Users.ListAll", func(t *testing.T) {
		var n int
		err := c.Users.ListAll(ctx, func(us []clio.User) error { n += len(us); return nil })
		if err != nil || n != len(firm.Users) {
			t.Errorf("Users.ListAll = %d users, %v; want %d", n, err, len(firm.Users))
		}
	})

	t.Run("Contacts.ListAll", func(t *testing.T) {
		var ids []int64
		pages := 0
		err := c.Contacts.ListAll(ctx, nil, func(cs []clio.Contact) error {
			pages++
			for _, ct := range cs {
				ids = append(ids, ct.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Contacts.ListAll error = %v", err)
		}
		if len(ids) != len(firm.Contacts) || !slices.IsSorted(ids) || pages < len(firm.Contacts)/200 {
			t.Errorf("Contacts.ListAll = %d contacts in %d pages, want %d in id order", len(ids), pages, len(firm.Contacts))
		}
	})

	t.Run("Contacts.ListAll/updated_since", func(t *testing.T) {
		times := make([]time.Time, len(firm.Contacts))
		for i, ct := range firm.Contacts {
			times[i] = ct.UpdatedAt
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		since := times[len(times)*9/10].Truncate(time.Second)
		want := 0
		for _, ct := range firm.Contacts {
			if !ct.UpdatedAt.Before(since) {
				want++
			}
		}
		got := 0
		err := c.Contacts.ListAll(ctx, &clio.ContactListOptions{UpdatedSince: since, Limit: 50}, func(cs []clio.Contact) error {
			for _, ct := range cs {
				if ct.UpdatedAt.Before(since) {
					t.Errorf("contact %d updated %v, before %v", ct.ID, ct.UpdatedAt, since)
				}
			}
			got += len(cs)
			return nil
		})
		if err != nil || got != want || want == 0 {
			t.Errorf("Contacts.ListAll(updated_since %v) = %d contacts, %v, want %d", since, got, err, want)
		}
	})

	var withPhones clio.Contact
	for _, ct := range firm.Contacts {
		if len(ct.PhoneNumbers) > 1 {
			withPhones = ct
			break
		}
	}

	t.Run("Contacts.List/query", func(t *testing.T) {
		number := withPhones.PhoneNumbers[0].Number
		got, _, err := c.Contacts.List(ctx, &clio.ContactListOptions{Query: number})
		if err != nil {
			t.Fatalf("Contacts.List(query) error = %v", err)
		}
		if !slices.ContainsFunc(got, func(ct clio.Contact) bool { return ct.ID == withPhones.ID }) {
			t.Errorf("Contacts.List(query %q) = %d contacts without %d", number, len(got), withPhones.ID)
		}
	})

	t.Run("Contacts.Get", func(t *testing.T) {
		got, _, err := c.Contacts.Get(ctx, withPhones.ID)
		if err != nil {
			t.Fatalf("Contacts.Get(%d) error = %v", withPhones.ID, err)
		}
		if got.Name != withPhones.Name || len(got.PhoneNumbers) != len(withPhones.PhoneNumbers) {
			t.Errorf("Contacts.Get(%d) = %+v, want %+v", withPhones.ID, got, withPhones)
		}
	})

	t.Run("PhoneNumbers", func(t *testing.T) {
		page, _, err := c.PhoneNumbers.List(ctx, withPhones.ID, nil)
		if err != nil {
			t.Fatalf("PhoneNumbers.List(%d) error = %v", withPhones.ID, err)
		}
		var all []clio.PhoneNumber
		err = c.PhoneNumbers.ListAll(ctx, withPhones.ID, &clio.PhoneNumberListOptions{Limit: 1}, func(ps []clio.PhoneNumber) error {
			all = append(all, ps...)
			return nil
		})
		if err != nil {
			t.Fatalf("PhoneNumbers.ListAll(%d) error = %v", withPhones.ID, err)
		}
		if !slices.Equal(page, withPhones.PhoneNumbers) || !slices.Equal(all, withPhones.PhoneNumbers) {
			t.Errorf("PhoneNumbers of %d = %+v and %+v, want %+v", withPhones.ID, page, all, withPhones.PhoneNumbers)
		}
	})

	var created *clio.Contact
	t.Run("Contacts.Create", func(t *testing.T) {
		company, _, err := c.Contacts.Create(ctx, &clio.ContactCreate{Type: clio.ContactCompany, Name: "Lee Holdings LLC",
			PhoneNumbers: []clio.PhoneNumberCreate{{Name: clio.PhoneWork, Number: "+12125550190", Default: true}}})
		if err != nil {
			t.Fatalf("Contacts.Create(company) error = %v", err)
		}
		created, _, err = c.Contacts.Create(ctx, &clio.ContactCreate{Type: clio.ContactPerson, FirstName: "Ann", LastName: "Lee",
			Company: &clio.IDRef{ID: company.ID},
			PhoneNumbers: []clio.PhoneNumberCreate{
				{Name: clio.PhoneWork, Number: "(212) 555-0191"},
				{Name: clio.PhoneMobile, Number: "+15551234567", Default: true},
			}})
		if err != nil {
			t.Fatalf("Contacts.Create(person) error = %v", err)
		}
		if created.Name != "Ann Lee" || created.Type != clio.ContactPerson || created.Company == nil || created.Company.ID != company.ID {
			t.Errorf("Contacts.Create(person) = %+v, want Ann Lee of company %d", created, company.ID)
		}
		phones, _, err := c.PhoneNumbers.List(ctx, created.ID, nil)
		if err != nil {
			t.Fatalf("PhoneNumbers.List(%d) error = %v", created.ID, err)
		}
		var primary []string
		for _, p := range phones {
			if p.Primary {
				primary = append(primary, p.Number)
			}
		}
		if len(phones) != 2 || !slices.Equal(primary, []string{"+15551234567"}) {
			t.Errorf("PhoneNumbers.List(created %d) = %+v, want 2 with +15551234567 primary", created.ID, phones)
		}
		got, _, err := c.Contacts.List(ctx, &clio.ContactListOptions{Query: "+15551234567"})
		if err != nil || !slices.ContainsFunc(got, func(ct clio.Contact) bool { return ct.ID == created.ID }) {
			t.Errorf("Contacts.List(query +15551234567) = %d contacts, %v, want the created contact", len(got), err)
		}
	})

	t.Run("Matters", func(t *testing.T) {
		var all []clio.Matter
		if err := c.Matters.ListAll(ctx, nil, func(ms []clio.Matter) error { all = append(all, ms...); return nil }); err != nil {
			t.Fatalf("Matters.ListAll error = %v", err)
		}
		if len(all) != len(firm.Matters) {
			t.Errorf("Matters.ListAll = %d matters, want %d", len(all), len(firm.Matters))
		}
		client := firm.Matters[0].Client.ID
		byClient, _, err := c.Matters.List(ctx, &clio.MatterListOptions{ClientID: client})
		if err != nil || len(byClient) == 0 {
			t.Fatalf("Matters.List(client %d) = %d matters, %v, want some", client, len(byClient), err)
		}
		for _, m := range byClient {
			if m.Client == nil || m.Client.ID != client {
				t.Errorf("Matters.List(client %d) returned matter %d of client %+v", client, m.ID, m.Client)
			}
		}
		var open []clio.Matter
		err = c.Matters.ListAll(ctx, &clio.MatterListOptions{Status: []string{"open", "pending"}}, func(ms []clio.Matter) error {
			open = append(open, ms...)
			return nil
		})
		want := 0
		for _, m := range firm.Matters {
			if m.Status != clio.MatterClosed {
				want++
			}
		}
		if err != nil || len(open) != want {
			t.Errorf("Matters.ListAll(open, pending) = %d matters, %v, want %d", len(open), err, want)
		}
		for _, m := range open {
			if m.Status != clio.MatterOpen && m.Status != clio.MatterPending {
				t.Errorf("Matters.ListAll(open, pending) returned matter %d with status %q", m.ID, m.Status)
			}
		}
		since := firm.Matters[len(firm.Matters)/2].UpdatedAt.Truncate(time.Second)
		recent, _, err := c.Matters.List(ctx, &clio.MatterListOptions{UpdatedSince: since, Limit: 20})
		if err != nil || len(recent) == 0 {
			t.Errorf("Matters.List(updated_since %v) = %d matters, %v, want some", since, len(recent), err)
		}
		for _, m := range recent {
			if m.UpdatedAt.Before(since) {
				t.Errorf("Matters.List(updated_since %v) returned matter %d updated %v", since, m.ID, m.UpdatedAt)
			}
		}
	})

	t.Run("Relationships", func(t *testing.T) {
		if len(firm.Relationships) == 0 {
			t.Fatal("sample firm has no relationships")
		}
		rel := firm.Relationships[0]
		want := 0
		for _, r := range firm.Relationships {
			if r.ContactID == rel.ContactID {
				want++
			}
		}
		page, _, err := c.Relationships.ListByContact(ctx, rel.ContactID)
		if err != nil {
			t.Fatalf("Relationships.ListByContact(%d) error = %v", rel.ContactID, err)
		}
		var all []clio.Relationship
		err = c.Relationships.ListAllByContact(ctx, rel.ContactID, func(rs []clio.Relationship) error { all = append(all, rs...); return nil })
		if err != nil || len(all) != want || len(page) != want {
			t.Fatalf("Relationships of contact %d = %d and %d, %v, want %d", rel.ContactID, len(page), len(all), err, want)
		}
		i := slices.IndexFunc(all, func(r clio.Relationship) bool { return r.ID == rel.ID })
		if i < 0 {
			t.Fatalf("Relationships.ListAllByContact(%d) lacks relationship %d", rel.ContactID, rel.ID)
		}
		var every []clio.Relationship
		err = c.Relationships.ListAll(ctx, &clio.RelationshipListOptions{Limit: 50}, func(rs []clio.Relationship) error {
			every = append(every, rs...)
			return nil
		})
		if err != nil || len(every) != len(firm.Relationships) {
			t.Errorf("Relationships.ListAll = %d, %v, want %d", len(every), err, len(firm.Relationships))
		}
		byMatter, _, err := c.Relationships.List(ctx, &clio.RelationshipListOptions{MatterID: rel.MatterID})
		if err != nil || !slices.ContainsFunc(byMatter, func(r clio.Relationship) bool { return r.ID == rel.ID }) {
			t.Errorf("Relationships.List(matter %d) = %+v, %v, want relationship %d", rel.MatterID, byMatter, err, rel.ID)
		}
		m := all[i].Matter
		if m == nil || m.ID != rel.MatterID || m.DisplayNumber == "" || m.Status == "" || all[i].Description != rel.Description {
			t.Errorf("relationship %d = %+v (matter %+v), want matter %d with number and status", rel.ID, all[i], m, rel.MatterID)
		}
	})

	matter := firm.Matters[0]
	var comm *clio.Communication
	t.Run("Communications", func(t *testing.T) {
		received := time.Date(2026, 5, 4, 14, 3, 0, 0, time.FixedZone("EDT", -4*3600))
		var err error
		comm, _, err = c.Communications.Create(ctx, &clio.CommunicationCreate{
			Type: clio.CommunicationPhone, Subject: "Inbound call from Ann Lee", Body: "Duration 00:07:12.",
			ReceivedAt: received, Matter: &clio.IDRef{ID: matter.ID},
			Senders:            []clio.Participant{{ID: matter.Client.ID, Type: clio.ParticipantContact}},
			Receivers:          []clio.Participant{{ID: firm.Users[0].ID, Type: clio.ParticipantUser}},
			ExternalProperties: []clio.ExternalProperty{{Name: eventKey, Value: "call-contract-1"}},
		})
		if err != nil {
			t.Fatalf("Communications.Create error = %v", err)
		}
		if comm.ID == 0 || !comm.ReceivedAt.Equal(received) || len(comm.ExternalProperties) != 1 {
			t.Errorf("Communications.Create = %+v, want an id, received_at %v and the event id", comm, received)
		}
		found, _, err := c.Communications.ListByExternalProperty(ctx, eventKey, "call-contract-1")
		if err != nil || len(found) != 1 || found[0].ID != comm.ID {
			t.Errorf("Communications.ListByExternalProperty = %+v, %v, want [%d]", found, err, comm.ID)
		}
		none, _, err := c.Communications.ListByExternalProperty(ctx, eventKey, "call-never-sent")
		if err != nil || len(none) != 0 {
			t.Errorf("Communications.ListByExternalProperty(unknown) = %+v, %v, want none", none, err)
		}
		opts := []*clio.CommunicationListOptions{
			{MatterID: matter.ID},
			{ContactID: matter.Client.ID},
			{ReceivedSince: received.Add(-time.Minute)},
			{ExternalPropertyName: eventKey, ExternalPropertyValue: "call-contract-1", MatterID: matter.ID},
		}
		for _, o := range opts {
			var got []clio.Communication
			err := c.Communications.ListAll(ctx, o, func(cs []clio.Communication) error { got = append(got, cs...); return nil })
			if err != nil || !slices.ContainsFunc(got, func(x clio.Communication) bool { return x.ID == comm.ID }) {
				t.Errorf("Communications.ListAll(%+v) = %d communications, %v, want %d among them", o, len(got), err, comm.ID)
			}
			page, _, err := c.Communications.List(ctx, o)
			if err != nil || len(page) == 0 {
				t.Errorf("Communications.List(%+v) = %d, %v, want some", o, len(page), err)
			}
		}
	})

	t.Run("Activities", func(t *testing.T) {
		if comm == nil {
			t.Skip("no communication was created")
		}
		a, _, err := c.Activities.Create(ctx, &clio.ActivityCreate{Type: clio.ActivityTimeEntry, Date: "2026-05-04", Quantity: 432,
			Note: "Call with Ann Lee", Matter: &clio.IDRef{ID: matter.ID}, User: &clio.IDRef{ID: firm.Users[0].ID},
			Communication: &clio.IDRef{ID: comm.ID}})
		if err != nil {
			t.Fatalf("Activities.Create error = %v", err)
		}
		if a.ID == 0 || a.Quantity != 432 || a.Communication == nil || a.Communication.ID != comm.ID {
			t.Errorf("Activities.Create = %+v, want 432 s linked to communication %d", a, comm.ID)
		}
		got, _, err := c.Activities.ListByCommunication(ctx, comm.ID)
		if err != nil || len(got) != 1 || got[0].ID != a.ID {
			t.Errorf("Activities.ListByCommunication(%d) = %+v, %v, want [%d]", comm.ID, got, err, a.ID)
		}
	})

	var folder *clio.Folder
	t.Run("Folders", func(t *testing.T) {
		owners := []clio.Parent{{ID: matter.ID, Type: clio.ParentMatter}}
		if created != nil {
			owners = append(owners, clio.Parent{ID: created.ID, Type: clio.ParentContact})
		}
		for i, owner := range owners {
			tag := "faxes-" + owner.Type
			found, err := c.Folders.Find(ctx, owner, "Faxes")
			if err != nil || len(found) != 0 {
				t.Fatalf("Folders.Find(%+v, Faxes) before create = %+v, %v, want none", owner, found, err)
			}
			f, _, err := c.Folders.Create(ctx, &clio.FolderCreate{Name: "Faxes", Parent: owner,
				ExternalProperties: []clio.ExternalProperty{{Name: "calldocket_folder", Value: tag}}})
			if err != nil {
				t.Fatalf("Folders.Create(%+v) error = %v", owner, err)
			}
			if f.ID == 0 || f.Name != "Faxes" {
				t.Errorf("Folders.Create(%+v) = %+v, want Faxes with an id", owner, f)
			}
			if i == 0 {
				folder = f
			}
			// A second, longer name must not match Find's exact name.
			if _, _, err := c.Folders.Create(ctx, &clio.FolderCreate{Name: "Faxes 2025", Parent: owner}); err != nil {
				t.Fatalf("Folders.Create(Faxes 2025) error = %v", err)
			}
			found, err = c.Folders.Find(ctx, owner, "Faxes")
			if err != nil || len(found) != 1 || found[0].ID != f.ID {
				t.Errorf("Folders.Find(%+v, Faxes) = %+v, %v, want [%d]", owner, found, err, f.ID)
			}
			tagged, _, err := c.Folders.FindByExternalProperty(ctx, "calldocket_folder", tag)
			if err != nil || len(tagged) != 1 || tagged[0].ID != f.ID {
				t.Errorf("Folders.FindByExternalProperty(%s) = %+v, %v, want [%d]", tag, tagged, err, f.ID)
			}
		}
	})

	t.Run("Documents", func(t *testing.T) {
		parent := clio.Parent{ID: matter.ID, Type: clio.ParentMatter}
		if folder != nil {
			parent = clio.Parent{ID: folder.ID, Type: clio.ParentFolder}
		}
		dc := &clio.DocumentCreate{Name: "Inbound fax 2026-05-04.pdf", Parent: parent, ContentType: "application/pdf",
			ReceivedAt: time.Date(2026, 5, 4, 18, 3, 0, 0, time.UTC), Filename: "fax-2026-05-04.pdf",
			ExternalProperties: []clio.ExternalProperty{{Name: eventKey, Value: "fax-contract-1"}}}
		if comm != nil {
			dc.CommunicationID = comm.ID
		}
		doc, _, err := c.Documents.Create(ctx, dc)
		if err != nil {
			t.Fatalf("Documents.Create error = %v", err)
		}
		v := doc.LatestDocumentVersion
		if doc.ID == 0 || v == nil || v.UUID == "" || v.PutURL == "" || len(v.PutHeaders) == 0 || v.FullyUploaded {
			t.Fatalf("Documents.Create = %+v (version %+v), want an id, a uuid, a put_url and put_headers", doc, v)
		}

		// A retry after a crash finds the half-done upload and resumes it.
		found, _, err := c.Documents.FindByExternalProperty(ctx, eventKey, "fax-contract-1")
		if err != nil || len(found) != 1 || found[0].ID != doc.ID {
			t.Fatalf("Documents.FindByExternalProperty = %+v, %v, want [%d]", found, err, doc.ID)
		}
		rv := found[0].LatestDocumentVersion
		if rv == nil || rv.UUID != v.UUID || rv.FullyUploaded {
			t.Errorf("found version = %+v, want uuid %q not uploaded", rv, v.UUID)
		}

		pdf := []byte("%PDF-1.4\n% contract test fax\n%%EOF\n")
		if err := c.Documents.Upload(ctx, v.PutURL, v.PutHeaders, bytes.NewReader(pdf), int64(len(pdf))); err != nil {
			t.Fatalf("Documents.Upload error = %v", err)
		}
		putURL, err := url.Parse(v.PutURL)
		if err != nil {
			t.Fatalf("put_url %q: %v", v.PutURL, err)
		}
		puts := 0
		for _, r := range srv.Requests() {
			if r.Method == "PUT" && r.Path == putURL.Path {
				puts++
				if r.Header.Get("Authorization") != "" || r.Header.Get("X-API-VERSION") != "" {
					t.Errorf("upload PUT carried Authorization or X-API-VERSION: %v", r.Header)
				}
				for _, h := range v.PutHeaders {
					if got := r.Header.Get(h.Name); got != h.Value {
						t.Errorf("upload PUT header %s = %q, want %q", h.Name, got, h.Value)
					}
				}
			}
		}
		if puts != 1 {
			t.Errorf("emulator saw %d upload PUTs to %s, want 1", puts, putURL.Path)
		}
		done, _, err := c.Documents.MarkUploaded(ctx, doc.ID, v.UUID)
		if err != nil {
			t.Fatalf("Documents.MarkUploaded error = %v", err)
		}
		if done.LatestDocumentVersion == nil || !done.LatestDocumentVersion.FullyUploaded {
			t.Errorf("Documents.MarkUploaded = %+v, want fully uploaded", done)
		}
		i := slices.IndexFunc(srv.Documents(), func(d fake.Document) bool { return d.ID == doc.ID })
		if i < 0 {
			t.Fatalf("emulator has no document %d", doc.ID)
		}
		stored := srv.Documents()[i]
		if !stored.Uploaded || !bytes.Equal(stored.Bytes, pdf) || stored.CommunicationID != dc.CommunicationID {
			t.Errorf("emulator document = uploaded %v, %d bytes, communication %d, want uploaded %d bytes, communication %d",
				stored.Uploaded, len(stored.Bytes), stored.CommunicationID, len(pdf), dc.CommunicationID)
		}
		again, _, err := c.Documents.FindByExternalProperty(ctx, eventKey, "fax-contract-1")
		if err != nil || len(again) != 1 || again[0].LatestDocumentVersion == nil || !again[0].LatestDocumentVersion.FullyUploaded {
			t.Errorf("Documents.FindByExternalProperty after upload = %+v, %v, want it fully uploaded", again, err)
		}
	})

	t.Run("low priority", func(t *testing.T) {
		low := clio.WithLowPriority(ctx)
		if _, _, err := c.Contacts.List(low, &clio.ContactListOptions{Limit: 5}); err != nil {
			t.Errorf("Contacts.List(low priority) error = %v", err)
		}
		if r := c.Rate(); r.Limit == 0 || r.Reset.IsZero() {
			t.Errorf("Rate() = %+v, want the emulator's rate headers", r)
		}
	})
}

// TestContractErrors checks that the emulator's refusals reach callers as
// the typed errors they branch on.
func TestContractErrors(t *testing.T) {
	firm := fake.SampleFirm()
	srv, err := fake.NewServer(firm, fake.Options{Token: contractToken, RateLimit: 3})
	if err != nil {
		t.Fatalf("fake.NewServer error = %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	ctx := t.Context()

	bad, err := clio.NewClient(clio.TokenHTTPClient(ctx, "wrong-token"), ts.URL)
	if err != nil {
		t.Fatalf("clio.NewClient error = %v", err)
	}
	var ae *clio.AuthError
	if _, _, err := bad.Users.WhoAmI(ctx); !errors.As(err, &ae) || ae.StatusCode != 401 {
		t.Errorf("WhoAmI with a wrong token error = %v, want *AuthError 401", err)
	}

	c, err := clio.NewClient(clio.TokenHTTPClient(ctx, contractToken), ts.URL)
	if err != nil {
		t.Fatalf("clio.NewClient error = %v", err)
	}
	var apiErr *clio.APIError
	if _, _, err := c.Contacts.Get(ctx, 999_999_999); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !clio.IsPermanent(err) {
		t.Errorf("Contacts.Get(unknown) error = %v, want a permanent *APIError 404", err)
	}
	var rl *clio.RateLimitError
	var last error
	for range 3 {
		_, _, last = c.Users.WhoAmI(ctx)
	}
	if !errors.As(last, &rl) || rl.RetryAfter <= 0 || clio.IsPermanent(last) {
		t.Errorf("third WhoAmI on a budget of 3 error = %v, want a *RateLimitError with RetryAfter", last)
	}
}
