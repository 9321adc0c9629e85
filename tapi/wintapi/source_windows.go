//go:build windows

package wintapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/calldocket/calldocket/tapi"
)

var (
	modtapi32                   = windows.NewLazySystemDLL("tapi32.dll")
	procLineInitializeExW       = modtapi32.NewProc("lineInitializeExW")
	procLineShutdown            = modtapi32.NewProc("lineShutdown")
	procLineNegotiateAPIVersion = modtapi32.NewProc("lineNegotiateAPIVersion")
	procLineGetDevCapsW         = modtapi32.NewProc("lineGetDevCapsW")
	procLineOpenW               = modtapi32.NewProc("lineOpenW")
	procLineClose               = modtapi32.NewProc("lineClose")
	procLineGetMessage          = modtapi32.NewProc("lineGetMessage")
	procLineGetCallInfoW        = modtapi32.NewProc("lineGetCallInfoW")
	procLineDeallocateCall      = modtapi32.NewProc("lineDeallocateCall")
)

const (
	apiVersionLow  = 0x00010004
	apiVersionHigh = 0x00020002

	lineInitializeExOptionUseEvent = 2
	lineCallPrivilegeMonitor       = 2
	lineMediaModeInteractiveVoice  = 4

	lineCallInfo     = 1
	lineCallState    = 2
	lineClose        = 3
	lineReply        = 12
	lineAppNewCall   = 23
	lineLineDevState = 8

	// LINECALLINFOSTATE_* bits of LINE_CALLINFO that make the numbers worth re-reading.
	callInfoStateCallID    = 0x40
	callInfoStateOrigin    = 0x200
	callInfoStateCallerID  = 0x8000
	callInfoStateCalledID  = 0x10000
	callInfoStateConnected = 0x20000

	lineErrOperationFailed = 0x80000048
	lineErrStructTooSmall  = 0x8000004D

	pollEvery = 250 * time.Millisecond
)

// lineInitializeExParams is LINEINITIALIZEEXPARAMS. The C structure is
// packed: 28 bytes on 64-bit Windows (24 on 32-bit), while this Go struct
// has trailing padding, so dwTotalSize is set from the field offsets.
type lineInitializeExParams struct {
	totalSize     uint32
	neededSize    uint32
	usedSize      uint32
	options       uint32
	handle        uintptr // union { HANDLE hEvent; HANDLE hCompletionPort }
	completionKey uint32
}

// lineMessage is LINEMESSAGE: two DWORDs and four DWORD_PTRs.
type lineMessage struct {
	device           uint32
	messageID        uint32
	callbackInstance uintptr
	param1           uintptr
	param2           uintptr
	param3           uintptr
}

// Source watches one TAPI line.
type Source struct {
	cfg Config
	log *slog.Logger
}

// New returns a Source for cfg. The line is opened by Run.
func New(cfg Config, logger *slog.Logger) (*Source, error) {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.AppName == "" {
		cfg.AppName = "CallDocket"
	}
	if err := modtapi32.Load(); err != nil {
		return nil, fmt.Errorf("load tapi32.dll: %w", err)
	}
	return &Source{cfg: cfg, log: logger}, nil
}

func tapiCall(p *windows.LazyProc, name string, args ...uintptr) error {
	r, _, _ := p.Call(args...)
	if code := uint32(r); int32(code) < 0 {
		return &LineError{Func: name, Code: code}
	}
	return nil
}

// app is one lineInitializeExW session.
type app struct {
	h       uint32
	numDevs uint32
	event   windows.Handle
}

func initialize(name string) (*app, error) {
	a := &app{}
	appName, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, fmt.Errorf("application name: %w", err)
	}
	ver := uint32(apiVersionHigh)
	params := lineInitializeExParams{options: lineInitializeExOptionUseEvent}
	params.totalSize = uint32(unsafe.Offsetof(params.completionKey) + unsafe.Sizeof(params.completionKey))
	if err := tapiCall(procLineInitializeExW, "lineInitializeExW",
		uintptr(unsafe.Pointer(&a.h)), 0, 0, uintptr(unsafe.Pointer(appName)),
		uintptr(unsafe.Pointer(&a.numDevs)), uintptr(unsafe.Pointer(&ver)), uintptr(unsafe.Pointer(&params))); err != nil {
		return nil, err
	}
	a.event = windows.Handle(params.handle)
	return a, nil
}

func (a *app) shutdown() { _ = tapiCall(procLineShutdown, "lineShutdown", uintptr(a.h)) }

func (a *app) negotiate(dev uint32) (uint32, error) {
	var ver uint32
	var ext [16]byte // LINEEXTENSIONID
	err := tapiCall(procLineNegotiateAPIVersion, "lineNegotiateAPIVersion", uintptr(a.h), uintptr(dev),
		apiVersionLow, apiVersionHigh, uintptr(unsafe.Pointer(&ver)), uintptr(unsafe.Pointer(&ext[0])))
	return ver, err
}

// growBuffer calls fill with a buffer whose dwTotalSize is set, growing it
// while the structure reports a larger dwNeededSize.
func growBuffer(size int, fill func(buf []byte) error) ([]byte, error) {
	for range 8 {
		buf := make([]byte, size)
		*(*uint32)(unsafe.Pointer(&buf[0])) = uint32(size)
		if err := fill(buf); err != nil {
			var le *LineError
			if errors.As(err, &le) && le.Code == lineErrStructTooSmall {
				size *= 2
				continue
			}
			return nil, err
		}
		needed := *(*uint32)(unsafe.Pointer(&buf[4]))
		if int(needed) <= size {
			return buf, nil
		}
		size = int(needed)
	}
	return nil, errors.New("TAPI structure keeps growing")
}

