package settings

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// DefaultDeskPhoneAddr is where desk-phone action URLs are heard when no
// address is set: this computer only.
const DefaultDeskPhoneAddr = "127.0.0.1:8089"

// DeskPhoneReach says who can reach the action-URL listener.
type DeskPhoneReach int

// Reaches of the action-URL listener.
const (
	ReachThisComputer DeskPhoneReach = iota // a loopback address
	ReachNetwork                            // one LAN address of this computer
	ReachEveryNetwork                       // 0.0.0.0 or [::]: every interface
)

// Listen is the address the action-URL listener binds for d.Addr (the same
// reading as the listener's): "" is DefaultDeskPhoneAddr, a missing host
// (":8089") is 127.0.0.1, anything else as written. ok is false when Addr is
// not HOST:PORT with an IP address or "localhost" as host.
func (d DeskPhone) Listen() (addr string, reach DeskPhoneReach, ok bool) {
	a := strings.TrimSpace(d.Addr)
	if a == "" {
		return DefaultDeskPhoneAddr, ReachThisComputer, true
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return "", 0, false
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", 0, false
	}
	switch host {
	case "":
		return net.JoinHostPort("127.0.0.1", port), ReachThisComputer, true
	case "localhost":
		return a, ReachThisComputer, true
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return "", 0, false
	case ip.IsLoopback():
		return a, ReachThisComputer, true
	case ip.IsUnspecified():
		return a, ReachEveryNetwork, true
	}
	return a, ReachNetwork, true
}

// check says what is wrong with the desk-phone address, naming it.
func (d DeskPhone) check() error {
	if _, _, ok := d.Listen(); !ok {
		return fmt.Errorf("%w: desk_phone.addr %q: enter an IP address and port like %s (this computer only) or this computer's LAN address like 192.168.1.20:8089",
			ErrInvalid, d.Addr, DefaultDeskPhoneAddr)
	}
	return nil
}
