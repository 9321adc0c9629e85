package ui

import "strings"

// PlainError turns a stored delivery error (the outbox keeps errors as text)
// into one sentence an attorney can act on. The original text is still
// shown, smaller, under it.
func PlainError(raw string) string {
	s := strings.ToLower(strings.TrimSpace(raw))
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(s, sub) {
				return true
			}
		}
		return false
	}
	switch {
	case s == "":
		return ""
	case has("401", "unauthorized", "unauthorised", "invalid_token", "invalid_grant", "sign-in", "sign in", "auth"):
		return "Clio sign-in has expired. Sign in again and the call will sync."
	case has("403", "forbidden", "permission"):
		return "Clio refused this entry: your Clio user lacks permission for it."
	case has("429", "rate limit", "too many requests"):
		return "Clio asked us to slow down. It will retry shortly."
	case has("422", "unprocessable", "invalid"):
		return "Clio rejected the entry as invalid, for example a closed or deleted matter."
	case has("404", "not found"):
		return "Clio could not find the contact or matter. It may have been deleted."
	case has("timeout", "deadline exceeded", "connection refused", "no such host", "unreachable", "dial tcp", "eof", "offline", "network"):
		return "Could not reach Clio. It will retry when you are back online."
	case has("500", "502", "503", "504", "server error", "bad gateway", "unavailable"):
		return "Clio had a server problem. It will retry shortly."
	default:
		return "Could not log this to Clio."
	}
}
