package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// FirstRunActions are the welcome's callbacks; nil ones disable their buttons.
type FirstRunActions struct {
	ConnectClio  func()              // start the Clio sign-in (browser)
	UseSandbox   func()              // work with the built-in sample firm
	ChooseSource func(source string) // one of the Source* constants
	SendTestCall func()              // ring a simulated call so a pop appears
	Done         func()              // the welcome is finished
}

// FirstRun is the short welcome: connect Clio or choose the Sandbox, pick
// the call source, then send a test call.
type FirstRun struct {
	a    FirstRunActions
	step int

	connect, sandbox *widget.Button
	chosen           *widget.Label
	source           *widget.RadioGroup
	testCall         *widget.Button
	tested           *widget.Label
	back, next       *widget.Button
	heading          *widget.Label
	body             *fyne.Container
	steps            []fyne.CanvasObject
	root             *fyne.Container
}

// firstRunTitles are the steps' headings.
var firstRunTitles = []string{"Connect to Clio", "Choose your phone", "Try it"}

// NewFirstRun builds the welcome at its first step.
func NewFirstRun(a FirstRunActions) *FirstRun {
	r := &FirstRun{a: a}

	intro := widget.NewLabel("CallDocket shows who is calling, with their Clio matters, and " +
		"logs each call to Clio when you hang up: press B for billable or N for non-billable.")
	intro.Wrapping = fyne.TextWrapWord
	r.connect = widget.NewButton("Connect Clio…", func() {
		r.chosen.SetText("Signing in to Clio in your browser. You can continue meanwhile.")
		r.a.ConnectClio()
		r.Next()
	})
	r.connect.Importance = widget.HighImportance
	r.sandbox = widget.NewButton("Try the Sandbox", func() {
		r.chosen.SetText("Using the Sandbox: a sample firm; nothing reaches a real Clio.")
		r.a.UseSandbox()
		r.Next()
	})
	setEnabled(r.connect, a.ConnectClio != nil)
	setEnabled(r.sandbox, a.UseSandbox != nil)
	r.chosen = widget.NewLabel("")
	r.chosen.Wrapping = fyne.TextWrapWord

	r.source = widget.NewRadioGroup(sourceNames, nil)
	r.source.Required = true
	r.source.SetSelected(sourceNames[0])
	sourceHint := widget.NewLabel("You can fill in the details, and test the connection, in Settings later.")
	sourceHint.Wrapping = fyne.TextWrapWord

	r.testCall = widget.NewButton("Send a test call", func() {
		r.a.SendTestCall()
		r.tested.SetText("A test call is ringing: its pop shows the caller. Hang it up, then press B, N or Esc.")
	})
	r.testCall.Importance = widget.HighImportance
	setEnabled(r.testCall, a.SendTestCall != nil)
	r.tested = widget.NewLabel("")
	r.tested.Wrapping = fyne.TextWrapWord
	tryIt := widget.NewLabel("Send a test call to see the pop and the wrap-up card.")
	tryIt.Wrapping = fyne.TextWrapWord

	r.steps = []fyne.CanvasObject{
		container.NewVBox(intro, container.NewHBox(r.connect, r.sandbox), r.chosen),
		container.NewVBox(widget.NewLabel("Where should CallDocket hear about your calls?"), r.source, sourceHint),
		container.NewVBox(tryIt, container.NewHBox(r.testCall), r.tested),
	}

	r.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.heading.SizeName = theme.SizeNameHeadingText
	welcome := widget.NewLabelWithStyle("Welcome to CallDocket", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.back = widget.NewButton("Back", r.Back)
	r.next = widget.NewButton("Next", r.Next)
	r.body = container.NewStack()
	r.root = border(
		container.NewVBox(welcome, r.heading, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), container.NewHBox(r.back, r.next)),
		r.body)
	r.show()
	return r
}

// Content is the welcome's canvas object.
func (r *FirstRun) Content() fyne.CanvasObject { return r.root }

// Step is the current step, from 0.
func (r *FirstRun) Step() int { return r.step }

// Next moves to the next step; on the last one it finishes.
func (r *FirstRun) Next() {
	switch r.step {
	case 1:
		if r.a.ChooseSource != nil {
			r.a.ChooseSource(sourceKeys[r.source.Selected])
		}
	case len(r.steps) - 1:
		if r.a.Done != nil {
			r.a.Done()
		}
		return
	}
	r.step++
	r.show()
}

// Back returns to the previous step.
func (r *FirstRun) Back() {
	if r.step == 0 {
		return
	}
	r.step--
	r.show()
}

func (r *FirstRun) show() {
	r.heading.SetText("Step " + strconv.Itoa(r.step+1) + " of " + strconv.Itoa(len(r.steps)) + " — " + firstRunTitles[r.step])
	r.body.Objects = []fyne.CanvasObject{r.steps[r.step]}
	r.body.Refresh()
	setEnabled(r.back, r.step > 0)
	if r.step == len(r.steps)-1 {
		r.next.SetText("Finish")
	} else {
		r.next.SetText("Next")
	}
}
