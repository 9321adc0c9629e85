package deliver

import (
	"context"
	"strings"
	"unicode"

	"github.com/calldocket/calldocket/clio"
	"github.com/calldocket/calldocket/queue"
)

// ensureContact finds a contact with the caller's number, or creates a
// Person from the caller-ID name and number (Contact Creation), and
// records it. It returns 0 when there is nothing to create from.
func (w *Writer) ensureContact(ctx context.Context, it queue.Item, rec queue.Recorder) (int64, error) {
	if it.Number == "" {
		return 0, nil
	}
	var found []clio.Contact
	err := w.call(ctx, false, "look for a contact with the caller's number", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		found, resp, err = w.c.Contacts.List(ctx, &clio.ContactListOptions{Query: it.Number, Limit: 5})
		return resp, err
	})
	if err != nil {
		return 0, err
	}
	for _, c := range found {
		if hasNumber(c, it.Number) {
			// Another process (or an earlier attempt of ours) made it, or
			// the local directory had not seen it yet.
			return c.ID, rec.RecordProgress(ctx, queue.Progress{ContactID: c.ID})
		}
	}
	first, last := SplitName(it.Name)
	if first == "" && last == "" {
		last = it.Number // Clio needs a name; the number is what we know
	}
	var created *clio.Contact
	err = w.call(ctx, true, "create a contact for the caller", func(ctx context.Context) (*clio.Response, error) {
		var (
			resp *clio.Response
			err  error
		)
		created, resp, err = w.c.Contacts.Create(ctx, &clio.ContactCreate{
			Type: clio.ContactPerson, FirstName: first, LastName: last,
			PhoneNumbers: []clio.PhoneNumberCreate{{Name: clio.PhoneMobile, Number: it.Number, Default: true}},
		})
		return resp, err
	})
	if err != nil {
		return 0, err
	}
	return created.ID, rec.RecordProgress(ctx, queue.Progress{ContactID: created.ID})
}

// hasNumber reports whether c has number, comparing digits only.
func hasNumber(c clio.Contact, number string) bool {
	want := digits(number)
	if len(want) < 7 {
		return false
	}
	for _, p := range c.PhoneNumbers {
		got := digits(p.Number)
		if got == want || (len(got) >= 7 && (strings.HasSuffix(want, got) || strings.HasSuffix(got, want))) {
			return true
		}
	}
	return false
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// SplitName splits a caller-ID name into first and last name: "Ann Lee",
// "LEE, ANN" and "LEE ANN" (caller-ID order) all work well enough; one word
// is a last name.
func SplitName(name string) (first, last string) {
	name = strings.TrimSpace(name)
	if l, f, ok := strings.Cut(name, ","); ok {
		return strings.TrimSpace(f), strings.TrimSpace(l)
	}
	fields := strings.FieldsFunc(name, unicode.IsSpace)
	switch len(fields) {
	case 0:
		return "", ""
	case 1:
		return "", fields[0]
	}
	return strings.Join(fields[:len(fields)-1], " "), fields[len(fields)-1]
}
