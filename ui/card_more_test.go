package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// fakeSearcher is a Searcher and MatterSearcher over fixed lists.
type fakeSearcher struct {
	callers []Caller
	matters []Matter
	err     error
	queries []string
}

func (f *fakeSearcher) Search(_ context.Context, q string, limit int) ([]Caller, error) {
	f.queries = append(f.queries, q)
	if f.err != nil {
		return nil, f.err
	}
	var out []Caller
	for _, c := range f.callers {
		if strings.Contains(strings.ToLower(c.Name), strings.ToLower(q)) && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeSearcher) SearchMatters(ctx context.Context, q string, limit int) ([]Matter, error) {
	return MatterList(f.matters).SearchMatters(ctx, q, limit)
}

func twoCallers() CallView {
	v := knownCall()
	v.SuggestedMatterID = 0
	v.Callers = append(v.Callers, Caller{ContactID: 9, Name: "Sam Lee", Company: "Lee Bakery LLC", ClientStatus: "Past",
		Strength: "weak", Reason: "last 7 digits",
		Matters: []Matter{{ID: 90, DisplayNumber: "00090-Lee", Description: "Estate plan", Status: "Pending",
			ResponsibleAttorney: "Robin Diaz", PracticeArea: "Estates"}}})
	return v
}

func directory() *fakeSearcher {
	return &fakeSearcher{
		callers: []Caller{
			{ContactID: 31, Name: "Priya Shah", Company: "Shah Imports", ClientStatus: "Active",
				Matters: []Matter{{ID: 310, DisplayNumber: "00310-Shah", Description: "Customs appeal", Status: "Open",
					ResponsibleAttorney: "Alex Morgan", PracticeArea: "Trade"}}},
			{ContactID: 32, Name: "Priya Nair", ClientStatus: "Not a client"},
		},
		matters: []Matter{
			{ID: 500, DisplayNumber: "00500-Ortiz", Description: "Zoning variance", Status: "Open", ClientID: 50, ClientName: "Ana Ortiz"},
			{ID: 501, DisplayNumber: "00501-Kim", Description: "Lease review", Status: "Open", ClientID: 51, ClientName: "Dae Kim"},
		},
	}
}

func newOptCard(t *testing.T, v CallView, opts ...CardOption) (*Card, fyne.Window, *[]WrapUp) {
	t.Helper()
	test.NewTempApp(t)
	var got []WrapUp
	c := NewCard(v, func(w WrapUp) { got = append(got, w) }, append([]CardOption{WithNow(fixedNow)}, opts...)...)
	w := test.NewTempWindow(t, c.Content())
	w.Resize(fyne.NewSize(440, 640))
	return c, w, &got
}

func TestCardChooser(t *testing.T) {
	c, w, got := newOptCard(t, twoCallers())
	if c.Chooser == nil || len(c.Chooser.Options) != 2 {
		t.Fatalf("Chooser = %v, want 2 options", c.Chooser)
	}
	want := "Jordan Lee · Lee Bakery LLC — mobile number"
	if c.Chooser.Selected != want {
		t.Errorf("Chooser.Selected = %q, want %q", c.Chooser.Selected, want)
	}
	if c.Chooser.Options[1] != "Sam Lee · Lee Bakery LLC — last 7 digits (weak match)" {
		t.Errorf("Chooser.Options[1] = %q, want the weak match named", c.Chooser.Options[1])
	}
	test.AssertRendersToMarkup(t, "pop_chooser.xml", w.Canvas())

	c.Chooser.SetSelected(c.Chooser.Options[1])
	if cur := c.current(); cur == nil || cur.ContactID != 9 {
		t.Fatalf("current() after choosing Sam = %+v, want contact 9", cur)
	}
	c.Update(ended(twoCallers(), true))
	if c.Chooser.Selected != c.Chooser.Options[1] {
		t.Errorf("after Update Chooser.Selected = %q, want Sam kept", c.Chooser.Selected)
	}
	if c.Matter.Selected != "00090-Lee · Estate plan" {
		t.Errorf("Matter.Selected = %q, want Sam's matter first", c.Matter.Selected)
	}
	if c.Matter.Options[0] != "00090-Lee · Estate plan" {
		t.Errorf("Matter.Options = %q, want Sam's matters first", c.Matter.Options)
	}
	test.Tap(c.Billable)
	if w := (*got)[0]; w.ContactID != 9 || w.MatterID != 90 {
		t.Errorf("wrap-up contact/matter = %d/%d, want 9/90", w.ContactID, w.MatterID)
	}
	if !c.Chooser.Disabled() {
		t.Errorf("Chooser enabled after the decision, want disabled")
	}
}

func TestCardUnknownActions(t *testing.T) {
	var created [][3]string
	var notClient []string
	dir := directory()
	v := unknownCall()
	v.CallerIDName = "P SHAH"
	c, w, got := newOptCard(t, v, WithSearcher(dir),
		OnCreateContact(func(id, name, number string) { created = append(created, [3]string{id, name, number}) }),
		OnNotAClient(func(id string) { notClient = append(notClient, id) }))
	test.AssertRendersToMarkup(t, "pop_unknown_actions.xml", w.Canvas())

	// Create contact: prefilled, name required, handed to the app.
	if !c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyC}) {
		t.Fatalf("TypedKey(C) = false, want the create form")
	}
	p := c.unk
	if p.name.Text != "P SHAH" || p.number.Text != "+44 20 7946 0958" {
		t.Errorf("create form = %q/%q, want prefilled caller ID name and number", p.name.Text, p.number.Text)
	}
	p.name.SetText("  ")
	test.Tap(p.save)
	if len(created) != 0 || !p.nameErr.Visible() || p.nameErr.Text != "⚠ Enter the contact's name." {
		t.Fatalf("empty name: created %v, error %q (visible %v); want none and an error", created, p.nameErr.Text, p.nameErr.Visible())
	}
	p.name.SetText("Priya Shah")
	test.Tap(p.save)
	if len(created) != 1 || created[0] != [3]string{"sim-2", "Priya Shah", "+44 20 7946 0958"} {
		t.Fatalf("created = %v, want one for sim-2", created)
	}
	if !strings.Contains(p.status.Text, "Creating “Priya Shah” in Clio") || p.actions.Visible() {
		t.Errorf("status = %q, actions visible %v; want creating and hidden", p.status.Text, p.actions.Visible())
	}
	// The app updates the card once the contact exists.
	nv := v
	nv.Callers = []Caller{dir.callers[0]}
	c.Update(nv)
	if cur := c.current(); cur == nil || cur.ContactID != 31 {
		t.Errorf("after Update current() = %+v, want the new contact", cur)
	}
	c.Update(ended(nv, true))
	test.Tap(c.NonBillable)
	if w := (*got)[0]; w.ContactID != 31 || w.MatterID != 310 || w.NotAClient {
		t.Errorf("wrap-up = %+v, want contact 31 matter 310", w)
	}

	// Not a client.
	c2, _, got2 := newOptCard(t, unknownCall(), OnNotAClient(func(id string) { notClient = append(notClient, id) }))
	if !c2.unk.create.Disabled() || !c2.unk.find.Disabled() {
		t.Errorf("create/find enabled without callbacks, want disabled")
	}
	if c2.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF}) {
		t.Errorf("TypedKey(F) without a Searcher = true, want false")
	}
	test.Tap(c2.unk.notClient)
	if len(notClient) != 1 || notClient[0] != "sim-2" || c2.unk.actions.Visible() {
		t.Errorf("not a client: calls %v, actions visible %v; want [sim-2], hidden", notClient, c2.unk.actions.Visible())
	}
	c2.Update(ended(unknownCall(), true))
	c2.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w := (*got2)[0]; !w.NotAClient || w.ContactID != 0 || w.Decision != DecisionLater {
		t.Errorf("wrap-up = %+v, want NotAClient later without contact", w)
	}
}

