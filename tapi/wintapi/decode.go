package wintapi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// LINECALLINFO byte offsets (tapi.h; every member is a 4-byte DWORD, HLINE
// included, and the structure is packed).
const (
	offTotalSize           = 0
	offNeededSize          = 4
	offUsedSize            = 8
	offCallID              = 40
	offRelatedCallID       = 44
	offOrigin              = 80
	offReason              = 84
	offCallerIDFlags       = 108
	offCallerIDSize        = 112
	offCallerIDOffset      = 116
	offCallerIDNameSize    = 120
	offCallerIDNameOffset  = 124
	offCalledIDFlags       = 128
	offCalledIDSize        = 132
	offCalledIDOffset      = 136
	offCalledIDNameSize    = 140
	offCalledIDNameOffset  = 144
	offConnectedIDFlags    = 148
	offConnectedIDSize     = 152
	offConnectedIDOffset   = 156
	offConnectedIDNameSize = 160
	offConnectedIDNameOff  = 164
	// CallInfoFixedSize is the fixed part DecodeCallInfo needs: up to and
	// including dwConnectedIDNameOffset.
	CallInfoFixedSize = 168
)

// LINEDEVCAPS byte offsets.
const (
	offLineNameSize   = 32
	offLineNameOffset = 36
	offStringFormat   = 40
	// DevCapsFixedSize is the fixed part DecodeLineName needs.
	DevCapsFixedSize = 44
)

// maxString bounds one decoded string, in bytes.
const maxString = 4096

// LINECALLORIGIN_* flags of CallInfo.Origin.
const (
	OriginOutbound    = 0x1
	OriginInternal    = 0x2
	OriginExternal    = 0x4
	OriginUnknown     = 0x10
	OriginUnavailable = 0x20
	OriginConference  = 0x40
	OriginInbound     = 0x80
)

// LINECALLPARTYID_* flags of the caller, called and connected IDs.
const (
	PartyBlocked   = 0x1
	PartyOutOfArea = 0x2
	PartyName      = 0x4
	PartyAddress   = 0x8
	PartyPartial   = 0x10
	PartyUnknown   = 0x20
	PartyUnavail   = 0x40
)

// Errors from the decoders.
var (
	// ErrShortBuffer: the buffer is smaller than the fixed part of the
	// structure, or than its own dwUsedSize says.
	ErrShortBuffer = errors.New("TAPI structure buffer too short")
	// ErrBadString: an offset/size pair points outside the used part of the
	// buffer, or the size is odd or too large.
	ErrBadString = errors.New("TAPI string outside its buffer")
)

// DecodeError names the field DecodeCallInfo or DecodeLineName could not
// read. It unwraps to ErrShortBuffer or ErrBadString.
type DecodeError struct {
	Field  string // e.g. "CallerID"
	Offset uint32 // the string's offset, for ErrBadString
	Size   uint32 // the string's size in bytes
	Err    error
}

