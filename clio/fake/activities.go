package fake

import (
	"fmt"
	"math"
	"net/http"

	"github.com/calldocket/calldocket/clio"
)

func (s *Server) renderActivityLocked(a clio.Activity, sel selection) (map[string]any, error) {
	extras := map[string]any{
		"non_billable":      a.NonBillable,
		"quantity":          a.Quantity,
		"quantity_in_hours": math.Round(a.Quantity/3600*10000) / 10000,
	}
	if a.Matter != nil {
		extras["matter"] = s.matterRefLocked(a.Matter)
	}
	return render(a, extras, sel)
}

// listActivities serves GET /activities.json.
func (s *Server) listActivities(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lq, apiErr := s.listQuery(r, "Activity", maxLimit)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	commID, hasComm, apiErr := queryInt(q, "communication_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	matterID, hasMatter, apiErr := queryInt(q, "matter_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	userID, hasUser, apiErr := queryInt(q, "user_id")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	typ := q.Get("type")
	switch typ {
	case "", clio.ActivityTimeEntry, "ExpenseEntry", "HardCostEntry", "SoftCostEntry":
	default:
		writeError(w, errBadRequest("type must be one of TimeEntry, ExpenseEntry, HardCostEntry, SoftCostEntry"))
		return
	}

	ignore := hasComm && s.opts.IgnoreExternalFilter
	match := func(a clio.Activity) bool { return a.Communication != nil && a.Communication.ID == commID }
	skip := func(a clio.Activity) bool {
		return hasComm && !ignore && !match(a) ||
			hasMatter && (a.Matter == nil || a.Matter.ID != matterID) ||
			hasUser && (a.User == nil || a.User.ID != userID) ||
			typ != "" && a.Type != typ
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.acts
	if ignore {
		items = unrelatedFirst(&lq, items, match)
	}
	writeList(w, r, lq, items, skip, func(a clio.Activity) int64 { return a.ID }, s.renderActivityLocked)
}

// getActivity serves GET /activities/{id}.json.
func (s *Server) getActivity(w http.ResponseWriter, r *http.Request) {
	serveGet(s, w, r, "Activity", func(id int64) (clio.Activity, bool) {
		return findByID(s.acts, id, func(a clio.Activity) int64 { return a.ID })
	}, s.renderActivityLocked)
}

type idIn struct {
	ID *int64 `json:"id"`
}

// activityCreate is the part of the POST /activities.json body the fake keeps.
type activityCreate struct {
	Type          string   `json:"type"`
	Date          string   `json:"date"`
	Quantity      *float64 `json:"quantity"`
	Note          string   `json:"note"`
	NonBillable   bool     `json:"non_billable"`
	Matter        *idIn    `json:"matter"`
	User          *idIn    `json:"user"`
	Communication *idIn    `json:"communication"`
}

// createActivity serves POST /activities.json (TimeEntry only).
func (s *Server) createActivity(w http.ResponseWriter, r *http.Request) {
	sel, apiErr := s.fieldsFor(r, "Activity")
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	var in activityCreate
	if apiErr := s.readBody(r, bodyActivities, &in); apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if in.Type != clio.ActivityTimeEntry {
		writeError(w, errInvalid(fmt.Sprintf("data.type %s is not supported by the fake (TimeEntry only)", in.Type)))
		return
	}
	a := clio.Activity{Type: in.Type, Date: in.Date, Note: in.Note, NonBillable: in.NonBillable}
	if in.Quantity != nil {
		if *in.Quantity < 0 || math.IsNaN(*in.Quantity) || math.IsInf(*in.Quantity, 0) {
			writeError(w, errInvalid("data.quantity must not be negative"))
			return
		}
		a.Quantity = *in.Quantity
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	refs := []struct {
		name string
		ref  *idIn
	}{{"matter", in.Matter}, {"user", in.User}, {"communication", in.Communication}}
	for _, x := range refs {
		if x.ref != nil && x.ref.ID == nil {
			writeError(w, errInvalid(fmt.Sprintf("data.%s.id is required", x.name)))
			return
		}
	}
	if in.Matter != nil {
		if _, ok := s.matterIdx[*in.Matter.ID]; !ok {
			writeError(w, errInvalid(fmt.Sprintf("data.matter.id %d does not exist", *in.Matter.ID)))
			return
		}
		a.Matter = &clio.Ref{ID: *in.Matter.ID}
	}
	user := s.users[0] // Clio defaults to the current user
	if in.User != nil {
		found := false
		for _, u := range s.users {
			if u.ID == *in.User.ID {
				user, found = u, true
			}
		}
		if !found {
			writeError(w, errInvalid(fmt.Sprintf("data.user.id %d does not exist", *in.User.ID)))
			return
		}
	}
	a.User = &clio.Ref{ID: user.ID, Name: user.Name}
	if in.Communication != nil {
		found := false
		for _, c := range s.comms {
			if c.ID == *in.Communication.ID {
				found = true
			}
		}
		if !found {
			writeError(w, errInvalid(fmt.Sprintf("data.communication.id %d does not exist", *in.Communication.ID)))
			return
		}
		a.Communication = &clio.Ref{ID: *in.Communication.ID}
	}
	saved := s.ids
	s.ids.Activity++
	a.ID = s.ids.Activity
	s.acts = append(s.acts, a)
	if err := s.persistLocked(); err != nil {
		s.acts = s.acts[:len(s.acts)-1]
		s.ids = saved
		writeError(w, internalError(err))
		return
	}
	rec, err := s.renderActivityLocked(a, sel)
	s.writeRecord(w, http.StatusCreated, rec, err)
}
