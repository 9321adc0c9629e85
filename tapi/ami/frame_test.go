package ami

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// chunkReader returns data in reads whose sizes cycle through sizes.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = c.sizes[c.i%len(c.sizes)]
		c.i++
	}
	n = max(1, min(n, len(p), len(c.data)))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// readAll reads frames until an error other than ErrFrameTooLarge and
// returns them, the number of oversized frames, and the final error.
func readAll(r io.Reader) ([]Frame, int, error) {
	fr := NewReader(r)
	var out []Frame
	skipped := 0
	for {
		f, err := fr.Next()
		if errors.Is(err, ErrFrameTooLarge) {
			skipped++
			continue
		}
		if err != nil {
			return out, skipped, err
		}
		out = append(out, f)
	}
}

var frameTests = []struct {
	name        string
	in          string
	want        []Frame
	wantSkipped int
	wantErr     error
}{
	{
		name: "two events CRLF",
		in:   "Event: Newstate\r\nChannel: PJSIP/201-00000002\r\nChannelState: 5\r\n\r\nEvent: Hangup\r\nCause: 16\r\n\r\n",
		want: []Frame{{"event": "Newstate", "channel": "PJSIP/201-00000002", "channelstate": "5"},
			{"event": "Hangup", "cause": "16"}},
		wantErr: io.EOF,
	},
	{
		name:    "bare LF, extra blank lines, value with colon",
		in:      "\n\nResponse: Success\nMessage: Authentication accepted: yes\n\n\n",
		want:    []Frame{{"response": "Success", "message": "Authentication accepted: yes"}},
		wantErr: io.EOF,
	},
	{
		name:    "empty value and first duplicate wins",
		in:      "Event: VarSet\r\nAccountCode:\r\nValue: a\r\nValue: b\r\n\r\n",
		want:    []Frame{{"event": "VarSet", "accountcode": "", "value": "a"}},
		wantErr: io.EOF,
	},
	{
		name:    "line without colon ignored",
		in:      "Response: Follows\r\nsome output\r\n--END COMMAND--\r\n\r\n",
		want:    []Frame{{"response": "Follows"}},
		wantErr: io.EOF,
	},
	{
		name:    "cut inside a frame",
		in:      "Event: Newstate\r\nChannel: PJSIP/2",
		wantErr: io.ErrUnexpectedEOF,
	},
	{
		name:    "cut after a full line inside a frame",
		in:      "Event: Newstate\r\n",
		wantErr: io.ErrUnexpectedEOF,
	},
	{
		name:        "oversized line skipped with its frame",
		in:          "Event: Big\r\nValue: " + strings.Repeat("x", MaxLineBytes+10) + "\r\n\r\nEvent: Small\r\n\r\n",
		want:        []Frame{{"event": "Small"}},
		wantSkipped: 1,
		wantErr:     io.EOF,
	},
	{
		name:    "empty input",
		in:      "",
		wantErr: io.EOF,
	},
}

func TestReaderNext(t *testing.T) {
	for _, tt := range frameTests {
		for _, sizes := range [][]int{nil, {1}, {3, 7, 1, 50}, {1 << 20}} {
			t.Run(tt.name, func(t *testing.T) {
				got, skipped, err := readAll(&chunkReader{data: []byte(tt.in), sizes: sizes})
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Next() final error = %v, want %v (chunks %v)", err, tt.wantErr, sizes)
				}
				if skipped != tt.wantSkipped {
					t.Errorf("Next() skipped %d frames, want %d (chunks %v)", skipped, tt.wantSkipped, sizes)
				}
				if len(got) != len(tt.want) || (len(got) > 0 && !reflect.DeepEqual(got, tt.want)) {
					t.Errorf("Next() frames = %v, want %v (chunks %v)", got, tt.want, sizes)
				}
			})
		}
	}
}

func TestFrameGet(t *testing.T) {
	f := Frame{"channelstate": "5"}
	if got := f.Get("ChannelState"); got != "5" {
		t.Errorf("Get(ChannelState) = %q, want 5", got)
	}
	if got := f.Get("Missing"); got != "" {
		t.Errorf("Get(Missing) = %q, want empty", got)
	}
}

func TestReadBanner(t *testing.T) {
	r := NewReader(strings.NewReader("Asterisk Call Manager/5.0.2\r\nResponse: Success\r\n\r\n"))
	b, err := r.ReadBanner()
	if err != nil || b != "Asterisk Call Manager/5.0.2" {
		t.Fatalf("ReadBanner() = %q, %v, want the banner", b, err)
	}
	if f, err := r.Next(); err != nil || f.Get("Response") != "Success" {
		t.Errorf("Next() after banner = %v, %v, want the response", f, err)
	}
}

func TestActionMarshal(t *testing.T) {
	b, err := Action{{"Action", "Login"}, {"Username", "cd"}, {"Events", "call"}}.Marshal()
	if want := "Action: Login\r\nUsername: cd\r\nEvents: call\r\n\r\n"; err != nil || string(b) != want {
		t.Errorf("Marshal() = %q, %v, want %q", b, err, want)
	}
	for _, a := range []Action{{{"Secret", "x\r\nEvents: all"}}, {{"Se\ncret", "x"}}, {{"A:B", "x"}}} {
		if _, err := a.Marshal(); !errors.Is(err, ErrBadValue) {
			t.Errorf("Marshal(%q) error = %v, want ErrBadValue", a, err)
		}
	}
}

// FuzzFrames checks that reassembly does not depend on read boundaries:
// the same bytes read whole and in fuzzed chunk sizes give the same frames
// and the same final error, and nothing panics.
func FuzzFrames(f *testing.F) {
	for _, tt := range frameTests {
		if len(tt.in) < 4096 {
			f.Add([]byte(tt.in), []byte{1, 2, 3})
		}
	}
	f.Add([]byte("Asterisk Call Manager/5.0.2\r\nEvent: Newstate\r\n\r\n"), []byte{5})
	for _, tt := range realCases() { // the recorded transcripts, mapped for "201"
		f.Add(wire(f, tt.file), []byte{7, 200, 31})
	}
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		sizes := make([]int, len(cuts))
		for i, c := range cuts {
			sizes[i] = int(c) + 1
		}
		whole, skipped1, err1 := readAll(&chunkReader{data: data, sizes: []int{len(data) + 1}})
		chunked, skipped2, err2 := readAll(&chunkReader{data: data, sizes: sizes})
		if !reflect.DeepEqual(whole, chunked) || skipped1 != skipped2 || !errors.Is(err2, err1) {
			t.Fatalf("frames differ by read boundaries:\nwhole   %v %d %v\nchunked %v %d %v", whole, skipped1, err1,
				chunked, skipped2, err2)
		}
		m := newMapper("201")
		for _, fr := range whole {
			if len(fr) > MaxFields {
				t.Fatalf("frame with %d fields, want at most %d", len(fr), MaxFields)
			}
			for _, ev := range m.handle(fr, t0) {
				if err := ev.Validate(); err != nil {
					t.Fatalf("mapped event %+v does not validate: %v", ev, err)
				}
			}
		}
	})
}
