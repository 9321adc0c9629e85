package auth

import (
	"html/template"
	"net/http"
)

// page is the HTML the browser shows at the end of the sign-in.
type page struct {
	Title   string
	Heading string
	Message string
	OK      bool
}

var (
	pageSuccess = page{Title: "Connected to Clio", Heading: "CallDocket is connected to Clio",
		Message: "You can close this tab and return to CallDocket.", OK: true}
	pageDeclined = page{Title: "Clio access declined", Heading: "You declined access",
		Message: "CallDocket was not connected to Clio. Calls keep queueing on this computer; to connect later, run “calldocket login” or use Settings → Connect to Clio. You can close this tab."}
	pageStateMismatch = page{Title: "Sign-in link mismatch", Heading: "This sign-in did not come from CallDocket",
		Message: "The answer from Clio does not match the sign-in CallDocket started, so it was ignored. If you started a sign-in in CallDocket, it is still waiting: finish it in the tab where you approved CallDocket, or start it again from CallDocket."}
	pageFinished = page{Title: "Sign-in already finished", Heading: "This sign-in is already finished",
		Message: "You can close this tab and return to CallDocket."}
)

func failurePage(detail string) page {
	return page{Title: "Clio sign-in failed", Heading: "CallDocket could not connect to Clio",
		Message: detail + " Close this tab and try again from CallDocket."}
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · CallDocket</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f5f6f8;color:#1d2330;margin:0}
main{max-width:32rem;margin:15vh auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002}
h1{font-size:1.4rem;margin-top:0;color:{{if .OK}}#1f7a3a{{else}}#a33{{end}}}
p{line-height:1.5}
</style></head>
<body><main><h1>{{.Heading}}</h1><p>{{.Message}}</p></main></body></html>
`))

func writePage(w http.ResponseWriter, status int, p page) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, p)
}
