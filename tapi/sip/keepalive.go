package sip

import (
	"context"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/emiago/sipgo"
	sipmsg "github.com/emiago/sipgo/sip"
)

// ping sends one OPTIONS to the PBX and returns the local address it went
// out from (the Via sent-by, host:port). Any final response shows the PBX
// is up, except 481 (a *StatusError wrapping ErrSubscriptionGone). No
// answer within pingTimeout is a *NoAnswerError, a failed connection a
// *TransportError.
func (w *Watcher) ping(ctx context.Context, client *sipgo.Client) (string, error) {
	req := sipmsg.NewRequest(sipmsg.OPTIONS, sipmsg.Uri{Scheme: "sip", Host: w.cfg.serverHost})
	req.SetDestination(w.cfg.server)
	req.SetTransport(networkName(w.cfg.network))
	req.AppendHeader(sipmsg.NewHeader("Accept", "application/sdp"))
	res, err := w.do(ctx, client, req, w.pingTimeout)
	if err != nil {
		return "", err
	}
	if res.StatusCode == 481 {
		return "", &StatusError{Method: "OPTIONS", StatusCode: res.StatusCode, Reason: res.Reason}
	}
	via := req.Via()
	if via == nil || via.Host == "" || via.Port == 0 {
		return "", nil
	}
	return net.JoinHostPort(via.Host, strconv.Itoa(via.Port)), nil
}

// do sends req and waits up to timeout for its final response; errors are
// classified as in requestError.
func (w *Watcher) do(ctx context.Context, client *sipgo.Client, req *sipmsg.Request, timeout time.Duration) (*sipmsg.Response, error) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := client.Do(rctx, req)
	if err != nil {
		return nil, w.requestError(ctx, rctx, timeout, err)
	}
	return res, nil
}

// requestError classifies a failed request of the request context rctx
// (derived from ctx with timeout): ctx.Err() when the watcher stops, a
// *NoAnswerError when the PBX did not answer in time, a *TransportError
// otherwise.
func (w *Watcher) requestError(ctx, rctx context.Context, timeout time.Duration, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case rctx.Err() != nil || errors.Is(err, sipmsg.ErrTransactionTimeout):
		return &NoAnswerError{Server: w.cfg.server, After: timeout}
	}
	return &TransportError{Server: w.cfg.server, Err: err}
}

// networkName is the transport as sipgo names it in requests.
func networkName(network string) string {
	switch network {
	case "tcp":
		return "TCP"
	case "tls":
		return "TLS"
	}
	return "UDP"
}