func (a *app) lineName(dev, ver uint32) (string, error) {
	buf, err := growBuffer(1024, func(buf []byte) error {
		return tapiCall(procLineGetDevCapsW, "lineGetDevCapsW", uintptr(a.h), uintptr(dev), uintptr(ver), 0,
			uintptr(unsafe.Pointer(&buf[0])))
	})
	if err != nil {
		return "", err
	}
	name, _, err := DecodeLineName(buf)
	return name, err
}

func (a *app) lines() []Line {
	var out []Line
	for dev := range a.numDevs {
		ver, err := a.negotiate(dev)
		if err != nil {
			continue
		}
		name, err := a.lineName(dev, ver)
		if err != nil {
			name = ""
		}
		out = append(out, Line{Index: dev, Name: name, APIVersion: ver})
	}
	return out
}

// Lines lists the TAPI lines of this computer, for the settings screen.
func Lines(appName string) ([]Line, error) {
	if err := modtapi32.Load(); err != nil {
		return nil, fmt.Errorf("load tapi32.dll: %w", err)
	}
	if appName == "" {
		appName = "CallDocket"
	}
	a, err := initialize(appName)
	if err != nil {
		return nil, err
	}
	defer a.shutdown()
	return a.lines(), nil
}

func callInfo(h uint32) (CallInfo, error) {
	buf, err := growBuffer(2048, func(buf []byte) error {
		return tapiCall(procLineGetCallInfoW, "lineGetCallInfoW", uintptr(h), uintptr(unsafe.Pointer(&buf[0])))
	})
	if err != nil {
		return CallInfo{}, err
	}
	return DecodeCallInfo(buf)
}

// Run implements tapi.Source: it opens the configured line with monitor
// privilege and reports its calls until ctx is cancelled. When the line
// closes (LINE_CLOSE) or TAPI fails, open calls are ended and the line is
// reopened with backoff. Run returns early only when no line matches the
// configuration.
func (s *Source) Run(ctx context.Context, emit func(tapi.Event)) error {
	attempt := 0
	for {
		start := time.Now()
		err := s.session(ctx, emit)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.cfg.OnLink.Report(false, err.Error())
		if errors.Is(err, ErrLineNotFound) {
			return err
		}
		if time.Since(start) > time.Minute {
			attempt = 0
		}
		wait := backoff(attempt, s.cfg.MinBackoff, s.cfg.MaxBackoff)
		attempt++
		s.log.Warn("TAPI line lost, reopening", "err", err, "wait", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

var errLineClosed = errors.New("TAPI line closed")

func (s *Source) session(ctx context.Context, emit func(tapi.Event)) error {
	a, err := initialize(s.cfg.AppName)
	if err != nil {
		return err
	}
	defer a.shutdown()
	line, err := pick(a.lines(), s.cfg.Line)
	if err != nil {
		return err
	}
	var hLine uint32
	if err := tapiCall(procLineOpenW, "lineOpenW", uintptr(a.h), uintptr(line.Index), uintptr(unsafe.Pointer(&hLine)),
		uintptr(line.APIVersion), 0, 0, lineCallPrivilegeMonitor, lineMediaModeInteractiveVoice, 0); err != nil {
		return err
	}
	defer func() { _ = tapiCall(procLineClose, "lineClose", uintptr(hLine)) }()
	s.cfg.OnLink.Report(true, "")
	s.log.Info("TAPI line open", "line", line.Name, "index", line.Index, "api_version", fmt.Sprintf("%#x", line.APIVersion))

	cs := newCalls(line.Name)
	cs.session = strconv.FormatInt(time.Now().Unix(), 36) + "-"
	send := func(evs []tapi.Event) {
		for _, ev := range evs {
			emit(ev)
		}
	}
	defer func() {
		for _, h := range cs.handles() {
			_ = tapiCall(procLineDeallocateCall, "lineDeallocateCall", uintptr(h))
		}
		send(cs.closeAll(time.Now()))
	}()
	refresh := func(h uint32) {
		ci, err := callInfo(h)
		if err != nil {
			s.log.Debug("read TAPI call info", "err", err)
			return
		}
		send(cs.info(h, ci, time.Now()))
	}
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ev, err := windows.WaitForSingleObject(a.event, uint32(pollEvery/time.Millisecond))
		if err != nil {
			return fmt.Errorf("wait for TAPI messages: %w", err)
		}
		send(cs.tick(time.Now()))
		if ev != windows.WAIT_OBJECT_0 {
			continue
		}
		for {
			var msg lineMessage
			err := tapiCall(procLineGetMessage, "lineGetMessage", uintptr(a.h), uintptr(unsafe.Pointer(&msg)), 0)
			if err != nil {
				var le *LineError
				if errors.As(err, &le) && le.Code == lineErrOperationFailed {
					break // queue empty
				}
				return err
			}
			h := msg.device
			switch msg.messageID {
			case lineAppNewCall:
				refresh(uint32(msg.param2))
			case lineCallState:
				if !cs.known(h) {
					refresh(h)
				}
				send(cs.state(h, uint32(msg.param1), time.Now()))
				if uint32(msg.param1) == CallStateIdle {
					_ = tapiCall(procLineDeallocateCall, "lineDeallocateCall", uintptr(h))
				}
			case lineCallInfo:
				if uint32(msg.param1)&(callInfoStateCallID|callInfoStateOrigin|callInfoStateCallerID|
					callInfoStateCalledID|callInfoStateConnected) != 0 {
					refresh(h)
				}
			case lineClose:
				return errLineClosed
			case lineReply, lineLineDevState:
			}
		}
	}
}
