package fake

import (
	"fmt"
	"math/rand/v2"
)

// dialNumber is a phone number before the firm typed it: a country code and
// the national significant number (no trunk prefix).
type dialNumber struct {
	cc  string // "1" or "44"
	nsn string // "2125550123", "2079460958"
}

func (d dialNumber) key() string { return d.cc + "|" + d.nsn }

var (
	usAreaCodes = []string{
		"212", "646", "718", "917", "347", "516", "914", "201", "973", "415",
		"310", "312", "617", "305", "202", "512", "206",
	}
	caAreaCodes = []string{"416", "437", "604", "514"}
)

// numberPool hands out unique fictional numbers: NANP numbers in the 555
// exchange and UK numbers in Ofcom's drama range 020 7946 0xxx.
type numberPool struct {
	r    *rand.Rand
	used map[string]bool
}

func newNumberPool(r *rand.Rand) *numberPool {
	return &numberPool{r: r, used: map[string]bool{}}
}

func (p *numberPool) next() dialNumber {
	for {
		var d dialNumber
		switch n := p.r.IntN(100); {
		case n < 3:
			d = dialNumber{cc: "44", nsn: fmt.Sprintf("2079460%03d", p.r.IntN(1000))}
		case n < 10:
			d = dialNumber{cc: "1", nsn: caAreaCodes[p.r.IntN(len(caAreaCodes))] + fmt.Sprintf("555%04d", p.r.IntN(10000))}
		default:
			d = dialNumber{cc: "1", nsn: usAreaCodes[p.r.IntN(len(usAreaCodes))] + fmt.Sprintf("555%04d", p.r.IntN(10000))}
		}
		if !p.used[d.key()] {
			p.used[d.key()] = true
			return d
		}
	}
}

// format types a number the way a person at the firm might have, picking a
// style at random. owner is a first name used in annotations such as
// "(Jane's cell)".
func (d dialNumber) format(r *rand.Rand, owner string) string {
	if d.cc == "44" {
		area, local := d.nsn[:2], d.nsn[2:6]+" "+d.nsn[6:]
		switch r.IntN(4) {
		case 0:
			return "+44 (0)" + area + " " + local
		case 1:
			return "0" + area + " " + local
		default:
			return "+44 " + area + " " + local
		}
	}
	a, b, c := d.nsn[:3], d.nsn[3:6], d.nsn[6:]
	switch n := r.IntN(100); {
	case n < 28:
		return fmt.Sprintf("(%s) %s-%s", a, b, c)
	case n < 46:
		return fmt.Sprintf("%s-%s-%s", a, b, c)
	case n < 53:
		return fmt.Sprintf("%s.%s.%s", a, b, c)
	case n < 56:
		return fmt.Sprintf("%s.%s.%s ext %d", a, b, c, 1+r.IntN(250))
	case n < 66:
		return fmt.Sprintf("+1 %s-%s-%s", a, b, c)
	case n < 75:
		return "+1" + d.nsn
	case n < 79:
		return fmt.Sprintf("1 (%s) %s-%s", a, b, c)
	case n < 82:
		return fmt.Sprintf("001 %s %s %s", a, b, c)
	case n < 86:
		return fmt.Sprintf("%s %s %s", a, b, c)
	case n < 89:
		return fmt.Sprintf("1-%s-%s-%s", a, b, c)
	case n < 91:
		return d.nsn
	case n < 96 && owner != "":
		kind := []string{"cell", "work", "mobile"}[r.IntN(3)]
		return fmt.Sprintf("%s-%s-%s (%s's %s)", a, b, c, owner, kind)
	default:
		return fmt.Sprintf("(%s) %s-%s x%d", a, b, c, 10+r.IntN(90))
	}
}
