package ami

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits of the frame reader.
const (
	MaxLineBytes = 16 << 10 // longest line kept; longer lines make the frame malformed
	MaxFields    = 256      // most fields kept per frame
)

// Errors of the frame reader.
var (
	// ErrFrameTooLarge is returned by Reader.Next for a frame with a line
	// over MaxLineBytes or more than MaxFields fields. The frame is skipped
	// and the reader stays usable.
	ErrFrameTooLarge = errors.New("AMI frame too large")
	// ErrBadValue is returned when an action value contains a line break.
	ErrBadValue = errors.New("line break in AMI action value")
)

// Frame is one AMI message: an event ("Event: Newstate"), a response
// ("Response: Success") or an action. Keys are kept in lower case; when a
// key repeats, the first value wins.
type Frame map[string]string

// Get returns the value of key, case-insensitively, or "".
func (f Frame) Get(key string) string { return f[strings.ToLower(key)] }

// Reader reads AMI frames from a byte stream, whatever the boundaries of
// the underlying reads.
type Reader struct {
	br *bufio.Reader
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 4096)}
}

// ReadBanner reads the one-line greeting the server sends on connect, e.g.
// "Asterisk Call Manager/5.0.2".
func (r *Reader) ReadBanner() (string, error) {
	line, tooLong, err := r.line()
	if err != nil {
		return "", err
	}
	if tooLong {
		return "", ErrFrameTooLarge
	}
	return string(line), nil
}

// Next returns the next frame. Blank lines between frames are skipped, and
// so are lines without a colon (such as "--END COMMAND--"). It returns
// io.EOF at the end of the stream between frames, io.ErrUnexpectedEOF inside
// one, and ErrFrameTooLarge (after consuming the whole frame) for an
// oversized one.
func (r *Reader) Next() (Frame, error) {
	var f Frame
	tooLarge := false
	for {
		line, tooLong, err := r.line()
		if err != nil {
			if errors.Is(err, io.EOF) && (f != nil || tooLarge) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if tooLong {
			tooLarge = true
			continue
		}
		if len(line) == 0 {
			if f == nil && !tooLarge {
				continue // between frames
			}
			if tooLarge {
				return nil, ErrFrameTooLarge
			}
			return f, nil
		}
		key, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			if f == nil && !tooLarge {
				f = Frame{} // a line without a colon still opens a frame
			}
			continue
		}
		if f == nil {
			f = make(Frame, 16)
		}
		k := strings.ToLower(string(bytes.TrimSpace(key)))
		if k == "" {
			continue
		}
		if len(f) >= MaxFields {
			tooLarge = true
			continue
		}
		if _, dup := f[k]; !dup {
			f[k] = string(bytes.TrimSpace(val))
		}
	}
}

// line returns the next line without its line ending (CRLF or LF). A line
// longer than MaxLineBytes is consumed entirely and reported as tooLong.
func (r *Reader) line() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes+2 {
			tooLong = true
			buf = buf[:0]
		} else {
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(buf) > 0 && !tooLong {
				return nil, false, io.ErrUnexpectedEOF
			}
			return nil, false, err
		}
		if tooLong {
			return nil, true, nil
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, false, nil
	}
}

// Action is an AMI action to send: ordered key/value pairs.
type Action [][2]string

// Marshal encodes the action as CRLF-terminated lines and a blank line. It
// refuses keys or values with line breaks, which would inject fields.
func (a Action) Marshal() ([]byte, error) {
	var b bytes.Buffer
	for _, kv := range a {
		if strings.ContainsAny(kv[0], "\r\n:") || strings.ContainsAny(kv[1], "\r\n") {
			return nil, fmt.Errorf("encode AMI action field %q: %w", kv[0], ErrBadValue)
		}
		b.WriteString(kv[0])
		b.WriteString(": ")
		b.WriteString(kv[1])
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}
