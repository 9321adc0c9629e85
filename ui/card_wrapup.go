package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// noMatter is the matter choice that logs the call against the contact only.
const noMatter = "No matter"

// buildWrapUp creates the wrap-up widgets on the first call and refreshes
// the duration and matter options on later ones.
func (c *Card) buildWrapUp() {
	if c.Note != nil {
		c.summary.SetText(c.summaryText())
		c.refreshMatters(c.MatterFind.Text)
		if c.decided {
			c.disableWrapUp()
		}
		return
	}

	c.summary = widget.NewLabelWithStyle(c.summaryText(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.summary.Wrapping = fyne.TextWrapWord
	c.Matter = widget.NewSelect(nil, nil)
	c.Matter.PlaceHolder = "(choose a matter)"
	c.MatterFind = widget.NewEntry()
	c.MatterFind.SetPlaceHolder("Type to find a matter")
	c.MatterFind.OnChanged = c.refreshMatters
	c.matterHint = widget.NewLabel("")
	c.matterHint.Hide()
	c.refreshMatters("")
	c.Note = widget.NewMultiLineEntry()
	c.Note.SetPlaceHolder("Note (optional)")
	c.Note.SetMinRowsVisible(3)
	c.Note.Wrapping = fyne.TextWrapWord

	c.Billable = widget.NewButton("Billable (B)", func() { c.decide(DecisionBillable) })
	c.NonBillable = widget.NewButton("Non-billable (N)", func() { c.decide(DecisionNonBillable) })
	c.Later = widget.NewButton("Later (Esc)", func() { c.decide(DecisionLater) })
	c.keysHint = widget.NewLabel("")
	c.keysHint.Importance = widget.LowImportance
	c.showDefault()
	c.result = widget.NewLabel("")
	c.result.Hide()

	c.bottom.Objects = []fyne.CanvasObject{
		widget.NewSeparator(),
		c.summary,
		widget.NewForm(widget.NewFormItem("Matter", container.NewVBox(c.MatterFind, c.Matter, c.matterHint))),
		c.Note,
		container.NewGridWithColumns(3, c.Billable, c.NonBillable, c.Later),
		c.keysHint,
		c.result,
	}
	c.bottom.Refresh()
}

// showDefault makes the default, confirmed by Enter, stand out, and says
// so in words: "Enter = Non-billable · Esc = later".
func (c *Card) showDefault() {
	def := "Non-billable"
	c.Billable.Importance, c.NonBillable.Importance = widget.MediumImportance, widget.HighImportance
	if c.cfg.DefaultBillable {
		def = "Billable"
		c.Billable.Importance, c.NonBillable.Importance = widget.HighImportance, widget.MediumImportance
	}
	c.Billable.Refresh()
	c.NonBillable.Refresh()
	c.keysHint.SetText("Enter = " + def + " · Esc = later")
}

// SetDefaults applies new billing defaults at once: the duration preview,
// the highlighted default and what Enter does change on a card still
// waiting for its decision. A decided card keeps what it showed.
func (c *Card) SetDefaults(d Defaults) {
	if c.decided {
		return
	}
	c.cfg.Defaults = d
	if c.Note == nil {
		return
	}
	c.summary.SetText(c.summaryText())
	c.showDefault()
}

// summaryText is "Duration 4:12 · bills as 0.1 h (6-minute increments)".
func (c *Card) summaryText() string {
	if missed(c.v) {
		return "Not answered · no talk time"
	}
	d := talkTime(c.v)
	s := "Duration " + duration(d)
	if floor := c.cfg.MinDuration; floor > 0 && d < floor {
		return s + " · under the " + duration(floor) + " minimum, no time entry"
	}
	inc := c.cfg.Increment
	return s + " · bills as " + Hours(BilledDuration(d, inc)) + " (" + IncrementLabel(inc) + ")"
}

// refreshMatters rebuilds the matter options for the type-ahead text q:
// the contact's matters first, then the other matching contacts', then
// (when q is set) any matter the MatterSearcher finds, then "No matter".
// An empty q keeps the selection (or preselects); a non-empty q selects
// the best hit.
func (c *Card) refreshMatters(q string) {
	q = strings.TrimSpace(q)
	if q != "" && c.cfg.matters != nil {
		ctx, cancel := searchContext()
		found, err := c.cfg.matters.SearchMatters(ctx, q, searchLimit)
		cancel()
		if err == nil {
			for _, m := range found {
				if !c.knownMatter(m.ID) {
					c.extra = append(c.extra, ownedMatter{Matter: m, owner: m.ClientName, contactID: m.ClientID})
				}
			}
		}
	}
	labels, choices, preselect := c.matterChoices()
	c.choices = choices
	prev := c.Matter.Selected

	if q == "" {
		c.matterHint.Hide()
		c.Matter.SetOptions(labels)
		if _, ok := choices[prev]; ok {
			c.Matter.SetSelected(prev)
		} else {
			c.Matter.SetSelected(preselect)
		}
		return
	}
	var hits []string
	for _, l := range labels {
		if l == noMatter {
			continue
		}
		if m, ok := c.matterByLabel(l); ok && matterMatches(m, q) {
			hits = append(hits, l)
		}
	}
	if len(hits) == 0 {
		c.matterHint.SetText("No matter matches “" + q + "”")
		c.matterHint.Show()
		return
	}
	c.matterHint.Hide()
	c.Matter.SetOptions(append(hits, noMatter))
	c.Matter.SetSelected(hits[0])
}

func (c *Card) knownMatter(id int64) bool {
	for _, cl := range c.callers() {
		for _, m := range cl.Matters {
			if m.ID == id {
				return true
			}
		}
	}
	for _, m := range c.extra {
		if m.ID == id {
			return true
		}
	}
	return false
}

func (c *Card) matterByLabel(label string) (Matter, bool) {
	ch, ok := c.choices[label]
	if !ok {
		return Matter{}, false
	}
	for _, m := range c.orderedMatters() {
		if m.ID == ch.matterID {
			mm := m.Matter
			if mm.ClientName == "" {
				mm.ClientName = m.owner
			}
			return mm, true
		}
	}
	return Matter{}, false
}

// decide records the decision once: it disables the wrap-up widgets, shows
// the outcome and calls onDone. Later calls do nothing.
func (c *Card) decide(d Decision) {
	if c.decided || c.Note == nil {
		return
	}
	c.decided = true
	w := WrapUp{
		CallID:     c.v.CallID,
		Decision:   d,
		Note:       strings.TrimSpace(c.Note.Text),
		Duration:   talkTime(c.v),
		NotAClient: c.notClient,
	}
	if cur := c.current(); cur != nil {
		w.ContactID = cur.ContactID
	}
	if ch, ok := c.choices[c.Matter.Selected]; ok && ch.matterID != 0 {
		w.MatterID = ch.matterID
		if ch.contactID != 0 {
			w.ContactID = ch.contactID
		}
	}

	c.disableWrapUp()
	if d == DecisionLater {
		c.result.SetText("Moved to Review calls")
	} else {
		c.result.SetText("Logged — will sync to Clio")
	}
	c.result.Show()
	c.keysHint.Hide()
	if c.unk != nil {
		c.unk.refresh()
	}

	if c.onDone != nil {
		c.onDone(w)
	}
}

func (c *Card) disableWrapUp() {
	for _, b := range []*widget.Button{c.Billable, c.NonBillable, c.Later} {
		b.Disable()
	}
	c.Matter.Disable()
	c.MatterFind.Disable()
	c.Note.Disable()
	if c.Chooser != nil {
		c.Chooser.Disable()
	}
}

// ownedMatter is a matter with the caller it belongs to.
type ownedMatter struct {
	Matter
	owner     string
	contactID int64
}

// orderedMatters lists the current contact's matters, then the other
// callers', then the type-ahead's finds, each once.
func (c *Card) orderedMatters() []ownedMatter {
	var out []ownedMatter
	seen := map[int64]bool{}
	add := func(m ownedMatter) {
		if m.ID != 0 && seen[m.ID] {
			return
		}
		seen[m.ID] = true
		out = append(out, m)
	}
	cs := c.callers()
	cur := c.current()
	if cur != nil {
		for _, m := range cur.Matters {
			add(ownedMatter{Matter: m, owner: strings.TrimSpace(cur.Name), contactID: cur.ContactID})
		}
	}
	for _, cl := range cs {
		if cur != nil && cl.ContactID == cur.ContactID {
			continue
		}
		for _, m := range cl.Matters {
			add(ownedMatter{Matter: m, owner: strings.TrimSpace(cl.Name), contactID: cl.ContactID})
		}
	}
	for _, m := range c.extra {
		add(m)
	}
	return out
}

// matterChoices builds the matter select's options ("00042-Lee · Lease
// dispute", then "No matter") and picks the preselection: the suggested
// matter, else the contact's first open one, else the contact's first,
// else any first open one, else the first, else "No matter".
func (c *Card) matterChoices() (labels []string, choices map[string]choice, preselect string) {
	choices = map[string]choice{}
	cur := c.current()
	byID := map[int64]string{}
	firstOwn, firstOpenOwn, firstOpen := "", "", ""
	for _, m := range c.orderedMatters() {
		label := matterLabel(m.Matter)
		if label == "" {
			label = fmt.Sprintf("Matter %d", m.ID)
		}
		if o := strings.TrimSpace(m.ClientName); o != "" && !strings.Contains(label, o) {
			label += " — " + o // a matter found by search: name its client
		}
		if _, dup := choices[label]; dup {
			label = fmt.Sprintf("%s (#%d)", label, m.ID)
		}
		labels = append(labels, label)
		choices[label] = choice{matterID: m.ID, contactID: m.contactID}
		byID[m.ID] = label
		if firstOwn == "" && cur != nil && m.contactID == cur.ContactID {
			firstOwn = label
		}
		if strings.EqualFold(strings.TrimSpace(m.Status), "open") {
			if firstOpenOwn == "" && cur != nil && m.contactID == cur.ContactID {
				firstOpenOwn = label
			}
			if firstOpen == "" {
				firstOpen = label
			}
		}
	}
	labels = append(labels, noMatter)
	choices[noMatter] = choice{}

	switch {
	case c.v.SuggestedMatterID != 0 && byID[c.v.SuggestedMatterID] != "":
		preselect = byID[c.v.SuggestedMatterID]
	case firstOpenOwn != "":
		preselect = firstOpenOwn
	case firstOwn != "":
		preselect = firstOwn
	case firstOpen != "":
		preselect = firstOpen
	default:
		preselect = labels[0]
	}
	return labels, choices, preselect
}
