package settings

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSetAMI(t *testing.T) {
	tests := []struct {
		key, value string
		check      func(Settings) bool
		wantErr    string // in the error; "" for success
	}{
		{"ami.auth", "md5", func(s Settings) bool { return s.AMI.Auth == "md5" }, ""},
		{"ami.auth", "plain", func(s Settings) bool { return s.AMI.Auth == "plain" }, ""},
		{"ami.auth", "auto", func(s Settings) bool { return s.AMI.Auth == "auto" }, ""},
		{"ami.auth", "", func(s Settings) bool { return s.AMI.Auth == "" }, ""},
		{"ami.tls", "true", func(s Settings) bool { return s.AMI.TLS }, ""},
		{"ami.tls_ca_file", "/etc/calldocket/pbx-ca.pem", func(s Settings) bool { return s.AMI.TLSCAFile == "/etc/calldocket/pbx-ca.pem" }, ""},
		{"ami.addr", "pbx.example.com:5039", func(s Settings) bool { return s.AMI.Addr == "pbx.example.com:5039" }, ""},
		{"ami.addr", "", func(s Settings) bool { return s.AMI.Addr == "" }, ""},
		{"ami.addr", "127.0.0.1:99999", nil, `ami.addr "127.0.0.1:99999": enter HOST:PORT`},
		{"ami.addr", "pbx.example.com", nil, `ami.addr "pbx.example.com": enter HOST:PORT`},
		{"ami.addr", ":5038", nil, `ami.addr ":5038": enter HOST:PORT`},
		{"ami.auth", "sha256", nil, `ami.auth "sha256": enter auto, md5 or plain`},
		{"ami.tls", "yes please", nil, "ami.tls wants true or false"},
		{"ami.tls_ca_file", "ca.pem", nil, `ami.tls_ca_file "ca.pem": enter the full path`},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			s := Default()
			err := Set(&s, tt.key, tt.value)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Set(%s, %q) = %v, want ErrInvalid with %q", tt.key, tt.value, err, tt.wantErr)
				}
				if s.AMI != Default().AMI {
					t.Errorf("Set(%s, %q) failed but changed the settings: %+v", tt.key, tt.value, s.AMI)
				}
				return
			}
			if err != nil || !tt.check(s) {
				t.Errorf("Set(%s, %q) = %v; AMI settings %+v", tt.key, tt.value, err, s.AMI)
			}
		})
	}
}

func TestAMISettingsJSON(t *testing.T) {
	in := `{"ami":{"addr":"pbx.example.com:5039","user":"calldocket","extension":"201","auth":"md5","tls":true,"tls_ca_file":"/etc/pbx-ca.pem"}}`
	s := Default()
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	want := AMI{Addr: "pbx.example.com:5039", User: "calldocket", Extension: "201", Auth: "md5", TLS: true, TLSCAFile: "/etc/pbx-ca.pem"}
	if s.AMI != want {
		t.Errorf("AMI = %+v, want %+v", s.AMI, want)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
}
