package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestRateWindowConfigurable(t *testing.T) {
	c := newClock()
	_, ts := newTestServer(t, Options{RateLimit: 2, RateWindow: 10 * time.Second, Now: c.Now})
	u := ts.URL + "/api/v4/users/who_am_i.json"
	start := c.Now()
	for i := 1; i <= 2; i++ {
		r := get(t, u)
		if r.Status != http.StatusOK {
			t.Fatalf("request %d = %d, want 200", i, r.Status)
		}
		if got, want := r.Header.Get("X-RateLimit-Reset"), strconv.FormatInt(start.Unix()+10, 10); got != want {
			t.Errorf("X-RateLimit-Reset = %s, want %s", got, want)
		}
		if got := r.Header.Get("X-RateLimit-Limit"); got != "2" {
			t.Errorf("X-RateLimit-Limit = %s, want 2", got)
		}
	}
	c.Advance(6500 * time.Millisecond)
	r := get(t, u)
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("3rd request = %d, want 429", r.Status)
	}
	if got := r.Header.Get("Retry-After"); got != "4" { // 3.5 s rounded up
		t.Errorf("Retry-After = %q, want 4", got)
	}
	c.Advance(3500 * time.Millisecond)
	if r := get(t, u); r.Status != http.StatusOK {
		t.Errorf("request in the next window = %d, want 200", r.Status)
	}
}

// try does one request and reports a transport error instead of failing.
func try(method, u string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

func TestFaultKinds(t *testing.T) {
	m, c := firstOpenMatter(t)
	body, _ := json.Marshal(communicationBody(m.ID, c.ID, "evt-fault"))
	commPath := "/api/v4/communications"
	for _, tc := range []struct {
		name       string
		fault      Fault
		wantStatus int  // 0: a transport error
		wantSaved  bool // the communication exists afterwards
	}{
		{"status", Fault{Method: "POST", PathPrefix: commPath, Kind: FaultStatus, Status: 502}, 502, false},
		{"status default", Fault{PathPrefix: commPath, Kind: FaultStatus}, 503, false},
		{"reset", Fault{Method: "POST", PathPrefix: commPath, Kind: FaultReset}, 0, false},
		{"commit then drop", Fault{Method: "POST", PathPrefix: commPath, Kind: FaultCommitThenDrop}, 0, true},
		{"429", Fault{PathPrefix: commPath, Kind: Fault429}, 429, false},
		{"latency", Fault{PathPrefix: commPath, Kind: FaultLatency, Latency: 50 * time.Millisecond}, 201, true},
		{"other method", Fault{Method: "GET", PathPrefix: commPath, Kind: FaultReset}, 201, true},
		{"other path", Fault{PathPrefix: "/api/v4/activities", Kind: FaultReset}, 201, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{RateWindow: 5 * time.Second})
			s.InjectFaults(tc.fault)
			start := time.Now()
			status, raw, err := try(http.MethodPost, ts.URL+commPath+".json", body)
			if tc.wantStatus == 0 {
				if err == nil {
					t.Fatalf("POST with %v = %d %s, want a transport error", tc.fault.Kind, status, raw)
				}
			} else if err != nil || status != tc.wantStatus {
				t.Fatalf("POST with %v = %d %s %v, want %d", tc.fault.Kind, status, raw, err, tc.wantStatus)
			}
			if tc.fault.Kind == FaultLatency && time.Since(start) < 50*time.Millisecond {
				t.Errorf("POST with latency took %v, want >= 50ms", time.Since(start))
			}
			if got := len(s.Communications()); got != map[bool]int{true: 1, false: 0}[tc.wantSaved] {
				t.Errorf("Communications() after %s = %d, want saved=%v", tc.name, got, tc.wantSaved)
			}
			reqs := s.Requests()
			if len(reqs) != 1 {
				t.Fatalf("Requests() = %d, want 1", len(reqs))
			}
			if tc.wantStatus != 201 && reqs[0].Fault != tc.fault.Kind {
				t.Errorf("Requests()[0].Fault = %v, want %v", reqs[0].Fault, tc.fault.Kind)
			}
			if tc.fault.Kind == FaultCommitThenDrop && reqs[0].Status != http.StatusCreated {
				t.Errorf("Requests()[0].Status = %d, want 201 (committed)", reqs[0].Status)
			}
			// The fault fires forever (Times 0); ClearFaults ends it.
			s.ClearFaults()
			if status, raw, err := try(http.MethodPost, ts.URL+commPath+".json", body); err != nil || status != http.StatusCreated {
				t.Errorf("POST after ClearFaults = %d %s %v, want 201", status, raw, err)
			}
		})
	}
}

