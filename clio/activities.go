package clio

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// ActivitiesService logs and finds time entries.
// https://docs.developers.clio.com/api-reference/#tag/Activities
type ActivitiesService service

// activityFields is the fields list for activities.
const activityFields = "id,type,date,quantity,note,non_billable,matter{id},user{id},communication{id}"

// checkActivity checks a against what Clio requires.
func checkActivity(a *ActivityCreate) error {
	if a == nil {
		return &invalidRequestError{msg: "activity is nil"}
	}
	if a.Type == "" {
		return &invalidRequestError{msg: "activity type is empty"}
	}
	if _, err := time.Parse(time.DateOnly, a.Date); err != nil {
		return &invalidRequestError{msg: fmt.Sprintf("activity date %q is not YYYY-MM-DD", a.Date)}
	}
	if a.Quantity < 0 {
		return &invalidRequestError{msg: "activity quantity is negative"}
	}
	refs := []struct {
		name string
		ref  *IDRef
	}{{"matter", a.Matter}, {"user", a.User}, {"communication", a.Communication}}
	for _, r := range refs {
		if r.ref != nil && r.ref.ID <= 0 {
			return &invalidRequestError{msg: fmt.Sprintf("activity %s id is not positive", r.name)}
		}
	}
	return nil
}

// Create logs an activity (for CallDocket a TimeEntry whose Quantity is the
// call's length in seconds, linked to the communication). Leaving the price
// out lets Clio apply the firm's rate. Clio takes no idempotency key: before
// retrying, look for the earlier attempt with ListByCommunication.
// https://docs.developers.clio.com/api-reference/#tag/Activities/operation/Activity#create
func (s *ActivitiesService) Create(ctx context.Context, a *ActivityCreate) (*Activity, *Response, error) {
	if err := checkActivity(a); err != nil {
		return nil, nil, err
	}
	u := "activities.json?" + fieldsQuery(activityFields).Encode()
	return create[Activity](ctx, s.client, u, a)
}

// ListByCommunication returns the time entries linked to a communication,
// in id order. Activities have no external properties: it asks for
// communication{id} and type and keeps only the time entries that really
// name communicationID, so a server that ignores the filter cannot pass
// off an unrelated entry; such a server's list is read for at most 10
// pages of 200.
// https://docs.developers.clio.com/api-reference/#tag/Activities/operation/Activity#index
func (s *ActivitiesService) ListByCommunication(ctx context.Context, communicationID int64) ([]Activity, *Response, error) {
	if communicationID <= 0 {
		return nil, nil, &invalidRequestError{msg: fmt.Sprintf("communication id %d is not positive", communicationID)}
	}
	q := fieldsQuery(activityFields)
	q.Set("communication_id", strconv.FormatInt(communicationID, 10))
	q.Set("type", ActivityTimeEntry)
	q.Set("order", orderByID)
	q.Set("limit", strconv.Itoa(maxLimit))
	return lookup(ctx, s.client, "activities.json?"+q.Encode(), activityFields, func(a Activity) bool {
		return a.Communication != nil && a.Communication.ID == communicationID && a.Type == ActivityTimeEntry
	})
}
