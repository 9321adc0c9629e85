package sip

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo"
	sipmsg "github.com/emiago/sipgo/sip"

	"github.com/calldocket/calldocket/phone"
	"github.com/calldocket/calldocket/tapi"
)

// subscription is one SUBSCRIBE dialog, from the initial SUBSCRIBE through
// its refreshes to its end. run returns when it can no longer be used.
type subscription struct {
	w      *Watcher
	client *sipgo.Client
	notes  <-chan notification
	state  *dialogState
	emit   func(tapi.Event)
	udp    net.PacketConn // nil for tcp and tls

	callID      string
	fromTag     string
	toTag       string
	cseq        uint32
	contact     sipmsg.ContactHeader
	target      sipmsg.Uri // request URI of refreshes (the PBX's Contact)
	established bool       // the PBX accepted the subscription
	version     uint64
	haveVersion bool
}

// run subscribes, then processes NOTIFYs and refreshes until ctx is done
// (it un-subscribes and returns ctx.Err()) or the subscription fails.
func (s *subscription) run(ctx context.Context) error {
	cfg := &s.w.cfg
	s.callID = randomHex(16) + "@calldocket"
	s.fromTag = sipmsg.GenerateTagN(16)
	s.target = cfg.aor
	if err := s.setContact(ctx); err != nil {
		return err
	}
	// NOTIFYs of this subscription are accepted from now on, even one that
	// arrives before the 200 to the SUBSCRIBE.
	s.w.setCurrent(s.callID)
	defer s.w.setCurrent("")

	granted, err := s.subscribe(ctx, cfg.expires)
	if err != nil {
		return err
	}
	if granted <= 0 {
		return &TerminatedError{Reason: "expires 0"}
	}
	s.established = true
	s.w.cfg.onLink.Report(true, "")
	s.w.log.Info("sip subscription active", "aor", maskAOR(cfg.aor), "transport", cfg.network, "expires", granted)

	// One timer for both duties: an OPTIONS keep-alive every keepAlive, and
	// a refresh when the grant runs out or verify has passed.
	now := time.Now()
	nextPing := now.Add(s.w.keepAlive)
	nextRefresh := now.Add(min(refreshAfter(granted), s.w.verify))
	timer := time.NewTimer(time.Until(minTime(nextPing, nextRefresh)))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			s.unsubscribe(ctx)
			return ctx.Err()
		case n := <-s.notes:
			if n.callID != s.callID {
				continue // left over from an earlier subscription
			}
			if err := s.handle(n); err != nil {
				return err
			}
		case <-timer.C:
			if !time.Now().Before(nextRefresh) {
				granted, err = s.subscribe(ctx, cfg.expires)
				if err != nil {
					return fmt.Errorf("refresh subscription: %w", err)
				}
				if granted <= 0 {
					return &TerminatedError{Reason: "expires 0"}
				}
				s.w.log.Debug("sip subscription refreshed", "expires", granted)
				nextRefresh = time.Now().Add(min(refreshAfter(granted), s.w.verify))
			} else if err := s.keepAlive(ctx); err != nil {
				return err
			}
			nextPing = time.Now().Add(s.w.keepAlive)
			timer.Reset(time.Until(minTime(nextPing, nextRefresh)))
		}
	}
}

