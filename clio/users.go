package clio

import "context"

// UsersService reads Clio users.
// https://docs.developers.clio.com/api-reference/#tag/Users
type UsersService service

// userFields is the fields list for users (User_base plus account{}).
const userFields = "id,name,first_name,last_name,email,time_zone,enabled,phone_number,subscription_type,account{id,name}"

// WhoAmI returns the user the access token belongs to, with their firm.
// https://docs.developers.clio.com/api-reference/#tag/Users/operation/User#who_am_i
func (s *UsersService) WhoAmI(ctx context.Context) (*User, *Response, error) {
	u := "users/who_am_i.json?" + fieldsQuery(userFields).Encode()
	return getOne[User](ctx, s.client, u)
}

// ListAll calls fn with every page of the firm's enabled users. CallDocket
// reads their phone numbers as the firm's own numbers, which never match a
// contact.
// https://docs.developers.clio.com/api-reference/#tag/Users/operation/User#index
func (s *UsersService) ListAll(ctx context.Context, fn func([]User) error) error {
	q := fieldsQuery(userFields)
	q.Set("enabled", "true")
	q.Set("order", orderByID)
	q.Set("limit", "200")
	return listAll(ctx, s.client, "users.json?"+q.Encode(), userFields, fn)
}