func TestFault429Headers(t *testing.T) {
	c := newClock()
	_, ts := newTestServer(t, Options{RateLimit: 50, RateWindow: 30 * time.Second, Now: c.Now,
		Faults: []Fault{{Kind: Fault429, Times: 1}}})
	r := get(t, ts.URL+"/api/v4/users/who_am_i.json")
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "30" ||
		r.Header.Get("X-RateLimit-Remaining") != "0" || r.Header.Get("X-RateLimit-Limit") != "50" {
		t.Errorf("injected 429 = %d, headers %v, want 429, Retry-After 30, Remaining 0, Limit 50", r.Status, r.Header)
	}
	r = get(t, ts.URL+"/api/v4/users/who_am_i.json")
	if r.Status != http.StatusOK || r.Header.Get("X-RateLimit-Remaining") != "48" {
		t.Errorf("next request = %d, remaining %s, want 200 and 48 (the 429 counted)", r.Status, r.Header.Get("X-RateLimit-Remaining"))
	}
}

// outcomes runs n GETs and returns the status of each (0 for a reset).
func outcomes(t *testing.T, seed int64, n int) []int {
	t.Helper()
	s, ts := newTestServer(t, Options{Seed: seed})
	s.InjectFaults(Fault{Kind: FaultReset, Probability: 0.3}, Fault{Kind: FaultStatus, Probability: 0.3, Times: 3})
	out := make([]int, n)
	for i := range out {
		status, _, err := try(http.MethodGet, ts.URL+"/api/v4/users/who_am_i.json", nil)
		if err == nil {
			out[i] = status
		}
	}
	return out
}

func TestFaultsDeterministic(t *testing.T) {
	a, b := outcomes(t, 7, 40), outcomes(t, 7, 40)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("outcomes(seed 7) = %v and %v, want equal", a, b)
	}
	counts := map[int]int{}
	for _, s := range a {
		counts[s]++
	}
	if counts[0] == 0 || counts[200] == 0 || counts[503] != 3 {
		t.Errorf("outcomes = %v, want some resets, some 200s and exactly 3 (Times) 503s", counts)
	}
	if c := outcomes(t, 8, 40); fmt.Sprint(a) == fmt.Sprint(c) {
		t.Errorf("outcomes(seed 7) = outcomes(seed 8) = %v, want different", a)
	}
}

func TestFaultsConcurrent(t *testing.T) {
	m, c := firstOpenMatter(t)
	s, ts := newTestServer(t, Options{Seed: 3})
	s.InjectFaults(
		Fault{Kind: FaultLatency, Latency: time.Millisecond, Probability: 0.5},
		Fault{Method: "POST", Kind: FaultCommitThenDrop, Probability: 0.2},
		Fault{Method: "POST", Kind: FaultReset, Probability: 0.2},
		Fault{Kind: FaultStatus, Probability: 0.1},
	)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(communicationBody(m.ID, c.ID, fmt.Sprint("evt-", i)))
			status, _, err := try(http.MethodPost, ts.URL+"/api/v4/communications.json", body)
			if err == nil && status == http.StatusCreated {
				mu.Lock()
				created++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	drops := 0
	for _, r := range s.Requests() {
		if r.Fault == FaultCommitThenDrop {
			drops++
		}
	}
	if got := len(s.Communications()); got != created+drops {
		t.Errorf("Communications() = %d, want %d answered + %d dropped after commit", got, created, drops)
	}
}

// parseFaultsCases is the table of TestParseFaults and the seed corpus of
// FuzzParseFaults.
var parseFaultsCases = []struct {
	in      string
	want    []Fault
	wantErr bool
}{
	{"", nil, false},
	{"reset", []Fault{{Kind: FaultReset}}, false},
	{"status,method=post,path=/api/v4/communications,p=0.25,status=502,times=3",
		[]Fault{{Kind: FaultStatus, Method: "POST", PathPrefix: "/api/v4/communications", Probability: 0.25, Status: 502, Times: 3}}, false},
	{"latency,latency=150ms; commit-then-drop,p=0.1 ;429,times=5;",
		[]Fault{{Kind: FaultLatency, Latency: 150 * time.Millisecond}, {Kind: FaultCommitThenDrop, Probability: 0.1}, {Kind: Fault429, Times: 5}}, false},
	{"explode", nil, true},
	{"reset,p=2", nil, true},
	{"reset,times=-1", nil, true},
	{"status,status=200", nil, true},
	{"reset,path=api", nil, true},
	{"reset,colour=red", nil, true},
	{"reset,p", nil, true},
	{"latency,latency=-1s", nil, true},
}

func TestParseFaults(t *testing.T) {
	for _, tc := range parseFaultsCases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseFaults(tc.in)
			if tc.wantErr {
				if !errors.Is(err, ErrFaultSpec) {
					t.Errorf("ParseFaults(%q) error = %v, want ErrFaultSpec", tc.in, err)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("ParseFaults(%q) = %+v, %v, want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func FuzzParseFaults(f *testing.F) {
	for _, tc := range parseFaultsCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := ParseFaults(s)
		if err != nil {
			if !errors.Is(err, ErrFaultSpec) {
				t.Fatalf("ParseFaults(%q) error = %v, want ErrFaultSpec", s, err)
			}
			return
		}
		for _, r := range rules {
			if r.Kind.String() == "" || r.Probability < 0 || r.Probability > 1 || r.Times < 0 || r.Latency < 0 {
				t.Fatalf("ParseFaults(%q) = %+v, want valid rules", s, r)
			}
		}
	})
}