// keepAlive pings the PBX. Over TCP and TLS an answer through another
// connection than the subscription's means the PBX dropped that one (it
// restarted, say): its NOTIFYs could no longer reach the watcher.
func (s *subscription) keepAlive(ctx context.Context) error {
	via, err := s.w.ping(ctx, s.client)
	if err != nil {
		return fmt.Errorf("keep-alive: %w", err)
	}
	if s.udp == nil && via != "" {
		want := net.JoinHostPort(s.contact.Address.Host, strconv.Itoa(s.contact.Address.Port))
		if via != want {
			return fmt.Errorf("keep-alive: %w", &TransportError{Server: s.w.cfg.server,
				Err: errors.New("the connection of the subscription was closed")})
		}
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// refreshAfter is when to refresh a subscription granted for d: a fifth of
// it early, but at most a minute early.
func refreshAfter(d time.Duration) time.Duration {
	return d - min(d/5, time.Minute)
}

// handle processes one NOTIFY of this subscription: it emits the events its
// document causes, and reports a terminated subscription as an error.
func (s *subscription) handle(n notification) error {
	subState, params := parseSubscriptionState(n.subState)
	info, err := ParseDialogInfo(n.body)
	switch {
	case err != nil:
		s.w.log.Warn("skipping malformed dialog-info NOTIFY", "error", err, "bytes", len(n.body))
	case info.HasVersion && s.haveVersion && info.Version <= s.version:
		s.w.log.Debug("skipping out-of-order dialog-info document", "version", info.Version, "last", s.version)
	default:
		if info.HasVersion {
			s.version, s.haveVersion = info.Version, true
		}
		for _, ev := range s.state.apply(info, s.w.now()) {
			s.w.log.Info("sip call event", "call_id", ev.CallID, "state", string(ev.State),
				"direction", string(ev.Direction), "number", phone.Mask(ev.Remote))
			s.emit(ev)
		}
	}
	if subState == "terminated" {
		te := &TerminatedError{Reason: params["reason"]}
		if ra, err := strconv.Atoi(params["retry-after"]); err == nil && ra > 0 {
			te.RetryAfter = time.Duration(ra) * time.Second
		}
		return te
	}
	return nil
}

// parseSubscriptionState splits "active;expires=3600" into "active" and its
// parameters, all in lower case.
func parseSubscriptionState(v string) (string, map[string]string) {
	parts := strings.Split(v, ";")
	params := make(map[string]string)
	for _, p := range parts[1:] {
		k, val, _ := strings.Cut(p, "=")
		params[strings.ToLower(strings.TrimSpace(k))] = strings.ToLower(strings.Trim(strings.TrimSpace(val), `"`))
	}
	return strings.ToLower(strings.TrimSpace(parts[0])), params
}

// setContact sets the Contact NOTIFYs are sent to. Over UDP it is the
// watcher's socket. Over TCP and TLS it is the local end of the connection
// to the PBX, which the PBX reuses for NOTIFYs; an OPTIONS request opens
// that connection and reveals its address in the Via header.
func (s *subscription) setContact(ctx context.Context) error {
	cfg := &s.w.cfg
	uri := sipmsg.Uri{Scheme: "sip", User: "calldocket"}
	if s.udp != nil {
		host, port, err := net.SplitHostPort(s.udp.LocalAddr().String())
		if err != nil {
			return fmt.Errorf("contact address: %w", err)
		}
		uri.Host = host
		uri.Port, _ = strconv.Atoi(port)
	} else {
		via, err := s.w.ping(ctx, s.client)
		if err != nil {
			return err
		}
		h, p, err := net.SplitHostPort(via)
		if err != nil {
			return errors.New("connect to sip server: no local address")
		}
		uri.Host = h
		uri.Port, _ = strconv.Atoi(p)
		uri.UriParams = sipmsg.NewParams()
		uri.UriParams.Add("transport", cfg.network)
	}
	s.contact = sipmsg.ContactHeader{Address: uri}
	return nil
}

// route sends req to the configured server over the configured transport.
func (s *subscription) route(req *sipmsg.Request) {
	req.SetDestination(s.w.cfg.server)
	req.SetTransport(strings.ToUpper(s.w.cfg.network))
}

// subscribe sends a SUBSCRIBE for expires (0 un-subscribes), answering one
// digest challenge, and returns the lifetime the PBX granted. The first call
// creates the dialog; later calls refresh it.
func (s *subscription) subscribe(ctx context.Context, expires time.Duration) (time.Duration, error) {
	cfg := &s.w.cfg
	timeout := s.w.requestTimeout
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for range 2 { // a second round only after 423 Interval Too Brief
		req := s.newSubscribe(expires)
		res, err := s.client.Do(rctx, req)
		if err != nil {
			return 0, fmt.Errorf("send subscribe: %w", s.w.requestError(ctx, rctx, timeout, err))
		}
		if res.StatusCode == 401 || res.StatusCode == 407 {
			if cfg.password == "" {
				return 0, &StatusError{StatusCode: res.StatusCode, Reason: res.Reason, NoPassword: true,
					Detail: "the PBX asks for a password and none is configured"}
			}
			res, err = s.client.DoDigestAuth(rctx, req, res, sipgo.DigestAuth{Username: cfg.username, Password: cfg.password})
			if err != nil {
				return 0, fmt.Errorf("send subscribe with credentials: %w", s.w.requestError(ctx, rctx, timeout, err))
			}
			// DoDigestAuth raised the CSeq of req in place.
			s.cseq = req.CSeq().SeqNo
		}
		if res.StatusCode == 423 {
			if me := headerSeconds(res, "Min-Expires"); me > expires {
				expires = me
				continue
			}
		}
		if !res.IsSuccess() {
			return 0, &StatusError{StatusCode: res.StatusCode, Reason: res.Reason, Detail: statusDetail(res.StatusCode, cfg),
				RetryAfter: headerSeconds(res, "Retry-After")}
		}
		if s.toTag == "" {
			if to := res.To(); to != nil {
				s.toTag, _ = to.Params.Get("tag")
			}
			if c := res.Contact(); c != nil && c.Address.Host != "" {
				s.target = *c.Address.Clone()
			}
		}
		granted := expires
		if h := res.GetHeader("Expires"); h != nil {
			if n, err := strconv.Atoi(strings.TrimSpace(h.Value())); err == nil && n >= 0 {
				granted = time.Duration(n) * time.Second
			}
		}
		return granted, nil
	}
	return 0, &StatusError{StatusCode: 423, Reason: "Interval Too Brief"}
}

// statusDetail explains the SUBSCRIBE responses that mean the settings are
// wrong.
func statusDetail(code int, cfg *normalized) string {
	switch code {
	case 401, 407:
		return "the PBX refused the user name or password"
	case 403:
		return "the PBX does not let this user watch " + maskAOR(cfg.aor)
	case 404:
		return "the PBX does not know " + maskAOR(cfg.aor)
	case 489:
		return "the PBX does not offer dialog events (BLF)"
	}
	return ""
}

func (s *subscription) newSubscribe(expires time.Duration) *sipmsg.Request {
	cfg := &s.w.cfg
	req := sipmsg.NewRequest(sipmsg.SUBSCRIBE, *s.target.Clone())
	s.route(req)
	from := &sipmsg.FromHeader{Address: *cfg.aor.Clone(), Params: sipmsg.NewParams()}
	from.Params.Add("tag", s.fromTag)
	to := &sipmsg.ToHeader{Address: *cfg.aor.Clone(), Params: sipmsg.NewParams()}
	if s.toTag != "" {
		to.Params.Add("tag", s.toTag)
	}
	callID := sipmsg.CallIDHeader(s.callID)
	s.cseq++
	maxFwd := sipmsg.MaxForwardsHeader(70)
	req.AppendHeader(from)
	req.AppendHeader(to)
	req.AppendHeader(&callID)
	req.AppendHeader(&sipmsg.CSeqHeader{SeqNo: s.cseq, MethodName: sipmsg.SUBSCRIBE})
	req.AppendHeader(&maxFwd)
	req.AppendHeader(s.contact.Clone())
	req.AppendHeader(sipmsg.NewHeader("Event", "dialog"))
	req.AppendHeader(sipmsg.NewHeader("Accept", "application/dialog-info+xml"))
	req.AppendHeader(sipmsg.NewHeader("Expires", strconv.Itoa(int(expires/time.Second))))
	req.AppendHeader(sipmsg.NewHeader("Allow", "NOTIFY, OPTIONS"))
	req.SetBody(nil)
	return req
}

// unsubscribe ends the subscription on shutdown (Expires: 0), briefly and
// on a best-effort basis.
func (s *subscription) unsubscribe(ctx context.Context) {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unsubscribeFor)
	defer cancel()
	if _, err := s.subscribe(uctx, 0); err != nil {
		s.w.log.Debug("un-subscribing", "error", err)
	}
}

func headerSeconds(res *sipmsg.Response, name string) time.Duration {
	h := res.GetHeader(name)
	if h == nil {
		return 0
	}
	v, _, _ := strings.Cut(h.Value(), ";")
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (Go 1.24+)
	return hex.EncodeToString(b)
}

// maskAOR hides the user part of an address of record for logs.
func maskAOR(u sipmsg.Uri) string {
	return u.Scheme + ":" + phone.Mask(u.User) + "@" + u.Host
}
