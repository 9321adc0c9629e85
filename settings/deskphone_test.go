package settings

import (
	"errors"
	"testing"
)

var deskPhoneListenTests = []struct {
	addr, want string
	reach      DeskPhoneReach
	ok         bool
}{
	{"", DefaultDeskPhoneAddr, ReachThisComputer, true},
	{":18089", "127.0.0.1:18089", ReachThisComputer, true},
	{"127.0.0.1:8089", "127.0.0.1:8089", ReachThisComputer, true},
	{"localhost:8089", "localhost:8089", ReachThisComputer, true},
	{"[::1]:8089", "[::1]:8089", ReachThisComputer, true},
	{"192.168.1.20:8089", "192.168.1.20:8089", ReachNetwork, true},
	{"0.0.0.0:8089", "0.0.0.0:8089", ReachEveryNetwork, true},
	{"[::]:8089", "[::]:8089", ReachEveryNetwork, true},
	{"phone.example.com:8089", "", 0, false},
	{"127.0.0.1", "", 0, false},
	{"127.0.0.1:99999", "", 0, false},
	{"127.0.0.1:http", "", 0, false},
}

func TestDeskPhoneListen(t *testing.T) {
	for _, tt := range deskPhoneListenTests {
		t.Run(tt.addr, func(t *testing.T) {
			got, reach, ok := DeskPhone{Addr: tt.addr}.Listen()
			if got != tt.want || reach != tt.reach || ok != tt.ok {
				t.Errorf("Listen(%q) = %q, %v, %v; want %q, %v, %v", tt.addr, got, reach, ok, tt.want, tt.reach, tt.ok)
			}
		})
	}
}

func TestSetDeskPhoneAddr(t *testing.T) {
	s := Default()
	err := Set(&s, "desk_phone.addr", "phone.example.com:8089")
	if !errors.Is(err, ErrInvalid) || s.DeskPhone.Addr != "" {
		t.Errorf("Set(desk_phone.addr, a host name) = %v, addr %q; want ErrInvalid and nothing stored", err, s.DeskPhone.Addr)
	}
	if err := Set(&s, "desk_phone.addr", "192.168.1.20:8089"); err != nil || s.DeskPhone.Addr != "192.168.1.20:8089" {
		t.Errorf("Set(desk_phone.addr, a LAN address) = %v, addr %q", err, s.DeskPhone.Addr)
	}
}
