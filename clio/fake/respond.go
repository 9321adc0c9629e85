package fake

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// apiError is an error response in Clio's documented shape:
// {"error":{"type":"…","message":"…"}}.
type apiError struct {
	Status  int
	Type    string
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func errBadRequest(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Type: "BadRequestError", Message: msg}
}

func errNotFound(msg string) *apiError {
	return &apiError{Status: http.StatusNotFound, Type: "RecordNotFound", Message: msg}
}

func errInvalid(msg string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Type: "RecordInvalid", Message: msg}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"type":"InternalServerError","message":"encode response"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, map[string]any{"error": map[string]string{"type": e.Type, "message": e.Message}})
}

// render turns a record into its JSON object form, adds the read-only
// extras Clio sends (etag and friends) and applies the field selection.
func render(v any, extras map[string]any, sel selection) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, err
	}
	sum := md5.Sum(b)
	rec["etag"] = `"` + hex.EncodeToString(sum[:]) + `"`
	for k, x := range extras {
		rec[k] = x
	}
	return sel.apply(rec), nil
}
