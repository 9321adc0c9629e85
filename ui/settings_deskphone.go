package ui

import (
	"errors"
	"strings"

	"github.com/calldocket/calldocket/settings"
)

// ErrDeskAddress: the desk-phone address is not an IP address and port.
var ErrDeskAddress = errors.New("enter an IP address and port of this computer, like 127.0.0.1:8089, or its LAN address like 192.168.1.20:8089 for desk phones")

// validDeskAddress checks the desk-phone address as the listener reads it
// (empty is the default, 127.0.0.1:8089).
func validDeskAddress(addr string) error {
	if _, _, ok := (settings.DeskPhone{Addr: addr}).Listen(); !ok {
		return ErrDeskAddress
	}
	return nil
}

// DeskPhoneListenText is the line under the desk-phone address in
// Settings: where action URLs are heard, who can reach that address, and
// that phones send their token, which has its own file since the split from
// the app's secret, in clear text.
func DeskPhoneListenText(addr string) string {
	listen, reach, ok := settings.DeskPhone{Addr: addr}.Listen()
	if !ok {
		return "Point the phone's action URLs here: an IP address and port of this computer."
	}
	const token = "They send the token (the action-token file in the data folder; it is new in this version, so update your phones' URLs) in clear text"
	var b strings.Builder
	b.WriteString("Listens on " + listen)
	switch reach {
	case settings.ReachThisComputer:
		b.WriteString(": this computer only; desk phones on the network cannot reach it (enter this computer's LAN address for them). ")
		b.WriteString(token + ".")
	case settings.ReachEveryNetwork:
		b.WriteString(": every network this computer is on. ")
		b.WriteString(token + ": anyone on those networks can read it.")
	default:
		b.WriteString(": desk phones on your network can reach it. ")
		b.WriteString(token + ": anyone on that network can read it.")
	}
	return b.String()
}
