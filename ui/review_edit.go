package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// noContact is the contact choice that logs the entry without a contact.
const noContact = "No contact"

// reviewEditor edits one review entry: contact (type-ahead over the
// matching contacts, then the Searcher), matter (the contact's matters,
// then the MatterSearcher), billable and note, and the duration of a call
// whose end was never seen.
type reviewEditor struct {
	it ReviewItem
	a  ReviewActions

	contactFind *widget.Entry
	contact     *widget.Select
	matterFind  *widget.Entry
	matter      *widget.Select
	billable    *widget.Check
	note        *widget.Entry
	duration    *widget.Entry // only for an entry whose duration is unknown
	durationErr *widget.Label
	save        *widget.Button

	contacts    map[string]Caller
	contactList []string
	matters     map[string]Matter
	box         *fyne.Container
}

func newReviewEditor(it ReviewItem, a ReviewActions) *reviewEditor {
	e := &reviewEditor{it: it, a: a, contacts: map[string]Caller{}, matters: map[string]Matter{}}
	e.contactFind = widget.NewEntry()
	e.contactFind.SetPlaceHolder("Type to find a contact")
	e.contactFind.OnChanged = e.findContacts
	e.contact = widget.NewSelect(nil, func(string) { e.fillMatters("") })
	e.matterFind = widget.NewEntry()
	e.matterFind.SetPlaceHolder("Type to find a matter")
	e.matterFind.OnChanged = e.fillMatters
	e.matter = widget.NewSelect(nil, nil)
	e.billable = widget.NewCheck("Billable", nil)
	e.billable.Checked = it.Billable
	e.note = widget.NewMultiLineEntry()
	e.note.SetText(it.Note)
	e.note.SetMinRowsVisible(2)
	e.note.Wrapping = fyne.TextWrapWord

	// The contacts the entry already knows: its own, then the matches.
	var start []Caller
	own := it.ContactID == 0
	for _, cl := range it.Callers {
		own = own || cl.ContactID == it.ContactID
	}
	if !own {
		start = append(start, Caller{ContactID: it.ContactID, Name: it.Who})
	}
	start = append(start, it.Callers...)
	e.setContacts(start)
	for l, cl := range e.contacts {
		if cl.ContactID == it.ContactID && it.ContactID != 0 {
			e.contact.SetSelected(l)
		}
	}
	if e.contact.Selected == "" {
		e.contact.SetSelected(e.contactList[0])
	}
	e.fillMatters("")
	for l, m := range e.matters {
		if it.MatterID != 0 && m.ID == it.MatterID {
			e.matter.SetSelected(l)
		}
	}

	label := "Confirm with these changes"
	if it.State == "failed" {
		label = "Save and retry"
	}
	e.save = widget.NewButton(label, func() {
		if v, ok := e.check(); ok {
			a.Confirm(it.ID, v)
		}
	})
	e.save.Importance = widget.HighImportance

	form := widget.NewForm(
		widget.NewFormItem("Contact", container.NewVBox(e.contactFind, e.contact)),
		widget.NewFormItem("Matter", container.NewVBox(e.matterFind, e.matter)),
		widget.NewFormItem("", e.billable),
		widget.NewFormItem("Note", e.note),
	)
	if it.DurationUnknown {
		e.duration = widget.NewEntry()
		e.duration.SetPlaceHolder("4:12")
		e.durationErr = errorLabel()
		e.duration.OnChanged = func(string) {
			if e.durationErr.Visible() {
				e.check()
			}
		}
		item := widget.NewFormItem("Duration", container.NewVBox(e.duration, e.durationErr))
		item.HintText = "CallDocket was closed before the call ended: how long did it last?"
		form.AppendItem(item)
	}
	e.box = container.NewVBox(form, container.NewHBox(e.save))
	e.box.Hide()
	return e
}

