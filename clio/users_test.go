package clio

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

func TestUsersWhoAmI(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v4/users/who_am_i.json", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testCommon(t, r, userFields)
		fmt.Fprint(w, `{"data":{"id":123,"name":"Jane Doe","first_name":"Jane","last_name":"Doe",
			"email":"jane@firm.example","time_zone":"Eastern Time (US & Canada)","enabled":true,
			"phone_number":"+12125550100","subscription_type":"Attorney","account":{"id":456,"name":"Doe Law LLP"}}}`)
	})
	got, resp, err := c.Users.WhoAmI(t.Context())
	if err != nil {
		t.Fatalf("WhoAmI error = %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("WhoAmI status = %d, want 200", resp.StatusCode)
	}
	want := &User{ID: 123, Name: "Jane Doe", FirstName: "Jane", LastName: "Doe", Email: "jane@firm.example",
		TimeZone: "Eastern Time (US & Canada)", Enabled: true, PhoneNumber: "+12125550100",
		SubscriptionType: "Attorney", Account: &Account{ID: 456, Name: "Doe Law LLP"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WhoAmI = %+v, want %+v", got, want)
	}
}
