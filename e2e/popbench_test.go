//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// hookPost sends one event straight to the running app's loopback hook, the
// way `calldocket event` does, without paying for a process start.
func (e *env) hookPost(t testing.TB, body map[string]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.home, "ipc.json"))
	if err != nil {
		t.Fatalf("ipc endpoint: %v", err)
	}
	var ep struct{ Addr, Secret string }
	if err := json.Unmarshal(b, &ep); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, "http://"+ep.Addr+"/v1/event", bytes.NewReader(js))
	req.Header.Set("Authorization", "Bearer "+ep.Secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post event: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("post event: %s", resp.Status)
	}
}

// BenchmarkEventToVisibleWindow measures, under Xvfb, the time from a ringing
// event reaching the app's hook to the pop window being visible with the
// caller in its title (polled with xdotool every 2 ms, so figures include up
// to ~5 ms of polling). It reports p50 and p99 over the calls in ms.
//
//	make bench-ui
func BenchmarkEventToVisibleWindow(b *testing.B) {
	e := newEnv(b)
	e.start("--sandbox")
	waitFor(b, "the directory to sync", 60*time.Second, func() bool { return e.status().Directory })
	var lat []time.Duration
	i := 0
	for b.Loop() {
		i++
		id := fmt.Sprintf("bench-%d", i)
		number := fmt.Sprintf("+1 907 555 %04d", 100+i%9000)
		digits := fmt.Sprintf("555-%04d", 100+i%9000)
		start := time.Now()
		e.hookPost(b, map[string]string{"state": "ringing", "number": number, "id": id})
		var win string
		for {
			if win = findPop(); win != "" && strings.Contains(windowTitle(win), digits) {
				break
			}
			if time.Since(start) > 10*time.Second {
				b.Fatalf("call %d: no visible pop after 10 s", i)
			}
			time.Sleep(2 * time.Millisecond)
		}
		lat = append(lat, time.Since(start))
		b.StopTimer()
		e.hookPost(b, map[string]string{"state": "ended", "id": id})
		dismissPop(b, win)
		b.StartTimer()
	}
	sort.Slice(lat, func(a, c int) bool { return lat[a] < lat[c] })
	n := len(lat)
	b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[(n*99)/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(n), "calls")
}