// setContacts makes cs (deduplicated, with the entry's own contact kept)
// the contact options, followed by "No contact".
func (e *reviewEditor) setContacts(cs []Caller) {
	prev, hadPrev := e.contacts[e.contact.Selected]
	e.contacts = map[string]Caller{}
	e.contactList = nil
	seen := map[int64]bool{}
	add := func(cl Caller) {
		if cl.ContactID == 0 || seen[cl.ContactID] {
			return
		}
		seen[cl.ContactID] = true
		l := joinNonEmpty(strings.TrimSpace(cl.Name), cl.Company)
		if l == "" {
			l = fmt.Sprintf("Contact #%d", cl.ContactID)
		}
		if _, dup := e.contacts[l]; dup {
			l = fmt.Sprintf("%s (#%d)", l, cl.ContactID)
		}
		e.contacts[l] = cl
		e.contactList = append(e.contactList, l)
	}
	if hadPrev {
		add(prev)
	}
	for _, cl := range cs {
		add(cl)
	}
	e.contactList = append(e.contactList, noContact)
	e.contact.SetOptions(e.contactList)
}

// findContacts is the contact type-ahead: the Searcher's hits replace the
// options and the best one is selected.
func (e *reviewEditor) findContacts(q string) {
	q = strings.TrimSpace(q)
	if e.a.Contacts == nil || len([]rune(q)) < 2 {
		return
	}
	ctx, cancel := searchContext()
	found, err := e.a.Contacts.Search(ctx, q, searchLimit)
	cancel()
	if err != nil || len(found) == 0 {
		return
	}
	e.setContacts(found)
	for l, cl := range e.contacts {
		if cl.ContactID == found[0].ContactID {
			e.contact.SetSelected(l)
		}
	}
}

// fillMatters lists the chosen contact's matters matching q, then the
// MatterSearcher's, then "No matter", selecting the first.
func (e *reviewEditor) fillMatters(q string) {
	if e.matter == nil {
		return
	}
	q = strings.TrimSpace(q)
	cl := e.contacts[e.contact.Selected]
	prev := e.matter.Selected
	e.matters = map[string]Matter{}
	var labels []string
	seen := map[int64]bool{}
	add := func(m Matter) {
		if seen[m.ID] || q != "" && !matterMatches(m, q) {
			return
		}
		seen[m.ID] = true
		l := matterLabel(m)
		if m.ClientName != "" && m.ClientID != cl.ContactID {
			l += " — " + m.ClientName
		}
		if _, dup := e.matters[l]; dup || l == "" {
			l = fmt.Sprintf("%s (#%d)", l, m.ID)
		}
		e.matters[l] = m
		labels = append(labels, l)
	}
	for _, m := range cl.Matters {
		add(m)
	}
	if q != "" && e.a.Matters != nil {
		ctx, cancel := searchContext()
		found, err := e.a.Matters.SearchMatters(ctx, q, searchLimit)
		cancel()
		if err == nil {
			for _, m := range found {
				add(m)
			}
		}
	}
	labels = append(labels, noMatter)
	e.matter.SetOptions(labels)
	switch _, ok := e.matters[prev]; {
	case q == "" && ok:
		e.matter.SetSelected(prev)
	default:
		e.matter.SetSelected(labels[0])
	}
}

// check validates the editor (the duration, when it asks for one),
// explains a problem beside its field, and returns the edited entry; ok
// is false when something must be fixed first.
func (e *reviewEditor) check() (v ReviewEdit, ok bool) {
	v = e.value()
	if e.duration == nil {
		return v, true
	}
	d, err := ParseCallDuration(e.duration.Text)
	showError(e.durationErr, message(err))
	v.Duration = d
	return v, err == nil
}

// value is the edited entry, the duration as the entry knows it.
func (e *reviewEditor) value() ReviewEdit {
	v := ReviewEdit{Billable: e.billable.Checked, Note: strings.TrimSpace(e.note.Text), Duration: e.it.Duration}
	if cl, ok := e.contacts[e.contact.Selected]; ok {
		v.ContactID = cl.ContactID
	}
	if m, ok := e.matters[e.matter.Selected]; ok {
		v.MatterID = m.ID
		if v.ContactID == 0 && m.ClientID != 0 {
			v.ContactID = m.ClientID
		}
	}
	return v
}
