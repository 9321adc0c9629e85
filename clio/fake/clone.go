package fake

import (
	"slices"

	"github.com/calldocket/calldocket/clio"
)

// Deep copies, so callers never share memory with the server.

func cloneRef(r *clio.Ref) *clio.Ref {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

func cloneUsers(us []clio.User) []clio.User {
	out := make([]clio.User, len(us))
	for i, u := range us {
		if u.Account != nil {
			a := *u.Account
			u.Account = &a
		}
		out[i] = u
	}
	return out
}

func cloneContact(c clio.Contact) clio.Contact {
	c.Company = cloneRef(c.Company)
	c.PhoneNumbers = slices.Clone(c.PhoneNumbers)
	return c
}

func cloneMatter(m clio.Matter) clio.Matter {
	m.Client = cloneRef(m.Client)
	m.ResponsibleAttorney = cloneRef(m.ResponsibleAttorney)
	m.OriginatingAttorney = cloneRef(m.OriginatingAttorney)
	m.PracticeArea = cloneRef(m.PracticeArea)
	return m
}

func cloneCommunication(c clio.Communication) clio.Communication {
	c.Matter = cloneRef(c.Matter)
	c.Senders = slices.Clone(c.Senders)
	c.Receivers = slices.Clone(c.Receivers)
	c.ExternalProperties = slices.Clone(c.ExternalProperties)
	return c
}

func cloneActivity(a clio.Activity) clio.Activity {
	a.Matter = cloneRef(a.Matter)
	a.User = cloneRef(a.User)
	a.Communication = cloneRef(a.Communication)
	return a
}
