// Package peerproc runs the real peers the tests talk to (Kamailio,
// baresip, sipp) as process groups, and stops a group as a whole: a
// restarted Kamailio must not find its port still held by a child of the
// last one. It is used by tests only.
package peerproc
