// Package sim is a simulated call source for Sandbox mode and demos: the app
// (or a test) rings, answers and hangs up calls by hand, and Run delivers the
// resulting tapi.Events like any other source.
package sim
