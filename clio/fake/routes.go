package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// routes registers every endpoint under /api/v4. Paths work with and
// without the ".json" suffix, as Clio's do.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(method, path string, h http.HandlerFunc) {
		mux.HandleFunc(method+" /api/v4/"+path+".json", h)
		mux.HandleFunc(method+" /api/v4/"+path, h)
	}
	handle("GET", "users/who_am_i", s.whoAmI)
	handle("GET", "users", s.listUsers)
	mux.HandleFunc("GET /api/v4/users/{file}", s.getUser)
	handle("GET", "contacts", s.listContacts)
	handle("POST", "contacts", s.createContact)
	mux.HandleFunc("GET /api/v4/contacts/{file}", s.getContact)
	handle("GET", "contacts/{id}/phone_numbers", s.listPhoneNumbers)
	handle("GET", "matters", s.listMatters)
	mux.HandleFunc("GET /api/v4/matters/{file}", s.getMatter)
	handle("GET", "communications", s.listCommunications)
	handle("POST", "communications", s.createCommunication)
	mux.HandleFunc("GET /api/v4/communications/{file}", s.getCommunication)
	mux.HandleFunc("PATCH /api/v4/communications/{file}", s.updateCommunication)
	handle("GET", "activities", s.listActivities)
	handle("POST", "activities", s.createActivity)
	mux.HandleFunc("GET /api/v4/activities/{file}", s.getActivity)
	handle("GET", "relationships", s.listRelationships)
	handle("GET", "folders", s.listFolders)
	handle("POST", "folders", s.createFolder)
	mux.HandleFunc("GET /api/v4/folders/{file}", s.getFolder)
	handle("GET", "documents", s.listDocuments)
	handle("POST", "documents", s.createDocument)
	mux.HandleFunc("GET /api/v4/documents/{file}", s.getDocument)
	mux.HandleFunc("PATCH /api/v4/documents/{file}", s.updateDocument)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errNotFound(fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path)))
	})
	return mux
}

// pathID parses the {file} path value "123.json" or "123".
func pathID(r *http.Request) (int64, *apiError) {
	v := strings.TrimSuffix(r.PathValue("file"), ".json")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound(fmt.Sprintf("no record with id %q", v))
	}
	return id, nil
}

// fieldsFor parses and checks the fields parameter for a resource.
func (s *Server) fieldsFor(r *http.Request, resource string) (selection, *apiError) {
	sel, err := parseFields(r.URL.Query().Get("fields"))
	if err == nil {
		err = sel.check(resource, s.spec.Resources[resource])
	}
	if err != nil {
		return nil, &apiError{Status: http.StatusBadRequest, Type: "InvalidFieldsError", Message: err.Error()}
	}
	return sel, nil
}

// readBody validates a POST or PATCH body against the named request schema and
// decodes its "data" object into dst.
func (s *Server) readBody(r *http.Request, key string, dst any) *apiError {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return errBadRequest("request body could not be read")
	}
	data, err := decodeBodyMode(s.spec.Requests[key], raw, s.opts.Lenient)
	if err != nil {
		var be *bodyError
		if !errors.As(err, &be) {
			return errInvalid(err.Error())
		}
		if be.Malformed {
			return errBadRequest("request body " + be.Error())
		}
		return &apiError{Status: http.StatusUnprocessableEntity, Type: be.errorType(), Message: be.Error()}
	}
	b, mErr := json.Marshal(data)
	if mErr == nil {
		mErr = json.Unmarshal(b, dst)
	}
	if mErr != nil {
		return errInvalid("data could not be decoded: " + mErr.Error())
	}
	return nil
}

// Query helpers: each returns a 400 for a malformed value.

func queryInt(q url.Values, name string) (int64, bool, *apiError) {
	v := q.Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, errBadRequest(fmt.Sprintf("%s must be an integer", name))
	}
	return n, true, nil
}

func queryTime(q url.Values, name string) (time.Time, bool, *apiError) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, false, nil
	}
	t, err := parseDateTime(v)
	if err != nil {
		d, dErr := time.Parse(time.DateOnly, v)
		if dErr != nil {
			return time.Time{}, false, errBadRequest(fmt.Sprintf("%s must be an ISO-8601 timestamp", name))
		}
		t = d
	}
	return t, true, nil
}

// listResponse writes {"data":[…],"meta":{"paging":{"next":…}}}.
func listResponse(w http.ResponseWriter, data []map[string]any, next string) {
	paging := map[string]string{}
	if next != "" {
		paging["next"] = next
	}
	if data == nil {
		data = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{"paging": paging}})
}
