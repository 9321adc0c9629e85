package cli

import (
	"fmt"
	"io"

	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
)

// deskPhoneToken is `calldocket settings deskphone-token [new]`: it prints
// the desk phones' action-URL token (their own secret, not the app's) and
// the URL to give them; with "new" it replaces the token first.
func deskPhoneToken(pos []string, stdout io.Writer) error {
	regenerate := false
	switch {
	case len(pos) == 1 && pos[0] == "new":
		regenerate = true
	case len(pos) != 0:
		return Usagef("settings deskphone-token: unexpected argument %q (want nothing, or new)", pos[0])
	}
	p, cfg, _, err := home.Setup()
	if err != nil {
		return err
	}
	var tok string
	if regenerate {
		tok, err = ipc.RegenerateActionToken(p.Data)
	} else {
		tok, err = ipc.LoadActionToken(p.Data)
	}
	if err != nil {
		return err
	}
	addr, _, ok := cfg.DeskPhone.Listen()
	if !ok {
		addr = "ADDRESS:PORT"
	}
	fmt.Fprintf(stdout, "Desk-phone token: %s\n", tok)
	fmt.Fprintf(stdout, "Action URL: http://%s/event?state=incoming&number=$remote&name=$display_remote&id=$call_id&token=%s\n", addr, tok)
	if regenerate {
		fmt.Fprintln(stdout, "This is a new token: update every desk phone's action URLs, and restart CallDocket if it is running.")
	}
	return nil
}
