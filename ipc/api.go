package ipc

// The routes of the running app's IPC API. POST /v1/event (a call event or
// a text message) is tapi/hook's: hook.Path.
const (
	PathPing         = "/v1/ping"          // GET: {"app": "calldocket", "pid": N}
	PathActivate     = "/v1/activate"      // POST: show the running app
	PathFlush        = "/v1/flush"         // POST: deliver queued items now
	PathCallsChanged = "/v1/calls/changed" // POST CallsChanged: the CLI changed a call
	PathSettings     = "/v1/settings"      // POST SettingChange: apply at once
	PathStatus       = "/v1/status"        // GET: Status
)

// Status is what the tray and `calldocket status` show; `status --json`
// prints it (with "running") and GET /v1/status answers it.
type Status struct {
	Mode        string         `json:"mode"` // "sandbox" or "connected"
	User        string         `json:"user,omitempty"`
	Online      bool           `json:"online"`
	SignInNeed  bool           `json:"sign_in_needed"`
	PhoneDown   []string       `json:"phone_link_down"` // "source: why", empty when every source is connected
	LastError   string         `json:"last_error,omitempty"`
	Syncing     bool           `json:"syncing"`
	Progress    string         `json:"sync_progress,omitempty"`
	Paused      bool           `json:"paused"`
	Deciding    int            `json:"waiting_for_decision"` // ended calls nobody decided yet, and refused ones
	Delivering  int            `json:"waiting_for_delivery"` // decided, on their way to Clio
	Waiting     int            `json:"waiting"`              // both together
	Calls       map[string]int `json:"calls"`                // ledger records by state (not delivered or discarded)
	Queue       map[string]int `json:"queue"`                // outbox items by state
	ActiveCalls []ActiveCall   `json:"active_calls"`
	Directory   bool           `json:"directory_ready"`
	// Damaged: one line per damaged file CallDocket set aside (kept,
	// never deleted) and started anew, naming both files and what was
	// recovered; empty when every file is sound.
	Damaged []string `json:"damaged_files"`
	// SettingsProblem names the values of config.json the app refused at
	// start (their defaults are in use) until Settings are saved again.
	SettingsProblem string `json:"settings_problem,omitempty"`
}

// NewStatus returns an empty Status whose maps and lists encode as {} and
// [], never null.
func NewStatus() Status {
	return Status{Queue: map[string]int{}, Calls: map[string]int{}, ActiveCalls: []ActiveCall{}, PhoneDown: []string{},
		Damaged: []string{}}
}

// ActiveCall is a call in progress, as Status lists it.
type ActiveCall struct {
	ID        string `json:"id"`
	Number    string `json:"number"`
	Phase     string `json:"phase"`
	Direction string `json:"direction"`
}

// SettingChange is the body of POST /v1/settings: `calldocket settings set
// KEY VALUE` through the running app.
type SettingChange struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// CallsChanged is the body of POST /v1/calls/changed: the command line
// changed call ID in the ledger; the app shows it and delivers.
type CallsChanged struct {
	ID int64 `json:"id"`
}
