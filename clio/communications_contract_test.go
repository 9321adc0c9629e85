package clio_test

import (
	"strings"
	"testing"
	"time"

	"github.com/calldocket/calldocket/clio"
)

// TestContractCommunicationsUpdate runs Communications.Update against the
// emulator in strict mode: the PATCH body must satisfy Clio's update
// schema and the change must be stored.
func TestContractCommunicationsUpdate(t *testing.T) {
	srv, firm, c := emulator(t)
	ctx := t.Context()
	matter := firm.Matters[0]
	comm, _, err := c.Communications.Create(ctx, &clio.CommunicationCreate{
		Type: clio.CommunicationPhone, Subject: "Missed call from Ann Lee", Body: "Direction: inbound",
		ReceivedAt:         time.Date(2026, 5, 4, 14, 3, 0, 0, time.UTC),
		Receivers:          []clio.Participant{{ID: firm.Users[0].ID, Type: clio.ParticipantUser}},
		ExternalProperties: []clio.ExternalProperty{{Name: "calldocket_event_id", Value: "missed-contract-1"}},
	})
	if err != nil {
		t.Fatalf("Communications.Create error = %v", err)
	}
	body := comm.Body + "\n\nNote: call back"
	got, _, err := c.Communications.Update(ctx, comm.ID, &clio.CommunicationUpdate{Body: body, Matter: &clio.IDRef{ID: matter.ID}})
	if err != nil {
		t.Fatalf("Communications.Update error = %v", err)
	}
	if got.ID != comm.ID || got.Body != body || got.Subject != comm.Subject || got.Matter == nil || got.Matter.ID != matter.ID {
		t.Errorf("Communications.Update = %+v, want the new body and matter, the old subject", got)
	}
	stored := srv.Communications()
	if len(stored) != 1 || !strings.HasSuffix(stored[0].Body, "Note: call back") {
		t.Errorf("emulator holds %+v, want the one communication updated", stored)
	}
}
