package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/calldocket/calldocket/calls"
)

// TestEventReasonRejected: `calldocket event ended --reason rejected` with
// no app running records a rejected call, which `calls --json` and
// `status --json` show as rejected; a reason with another state, or a
// reason it does not know, is a usage error and records nothing.
func TestEventReasonRejected(t *testing.T) {
	t.Setenv("CALLDOCKET_HOME", t.TempDir())
	ctx := t.Context()
	var out bytes.Buffer
	run := func(args ...string) error {
		t.Helper()
		out.Reset()
		return Event(ctx, append(args, "--no-start"), &out)
	}
	for _, bad := range [][]string{
		{"ringing", "--number", "+12125550123", "--id", "c1", "--reason", "rejected"},
		{"ended", "--id", "c1", "--reason", "hung-up"},
		{"sms", "--number", "+12125550123", "--text", "hi", "--reason", "rejected"},
	} {
		var ue *UsageError
		if err := run(bad...); !errors.As(err, &ue) {
			t.Errorf("event %s = %v, want a usage error", strings.Join(bad, " "), err)
		}
	}
	// Missed-call logging off: the call waits in Review, and status counts it.
	if err := Settings(ctx, []string{"set", "log_missed_calls", "false"}, &out); err != nil {
		t.Fatal(err)
	}
	if err := run("ringing", "--number", "+12125550123", "--id", "c1"); err != nil {
		t.Fatal(err)
	}
	if err := run("ended", "--id", "c1", "--reason", "declined"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := Calls(ctx, []string{"--json"}, &out); err != nil {
		t.Fatal(err)
	}
	var listed []callJSON
	if err := json.Unmarshal(out.Bytes(), &listed); err != nil || len(listed) != 1 ||
		listed[0].Kind != string(calls.KindRejected) || listed[0].State != string(calls.StateRejected) {
		t.Fatalf("calls --json = %s (%v), want one call, kind and state rejected", out.String(), err)
	}
	out.Reset()
	if err := Status(ctx, []string{"--json"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"rejected":1`) {
		t.Errorf("status --json = %s, want the rejected call counted as rejected", out.String())
	}
}
