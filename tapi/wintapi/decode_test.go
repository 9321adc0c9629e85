package wintapi

import (
	"encoding/binary"
	"errors"
	"testing"
	"unicode/utf16"
)

// callInfoBuf builds a LINECALLINFO buffer from the documented layout: the
// fixed part, then the strings (UTF-16LE with a terminating NUL) appended in
// the variable part.
type callInfoBuf struct {
	buf []byte
}

func newCallInfoBuf(callID, origin uint32) *callInfoBuf {
	b := &callInfoBuf{buf: make([]byte, CallInfoFixedSize+64)} // the real struct is larger than what we read
	put(b.buf, offCallID, callID)
	put(b.buf, offOrigin, origin)
	return b
}

func put(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }

// str appends s and points the size/offset fields at it.
func (b *callInfoBuf) str(sizeOff, offOff int, s string) *callInfoBuf {
	u := append(utf16.Encode([]rune(s)), 0)
	put(b.buf, offOff, uint32(len(b.buf)))
	put(b.buf, sizeOff, uint32(2*len(u)))
	for _, c := range u {
		b.buf = binary.LittleEndian.AppendUint16(b.buf, c)
	}
	return b
}

func (b *callInfoBuf) party(flagsOff int, flags uint32) *callInfoBuf {
	put(b.buf, flagsOff, flags)
	return b
}

// done sets dwTotalSize, dwNeededSize and dwUsedSize to the length.
func (b *callInfoBuf) done() []byte {
	n := uint32(len(b.buf))
	put(b.buf, offTotalSize, n)
	put(b.buf, offNeededSize, n)
	put(b.buf, offUsedSize, n)
	return b.buf
}

func inboundBuf() []byte {
	return newCallInfoBuf(4711, OriginInbound|OriginExternal).
		party(offCallerIDFlags, PartyAddress|PartyName).
		str(offCallerIDSize, offCallerIDOffset, "+12125550123").
		str(offCallerIDNameSize, offCallerIDNameOffset, "Jane Clïent").
		party(offCalledIDFlags, PartyAddress).
		str(offCalledIDSize, offCalledIDOffset, "201").
		done()
}

func TestLayoutOffsets(t *testing.T) {
	// The offsets follow from the LINECALLINFO member order, every member a
	// DWORD: 16 DWORDs, LINEDIALPARAMS (4 DWORDs), then dwOrigin…
	if offOrigin != (16+4)*4 || offCallerIDFlags != offOrigin+7*4 || offCalledIDFlags != offCallerIDFlags+5*4 ||
		offConnectedIDFlags != offCalledIDFlags+5*4 || CallInfoFixedSize != offConnectedIDNameOff+4 {
		t.Errorf("LINECALLINFO offsets are inconsistent")
	}
}

