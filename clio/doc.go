// Package clio is a small client for the Clio Manage API v4, written in the
// style of google/go-github: a Client with one service per resource
// (Users, Contacts, PhoneNumbers, Matters, Relationships, Communications,
// Activities, Folders, Documents), every method
// shaped (ctx, args) (*T or []T, *Response, error) and sent through one
// newRequest/do pair.
//
// Every request pins the API minor version with X-API-VERSION (APIVersion),
// asks for JSON, identifies itself as CallDocket and names the fields it
// wants with a one-level fields= list. Request bodies are wrapped in
// {"data": ...}; list responses are paged with the cursor in
// meta.paging.next while ordering by id(asc).
//
// Non-2xx answers become typed errors that callers inspect with errors.As:
// *AuthError (401 in both of Clio's shapes, and 403), *RateLimitError (429,
// or a request refused locally while the last seen X-RateLimit-Remaining is
// 0 and the window has not reset) and *APIError for the rest. IsPermanent
// tells a retrying caller which failures retrying cannot fix. The client
// itself never retries: the outbox owns retrying.
//
// Requests whose context carries WithLowPriority (the directory sync) wait
// while the last seen X-RateLimit-Remaining is at or below the reserve
// (SetReserve, default 10) until the window resets, so background work never
// starves the delivery of the attorney's call logs.
//
// Reference: https://docs.developers.clio.com/api-reference/
package clio
