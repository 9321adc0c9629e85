package sip

import (
	"net"
	"strconv"
	"sync"
	"testing"

	sipmsg "github.com/emiago/sipgo/sip"
)

// fakePBX is a tiny UDP presence server for unit tests: it grants
// SUBSCRIBEs, NOTIFYs an empty dialog-info document after each, answers
// OPTIONS, and can "restart" (forget every subscription: refreshes get 481)
// or go silent (answer nothing). The end-to-end tests use real Kamailio.
type fakePBX struct {
	t    *testing.T
	conn net.PacketConn

	mu         sync.Mutex
	silent     bool
	optionsErr int            // status OPTIONS get; 0 means 200
	subs       map[string]int // Call-ID → refreshes seen
	initial    int            // initial SUBSCRIBEs granted
	refreshes  int            // refreshes granted
	gone       int            // 481s sent
	options    int            // OPTIONS answered
}

func startFakePBX(t *testing.T) *fakePBX {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePBX{t: t, conn: c, subs: map[string]int{}}
	t.Cleanup(func() { _ = c.Close() })
	go p.serve()
	return p
}

func (p *fakePBX) addr() string { return p.conn.LocalAddr().String() }

// restart forgets every subscription, as Kamailio does when it restarts.
func (p *fakePBX) restart() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.subs = map[string]int{}
}

func (p *fakePBX) setSilent(silent bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.silent = silent
}

func (p *fakePBX) setOptionsStatus(code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.optionsErr = code
}

func (p *fakePBX) counts() (initial, refreshes, gone, options int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.initial, p.refreshes, p.gone, p.options
}

func (p *fakePBX) serve() {
	buf := make([]byte, 65535)
	for {
		n, from, err := p.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		msg, err := sipmsg.ParseMessage(append([]byte(nil), buf[:n]...))
		if err != nil {
			continue
		}
		req, ok := msg.(*sipmsg.Request)
		if !ok {
			continue // a 200 to our NOTIFY
		}
		p.handle(req, from)
	}
}

func (p *fakePBX) handle(req *sipmsg.Request, from net.Addr) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.silent {
		return
	}
	switch req.Method {
	case sipmsg.OPTIONS:
		p.options++
		code, reason := 200, "OK"
		if p.optionsErr != 0 {
			code, reason = p.optionsErr, "Nope"
		}
		p.send(sipmsg.NewResponseFromRequest(req, code, reason, nil).String(), from)
	case sipmsg.SUBSCRIBE:
		callID := req.CallID().Value()
		toTag, _ := req.To().Params.Get("tag")
		if toTag != "" {
			if _, ok := p.subs[callID]; !ok {
				p.gone++
				p.send(sipmsg.NewResponseFromRequest(req, 481, "Subscription Does Not Exist", nil).String(), from)
				return
			}
			p.subs[callID]++
			p.refreshes++
		} else {
			p.subs[callID] = 0
			p.initial++
			toTag = "pbx" + strconv.Itoa(p.initial)
		}
		res := sipmsg.NewResponseFromRequest(req, 200, "OK", nil)
		res.To().Params.Add("tag", toTag)
		res.AppendHeader(sipmsg.NewHeader("Expires", req.GetHeader("Expires").Value()))
		res.AppendHeader(sipmsg.NewHeader("Contact", "<sip:"+p.addr()+">"))
		p.send(res.String(), from)
		p.notify(req, toTag, from)
	}
}

// notify sends an empty full-state dialog-info NOTIFY for the subscription
// req created or refreshed.
func (p *fakePBX) notify(req *sipmsg.Request, toTag string, to net.Addr) {
	fromTag, _ := req.From().Params.Get("tag")
	body := `<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="` +
		strconv.Itoa(p.subs[req.CallID().Value()]) + `" state="full" entity="sip:1001@127.0.0.1"/>`
	msg := "NOTIFY sip:calldocket@" + to.String() + " SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP " + p.addr() + ";branch=z9hG4bK" + randomHex(8) + "\r\n" +
		"From: <sip:1001@127.0.0.1>;tag=" + toTag + "\r\n" +
		"To: <sip:1001@127.0.0.1>;tag=" + fromTag + "\r\n" +
		"Call-ID: " + req.CallID().Value() + "\r\n" +
		"CSeq: " + strconv.Itoa(p.initial+p.refreshes) + " NOTIFY\r\n" +
		"Max-Forwards: 70\r\nEvent: dialog\r\nSubscription-State: active;expires=600\r\n" +
		"Content-Type: application/dialog-info+xml\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	p.send(msg, to)
}

func (p *fakePBX) send(msg string, to net.Addr) {
	_, _ = p.conn.WriteTo([]byte(msg), to)
}
