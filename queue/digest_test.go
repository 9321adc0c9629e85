package queue

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAppendDigest(t *testing.T) {
	o, clk := openTest(t)
	ctx := t.Context()
	due := clk.Now().Add(time.Hour)
	base := Item{Kind: KindSMS, Number: "+12125550142", ContactID: 7, Direction: "in", StartedAt: clk.Now()}

	first := base
	first.Text = "09:00 ← running late"
	a, err := o.AppendDigest(ctx, "sms-7-2026-05-04", first, due)
	if err != nil {
		t.Fatal(err)
	}
	second := base
	second.Text = "09:05 → no problem"
	b, err := o.AppendDigest(ctx, "sms-7-2026-05-04", second, due)
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != a.ID || b.Text != "09:00 ← running late\n09:05 → no problem" {
		t.Fatalf("second append = item %d %q, want item %d with both lines", b.ID, b.Text, a.ID)
	}
	if !strings.HasPrefix(a.EventID, DigestPrefix) {
		t.Errorf("EventID = %q, want the digest prefix", a.EventID)
	}

	// Not due yet: nothing to claim.
	if _, err := o.Claim(ctx, "w1", time.Minute); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Claim before the digest is due = %v, want ErrEmpty", err)
	}
	clk.Add(2 * time.Hour)
	got, err := o.Claim(ctx, "w1", time.Minute)
	if err != nil || got.ID != a.ID {
		t.Fatalf("Claim after due = %+v, %v", got, err)
	}

	// Claimed: a later message starts a continuation, never changes what is being sent.
	third := base
	third.Text = "11:00 ← see you at 3"
	c, err := o.AppendDigest(ctx, "sms-7-2026-05-04", third, due)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == a.ID || !strings.HasSuffix(c.EventID, "-2") || c.Text != third.Text {
		t.Errorf("append while claimed = %+v, want a new part -2 holding only the new text", c)
	}
	if claimed, _ := o.Get(ctx, a.ID); claimed.Text != b.Text {
		t.Errorf("claimed digest text changed to %q", claimed.Text)
	}

	if _, err := o.AppendDigest(ctx, "", third, due); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty key = %v, want ErrInvalid", err)
	}
}