func TestCardFindInClio(t *testing.T) {
	dir := directory()
	var picks []Caller
	c, w, got := newOptCard(t, unknownCall(), WithSearcher(dir),
		OnPickContact(func(_ string, cl Caller) { picks = append(picks, cl) }))
	if !c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF}) {
		t.Fatalf("TypedKey(F) = false, want the search")
	}
	p := c.unk
	if !p.findForm.Visible() {
		t.Fatalf("find form hidden after F")
	}
	if cv := w.Canvas(); cv.Focused() != p.query {
		t.Errorf("focus = %v, want the search entry", cv.Focused())
	}
	test.Type(p.query, "pri")
	if len(p.found) != 2 || p.found[0].Text != "Priya Shah · Shah Imports · Active client" {
		t.Fatalf("results = %d (%v), want 2 with Priya Shah first", len(p.found), p.found)
	}
	test.AssertRendersToMarkup(t, "pop_find_results.xml", w.Canvas())
	// Typing into the search must not decide or trigger card keys.
	if c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyX}) {
		t.Errorf("TypedKey(X) while searching = true, want false")
	}

	test.Tap(p.found[0])
	if len(picks) != 1 || picks[0].ContactID != 31 {
		t.Errorf("picks = %v, want Priya Shah", picks)
	}
	c.Update(ended(unknownCall(), true)) // the app's later views still lack the contact
	if cur := c.current(); cur == nil || cur.ContactID != 31 {
		t.Fatalf("current() = %+v, want the picked contact kept", cur)
	}
	c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyB})
	if w := (*got)[0]; w.ContactID != 31 || w.MatterID != 310 || w.Decision != DecisionBillable {
		t.Errorf("wrap-up = %+v, want billable to contact 31 matter 310", w)
	}

	none, _, _ := newOptCard(t, unknownCall(), WithSearcher(dir))
	none.unk.openFind()
	test.Type(none.unk.query, "zz")
	if none.unk.status.Text != "No Clio contact matches “zz”." {
		t.Errorf("status = %q, want no match", none.unk.status.Text)
	}
	failing, _, _ := newOptCard(t, unknownCall(), WithSearcher(&fakeSearcher{err: errors.New("directory closed")}))
	failing.unk.openFind()
	test.Type(failing.unk.query, "pr")
	if failing.unk.status.Text != "Search failed: directory closed" {
		t.Errorf("status = %q, want the error", failing.unk.status.Text)
	}
}