func TestDecodeCallInfo(t *testing.T) {
	tests := []struct {
		name    string
		buf     []byte
		want    CallInfo
		wantErr error
	}{
		{
			name: "inbound with caller name",
			buf:  inboundBuf(),
			want: CallInfo{CallID: 4711, Origin: OriginInbound | OriginExternal,
				Caller: Party{Flags: PartyAddress | PartyName, Address: "+12125550123", Name: "Jane Clïent"},
				Called: Party{Flags: PartyAddress, Address: "201"}},
		},
		{
			name: "outbound with connected id",
			buf: newCallInfoBuf(0, OriginOutbound).
				party(offCalledIDFlags, PartyAddress).
				str(offCalledIDSize, offCalledIDOffset, "9,2125550123").
				party(offConnectedIDFlags, PartyAddress|PartyName).
				str(offConnectedIDSize, offConnectedIDOffset, "2125550123").
				str(offConnectedIDNameSize, offConnectedIDNameOff, "ACME").
				done(),
			want: CallInfo{Origin: OriginOutbound,
				Called:    Party{Flags: PartyAddress, Address: "9,2125550123"},
				Connected: Party{Flags: PartyAddress | PartyName, Address: "2125550123", Name: "ACME"}},
		},
		{
			name: "blocked caller: strings not read without the flags",
			buf: newCallInfoBuf(1, OriginInbound).
				party(offCallerIDFlags, PartyBlocked).
				str(offCallerIDSize, offCallerIDOffset, "ignored").
				done(),
			want: CallInfo{CallID: 1, Origin: OriginInbound, Caller: Party{Flags: PartyBlocked}},
		},
		{
			name: "empty string with size 0",
			buf:  newCallInfoBuf(2, OriginInbound).party(offCallerIDFlags, PartyAddress).done(),
			want: CallInfo{CallID: 2, Origin: OriginInbound, Caller: Party{Flags: PartyAddress}},
		},
		{
			name:    "short buffer",
			buf:     make([]byte, CallInfoFixedSize-1),
			wantErr: ErrShortBuffer,
		},
		{
			name: "used size smaller than the fixed part",
			buf: func() []byte {
				b := inboundBuf()
				put(b, offUsedSize, 100)
				return b
			}(),
			wantErr: ErrShortBuffer,
		},
		{
			name: "string beyond used size",
			buf: func() []byte {
				b := inboundBuf()
				put(b, offUsedSize, uint32(len(b)-4))
				return b
			}(),
			wantErr: ErrBadString,
		},
		{
			name: "offset out of range",
			buf: func() []byte {
				b := inboundBuf()
				put(b, offCallerIDOffset, 0xFFFFFFF0)
				return b
			}(),
			wantErr: ErrBadString,
		},
		{
			name: "odd size",
			buf: func() []byte {
				b := inboundBuf()
				put(b, offCallerIDSize, 5)
				return b
			}(),
			wantErr: ErrBadString,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeCallInfo(tt.buf)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("DecodeCallInfo() error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				var de *DecodeError
				if !errors.As(err, &de) || de.Error() == "" {
					t.Errorf("DecodeCallInfo() error = %#v, want a *DecodeError", err)
				}
				return
			}
			got.NeededSize = 0
			if got != tt.want {
				t.Errorf("DecodeCallInfo() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeCallInfoNeededSize(t *testing.T) {
	b := inboundBuf()
	put(b, offNeededSize, 4096)
	got, err := DecodeCallInfo(b)
	if err != nil || got.NeededSize != 4096 {
		t.Errorf("DecodeCallInfo() = %+v, %v, want NeededSize 4096", got, err)
	}
}

func TestDecodeLineName(t *testing.T) {
	b := make([]byte, 300)
	name := append(utf16.Encode([]rune("3CX TAPI Line 201")), 0)
	put(b, offLineNameOffset, 300)
	for _, c := range name {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	put(b, offLineNameSize, uint32(2*len(name)))
	put(b, offTotalSize, uint32(len(b)))
	put(b, offNeededSize, uint32(len(b)))
	put(b, offUsedSize, uint32(len(b)))
	got, needed, err := DecodeLineName(b)
	if err != nil || got != "3CX TAPI Line 201" || needed != uint32(len(b)) {
		t.Errorf("DecodeLineName() = %q, %d, %v, want the line name", got, needed, err)
	}
	if _, _, err := DecodeLineName(b[:10]); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("DecodeLineName(short) error = %v, want ErrShortBuffer", err)
	}
}

func FuzzDecodeCallInfo(f *testing.F) {
	f.Add(inboundBuf())
	f.Add(newCallInfoBuf(0, OriginOutbound).party(offConnectedIDFlags, PartyAddress).
		str(offConnectedIDSize, offConnectedIDOffset, "2125550123").done())
	f.Add(make([]byte, CallInfoFixedSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		ci, err := DecodeCallInfo(b)
		if err != nil {
			return
		}
		for _, s := range []string{ci.Caller.Address, ci.Caller.Name, ci.Called.Address, ci.Called.Name,
			ci.Connected.Address, ci.Connected.Name} {
			if len(s) > 3*maxString/2 {
				t.Fatalf("DecodeCallInfo() string of %d bytes, want at most %d", len(s), 3*maxString/2)
			}
		}
		// What decodes also maps without panicking.
		cs := newCalls("line")
		cs.info(1, ci, t0)
		for _, st := range []uint32{CallStateOffering, CallStateConnected, CallStateIdle} {
			for _, ev := range cs.state(1, st, t0) {
				if err := ev.Validate(); err != nil {
					t.Fatalf("mapped event %+v does not validate: %v", ev, err)
				}
			}
		}
	})
}
