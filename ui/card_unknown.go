package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// unknownPanel is the unknown caller's actions on a card: "Create contact"
// with a prefilled form, "Find in Clio…" with a search, and "Not a client".
type unknownPanel struct {
	c *Card

	create, find, notClient *widget.Button

	createForm *fyne.Container
	name       *widget.Entry
	number     *widget.Entry
	nameErr    *widget.Label
	save       *widget.Button
	cancel     *widget.Button

	findForm *fyne.Container
	query    *widget.Entry
	results  *fyne.Container
	found    []*widget.Button // one per result, in order
	status   *widget.Label    // "No contact matches" / "Creating …"

	actions *fyne.Container
	box     *fyne.Container
}

func newUnknownPanel(c *Card) *unknownPanel {
	p := &unknownPanel{c: c}
	p.create = widget.NewButton("Create contact (C)", p.openCreate)
	p.find = widget.NewButton("Find in Clio… (F)", p.openFind)
	p.notClient = widget.NewButton("Not a client (X)", c.markNotClient)
	if c.cfg.onCreate == nil {
		p.create.Disable()
	}
	if c.cfg.contacts == nil {
		p.find.Disable()
	}
	p.actions = container.NewGridWithColumns(3, p.create, p.find, p.notClient)

	p.name = widget.NewEntry()
	p.name.SetPlaceHolder("Full name or company")
	p.name.OnSubmitted = func(string) { p.submitCreate() }
	p.number = widget.NewEntry()
	p.number.OnSubmitted = func(string) { p.submitCreate() }
	p.nameErr = errorLabel()
	p.save = widget.NewButton("Create in Clio", p.submitCreate)
	p.save.Importance = widget.HighImportance
	p.cancel = widget.NewButton("Cancel", p.closeForms)
	p.createForm = container.NewVBox(
		widget.NewLabelWithStyle("New Clio contact", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(
			widget.NewFormItem("Name", container.NewVBox(p.name, p.nameErr)),
			widget.NewFormItem("Number", p.number),
		),
		container.NewHBox(p.save, p.cancel),
	)
	p.createForm.Hide()

	p.query = widget.NewEntry()
	p.query.SetPlaceHolder("Search Clio contacts by name, company or number")
	p.query.OnChanged = func(q string) {
		if len([]rune(strings.TrimSpace(q))) >= 2 {
			p.search(q)
		}
	}
	p.query.OnSubmitted = p.search
	p.results = container.NewVBox()
	p.findForm = container.NewVBox(
		widget.NewLabelWithStyle("Find in Clio", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.query, p.results,
	)
	p.findForm.Hide()

	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()
	p.box = container.NewVBox(p.actions, p.createForm, p.findForm, p.status)
	return p
}

// refresh shows the panel as the card's state asks.
func (p *unknownPanel) refresh() {
	c := p.c
	switch {
	case c.notClient:
		p.actions.Hide()
		p.createForm.Hide()
		p.findForm.Hide()
		p.setStatus("Marked as not a client: the call is logged without a contact.")
	case c.creating != "":
		p.actions.Hide()
		p.createForm.Hide()
		p.findForm.Hide()
		p.setStatus("Creating “" + c.creating + "” in Clio… The card updates when it exists.")
	default:
		p.actions.Show()
		if p.status.Text != "" && !p.findForm.Visible() {
			p.status.Hide()
		}
	}
	if c.decided {
		for _, b := range []*widget.Button{p.create, p.find, p.notClient, p.save, p.cancel} {
			b.Disable()
		}
		p.query.Disable()
	}
}

func (p *unknownPanel) setStatus(s string) {
	p.status.SetText(s)
	if s == "" {
		p.status.Hide()
	} else {
		p.status.Show()
	}
}

// unknownVisible reports whether the unknown-caller actions are offered.
func (c *Card) unknownVisible() bool {
	return c.unk != nil && !c.Missed() && c.current() == nil && !c.notClient && c.creating == "" && c.unk.actions.Visible()
}

func (p *unknownPanel) openCreate() {
	if p.c.cfg.onCreate == nil || p.c.decided {
		return
	}
	p.findForm.Hide()
	p.setStatus("")
	if p.name.Text == "" {
		p.name.SetText(strings.TrimSpace(p.c.v.CallerIDName))
	}
	if p.number.Text == "" {
		p.number.SetText(strings.TrimSpace(p.c.v.Number))
	}
	p.createForm.Show()
	p.box.Refresh()
	focus(p.name)
}

func (p *unknownPanel) openFind() {
	if p.c.cfg.contacts == nil || p.c.decided {
		return
	}
	p.createForm.Hide()
	p.setStatus("")
	p.findForm.Show()
	p.box.Refresh()
	focus(p.query)
}

func (p *unknownPanel) closeForms() {
	p.createForm.Hide()
	p.findForm.Hide()
	p.setStatus("")
	p.box.Refresh()
}

// submitCreate checks the name and hands the new contact to the app.
func (p *unknownPanel) submitCreate() {
	name := strings.TrimSpace(p.name.Text)
	if name == "" {
		showError(p.nameErr, "Enter the contact's name.")
		return
	}
	showError(p.nameErr, "")
	c := p.c
	c.creating = name
	c.cfg.onCreate(c.v.CallID, name, strings.TrimSpace(p.number.Text))
	c.refreshAll()
}

// search runs the contact search and lists the results as buttons.
func (p *unknownPanel) search(q string) {
	q = strings.TrimSpace(q)
	s := p.c.cfg.contacts
	if s == nil || q == "" {
		return
	}
	ctx, cancel := searchContext()
	found, err := s.Search(ctx, q, searchLimit)
	cancel()
	p.found = nil
	var objs []fyne.CanvasObject
	switch {
	case err != nil:
		p.setStatus("Search failed: " + err.Error())
	case len(found) == 0:
		p.setStatus("No Clio contact matches “" + q + "”.")
	default:
		p.setStatus("")
		for _, cl := range found {
			cl := cl
			text, _ := clientBadge(cl.ClientStatus)
			b := widget.NewButton(joinNonEmpty(strings.TrimSpace(cl.Name), cl.Company, text), func() { p.c.pick(cl) })
			b.Alignment = widget.ButtonAlignLeading
			p.found = append(p.found, b)
			objs = append(objs, b)
		}
	}
	p.results.Objects = objs
	p.results.Refresh()
}