func TestCardWrapUpIncrement(t *testing.T) {
	c, w, _ := newOptCard(t, ended(knownCall(), true), WithIncrement(15*time.Minute))
	if want := "Duration 4:12 · bills as 0.25 h (15-minute increments)"; c.summary.Text != want {
		t.Errorf("summary = %q, want %q", c.summary.Text, want)
	}
	d, _, _ := newOptCard(t, ended(knownCall(), true))
	if want := "Duration 4:12 · bills as 0.1 h (6-minute increments)"; d.summary.Text != want {
		t.Errorf("summary = %q, want %q", d.summary.Text, want)
	}
	test.AssertRendersToMarkup(t, "wrapup_increment.xml", w.Canvas())
	short, _, _ := newOptCard(t, ended(knownCall(), true), WithMinDuration(5*time.Minute))
	if want := "Duration 4:12 · under the 5:00 minimum, no time entry"; short.summary.Text != want {
		t.Errorf("summary = %q, want %q", short.summary.Text, want)
	}
}

func TestCardMatterTypeAhead(t *testing.T) {
	dir := directory()
	c, _, got := newOptCard(t, ended(knownCall(), true), WithMatterSearcher(dir))
	test.Type(c.MatterFind, "bakery")
	if c.Matter.Selected != "00041-Lee · Bakery incorporation" {
		t.Errorf("after typing bakery Matter.Selected = %q, want the contact's matter", c.Matter.Selected)
	}
	c.MatterFind.SetText("")
	test.Type(c.MatterFind, "zoning")
	if c.Matter.Selected != "00500-Ortiz · Zoning variance — Ana Ortiz" {
		t.Errorf("after typing zoning Matter.Selected = %q, want the searched matter", c.Matter.Selected)
	}
	c.MatterFind.SetText("nothing like it")
	if !c.matterHint.Visible() || c.Matter.Selected != "00500-Ortiz · Zoning variance — Ana Ortiz" {
		t.Errorf("no hit: hint visible %v, selected %q; want hint and the selection kept", c.matterHint.Visible(), c.Matter.Selected)
	}
	c.MatterFind.SetText("")
	if c.Matter.Selected != "00500-Ortiz · Zoning variance — Ana Ortiz" || len(c.Matter.Options) != 4 {
		t.Errorf("cleared: selected %q options %q; want the pick kept among all", c.Matter.Selected, c.Matter.Options)
	}
	test.Tap(c.NonBillable)
	if w := (*got)[0]; w.MatterID != 500 || w.ContactID != 50 {
		t.Errorf("wrap-up matter/contact = %d/%d, want 500/50", w.MatterID, w.ContactID)
	}
}

func TestCardDefaultBillable(t *testing.T) {
	c, _, got := newOptCard(t, ended(knownCall(), true), WithDefaultBillable(true))
	if c.keysHint.Text != "Enter = Billable · Esc = later" {
		t.Errorf("keys hint = %q, want %q", c.keysHint.Text, "Enter = Billable · Esc = later")
	}
	c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if (*got)[0].Decision != DecisionBillable {
		t.Errorf("Enter with default billable = %s, want billable", (*got)[0].Decision)
	}
}

func TestBilledDuration(t *testing.T) {
	tests := []struct {
		d, inc time.Duration
		want   string
	}{
		{0, 6 * time.Minute, "0 h"},
		{time.Second, 6 * time.Minute, "0.1 h"},
		{6 * time.Minute, 6 * time.Minute, "0.1 h"},
		{6*time.Minute + time.Second, 6 * time.Minute, "0.2 h"},
		{4*time.Minute + 12*time.Second, 15 * time.Minute, "0.25 h"},
		{61 * time.Minute, 30 * time.Minute, "1.5 h"},
		{90 * time.Second, 0, "0.03 h"},
		{-time.Minute, 6 * time.Minute, "0 h"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String()+"/"+tt.inc.String(), func(t *testing.T) {
			if got := Hours(BilledDuration(tt.d, tt.inc)); got != tt.want {
				t.Errorf("Hours(BilledDuration(%v, %v)) = %q, want %q", tt.d, tt.inc, got, tt.want)
			}
		})
	}
}
