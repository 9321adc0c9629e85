package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/calldocket/calldocket/home"
	"github.com/calldocket/calldocket/ipc"
	"github.com/calldocket/calldocket/settings"
)

// Settings shows or changes the settings (never secrets: those live in
// the keychain). A change goes through the running app when there is one,
// so it applies to its next decision at once.
func Settings(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlagSet("settings")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	sub := "show"
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	switch sub {
	case "show":
		if len(pos) != 0 {
			return Usagef("settings: unexpected argument %s", show(pos[0]))
		}
		_, cfg, _, err := home.Setup()
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(cfg)
		}
		b, _ := json.MarshalIndent(cfg, "", "  ")
		_, err = fmt.Fprintln(stdout, string(b))
		return err
	case "keys":
		if len(pos) != 0 {
			return Usagef("settings keys: unexpected argument %s", show(pos[0]))
		}
		fmt.Fprintln(stdout, strings.Join(settings.Keys(), "\n"))
		return nil
	case "set":
		if len(pos) != 2 {
			return Usagef("settings set: want KEY VALUE (see 'calldocket settings keys')")
		}
		if err := checkText("settings set", "the key", pos[0], 64, false); err != nil {
			return err
		}
		if err := checkText("settings set", "the value", pos[1], maxNoteLen, false); err != nil {
			return err
		}
		return setSetting(ctx, pos[0], pos[1], stdout)
	case "deskphone-token":
		return deskPhoneToken(pos, stdout)
	}
	return Usagef("settings: unknown subcommand %s (show, keys, set or deskphone-token)", show(sub))
}

func setSetting(ctx context.Context, key, value string, stdout io.Writer) error {
	// Lenient: this is how a bad value in the file gets fixed.
	p, cfg, _, bad, err := setupLenient()
	if err != nil {
		return err
	}
	// Check it here first: a bad value is a usage error either way.
	probe := cfg.Clone()
	if err := settings.Set(&probe, key, value); err != nil {
		return Usagef("settings set: %v", err)
	}
	if e, err := ipc.FindRunning(ctx, p.Endpoint()); err == nil {
		if err := ipc.Call(ctx, e, http.MethodPost, ipc.PathSettings, ipc.SettingChange{Key: key, Value: value}, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s = %s (applied in the running CallDocket)\n", key, value)
		return nil
	}
	if err := settings.NewStore(p.ConfigFile(), cfg).Change(func(s *settings.Settings) error {
		return settings.Set(s, key, value)
	}); err != nil {
		if errors.Is(err, settings.ErrInvalid) {
			return Usagef("settings set: %v", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "%s = %s\n", key, value)
	if bad != nil {
		var others []string
		for _, fe := range bad.Problems {
			if fe.Key != strings.ToLower(strings.TrimSpace(key)) {
				others = append(others, fe.Key)
			}
		}
		if len(others) > 0 {
			fmt.Fprintf(stdout, "config.json now holds the defaults for the values it had refused: %s\n", strings.Join(others, ", "))
		}
	}
	return nil
}
