// Package phone is CallDocket's one home for phone numbers: reading what
// people and telephone systems write into E.164 (Normalize), the keys the
// directory indexes numbers by (Analyze), the one display format (Format),
// masking for logs (Mask), the user part of sip:, sips:, tel: and callto:
// URIs (UserPart, and FromURI for what softphones pass to a hook: display
// names, %-escapes), whether input is a usable number or extension at all
// (Check), the internal-extension rules (IsExtension, IsInternal)
// and the same-number rule for numbers typed by hand (Same, Digits).
//
// Parsing and formatting use libphonenumber (github.com/nyaruka/phonenumbers)
// with a default region ("US" when none is given). The package is a leaf: it
// imports only the standard library and phonenumbers, never Fyne or another
// CallDocket package, so every layer may use it. Nothing here panics on bad
// input, and errors never repeat the number, so they are safe to log.
package phone
