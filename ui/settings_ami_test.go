package ui

import "testing"

// The form has no fields for the AMI login method and TLS (they are set
// with `calldocket settings set ami.auth|ami.tls|ami.tls_ca_file`): saving
// the form must keep them.
func TestSettingsFormKeepsAMILoginAndTLS(t *testing.T) {
	s := testSettings()
	s.AMI.Auth, s.AMI.TLS, s.AMI.TLSCAFile = "md5", true, "/etc/calldocket/pbx-ca.pem"
	f, _, sc := newTestSettings(t, s, "Alex Morgan")
	f.Save()
	if len(sc.saved) != 1 {
		t.Fatalf("saved %d times, want 1", len(sc.saved))
	}
	if got := sc.saved[0].s.AMI; got != s.AMI {
		t.Errorf("saved AMI settings = %+v, want %+v", got, s.AMI)
	}
}
