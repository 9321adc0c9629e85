package app

import "time"

// DeliveryOptions are the settings that shape what an outbox item writes
// to Clio (the "options from the seeds"). The zero value is not the
// default: start from defaultDeliveryOptions.
type DeliveryOptions struct {
	// ExclusiveContactAssociation: an item with no matched or created
	// contact is not logged; it is parked with a reason the review list
	// shows, and can be given a contact and retried.
	ExclusiveContactAssociation bool `json:"exclusive_contact_association"`
	// ContactCreation: when nothing matches, create a Person from the
	// caller-ID name and number (never for a fax).
	ContactCreation bool `json:"contact_creation"`
	// MatterAssociation: send the chosen matter with the communication and
	// time entry. Off, nothing is filed under a matter.
	MatterAssociation bool `json:"matter_association"`
	// MinDurationS: calls shorter than this many seconds get a
	// Communication only, no TimeEntry. 0 means every call gets one.
	MinDurationS int64 `json:"min_duration_s"`
	// DefaultBillable preselects Billable on the wrap-up card (a UI
	// matter; the outbox item carries the user's choice).
	DefaultBillable bool `json:"default_billable"`
	// LogMissedCalls: log a missed call as a Communication.
	LogMissedCalls bool `json:"log_missed_calls"`
	// FaxFolder is the folder a fax is filed in, under its matter, else its
	// contact.
	FaxFolder string `json:"fax_folder"`
	// TimeZone is the IANA zone a time entry's date is taken in (the
	// user's Clio time zone); empty means the computer's.
	TimeZone string `json:"time_zone,omitempty"`
}

// DefaultFaxFolder is the fax folder's name unless set otherwise.
const DefaultFaxFolder = "CallDocket Fax"

// defaultDeliveryOptions are the settings of a new installation.
func defaultDeliveryOptions() DeliveryOptions {
	return DeliveryOptions{
		MatterAssociation: true,
		LogMissedCalls:    true,
		FaxFolder:         DefaultFaxFolder,
	}
}

// location is the zone a time entry's date is taken in.
func (o DeliveryOptions) location() *time.Location {
	if o.TimeZone != "" {
		if loc, err := time.LoadLocation(o.TimeZone); err == nil {
			return loc
		}
	}
	return time.Local
}

// faxFolder is the fax folder's name, never empty.
func (o DeliveryOptions) faxFolder() string {
	if o.FaxFolder == "" {
		return DefaultFaxFolder
	}
	return o.FaxFolder
}