func (e *DecodeError) Error() string {
	if errors.Is(e.Err, ErrBadString) {
		return fmt.Sprintf("decode %s: %v (offset %d, size %d)", e.Field, e.Err, e.Offset, e.Size)
	}
	return fmt.Sprintf("decode %s: %v", e.Field, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Party is one end of a call as TAPI identifies it.
type Party struct {
	Flags   uint32 // LINECALLPARTYID_* flags
	Address string // the number, when Flags has PartyAddress
	Name    string // the name, when Flags has PartyName
}

// CallInfo is the part of LINECALLINFO CallDocket uses.
type CallInfo struct {
	NeededSize    uint32 // dwNeededSize: grow the buffer to this and ask again if larger than the buffer
	CallID        uint32 // dwCallID: the switch's call id, 0 if none
	RelatedCallID uint32
	Origin        uint32 // LINECALLORIGIN_* flags
	Reason        uint32 // LINECALLREASON_* flags
	Caller        Party
	Called        Party
	Connected     Party
}

// DecodeCallInfo reads a LINECALLINFO buffer as lineGetCallInfoW filled it.
// Strings are UTF-16LE at offset/size pairs (size in bytes, terminating NUL
// included) and must lie inside the first dwUsedSize bytes. A Party's
// Address and Name are read only when its flags say they are present. When
// dwNeededSize exceeds the buffer, the fixed part is still decoded and
// NeededSize tells the caller to retry with a larger buffer.
func DecodeCallInfo(buf []byte) (CallInfo, error) {
	used, err := usedSize(buf, CallInfoFixedSize, "LINECALLINFO")
	if err != nil {
		return CallInfo{}, err
	}
	b := buf[:used]
	ci := CallInfo{
		NeededSize:    le(b, offNeededSize),
		CallID:        le(b, offCallID),
		RelatedCallID: le(b, offRelatedCallID),
		Origin:        le(b, offOrigin),
		Reason:        le(b, offReason),
	}
	parties := []struct {
		name                                        string
		dst                                         *Party
		flags, addrSize, addrOff, nameSize, nameOff int
	}{
		{"Caller", &ci.Caller, offCallerIDFlags, offCallerIDSize, offCallerIDOffset, offCallerIDNameSize, offCallerIDNameOffset},
		{"Called", &ci.Called, offCalledIDFlags, offCalledIDSize, offCalledIDOffset, offCalledIDNameSize, offCalledIDNameOffset},
		{"Connected", &ci.Connected, offConnectedIDFlags, offConnectedIDSize, offConnectedIDOffset, offConnectedIDNameSize, offConnectedIDNameOff},
	}
	for _, p := range parties {
		p.dst.Flags = le(b, p.flags)
		if p.dst.Flags&PartyAddress != 0 {
			if p.dst.Address, err = utf16At(b, p.name+"ID", le(b, p.addrOff), le(b, p.addrSize)); err != nil {
				return CallInfo{}, err
			}
		}
		if p.dst.Flags&PartyName != 0 {
			if p.dst.Name, err = utf16At(b, p.name+"IDName", le(b, p.nameOff), le(b, p.nameSize)); err != nil {
				return CallInfo{}, err
			}
		}
	}
	return ci, nil
}

// DecodeLineName reads the line name from a LINEDEVCAPS buffer as
// lineGetDevCapsW filled it (dwLineNameOffset/Size, UTF-16LE). It also
// returns dwNeededSize.
func DecodeLineName(buf []byte) (name string, needed uint32, err error) {
	used, err := usedSize(buf, DevCapsFixedSize, "LINEDEVCAPS")
	if err != nil {
		return "", 0, err
	}
	b := buf[:used]
	name, err = utf16At(b, "LineName", le(b, offLineNameOffset), le(b, offLineNameSize))
	return name, le(b, offNeededSize), err
}

// usedSize checks the fixed part and returns the usable length of buf:
// dwUsedSize, clamped to the buffer.
func usedSize(buf []byte, fixed int, what string) (int, error) {
	if len(buf) < fixed {
		return 0, &DecodeError{Field: what, Err: ErrShortBuffer}
	}
	used := int(min(uint64(le(buf, offUsedSize)), uint64(len(buf))))
	if total := le(buf, offTotalSize); uint64(total) < uint64(used) {
		used = int(total)
	}
	if used < fixed {
		return 0, &DecodeError{Field: what, Err: ErrShortBuffer}
	}
	return used, nil
}

func le(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// utf16At decodes the UTF-16LE string of size bytes at off, without its
// terminating NUL(s). A zero size is the empty string.
func utf16At(b []byte, field string, off, size uint32) (string, error) {
	if size == 0 {
		return "", nil
	}
	if size%2 != 0 || size > maxString || uint64(off)+uint64(size) > uint64(len(b)) {
		return "", &DecodeError{Field: field, Offset: off, Size: size, Err: ErrBadString}
	}
	raw := b[off : off+size]
	u := make([]uint16, 0, size/2)
	for i := 0; i+1 < len(raw); i += 2 {
		c := binary.LittleEndian.Uint16(raw[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u)), nil
}
