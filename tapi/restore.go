package tapi

// Restore puts back a call the tracker knew before a restart (from the
// call ledger), so that later events of the same call, with its CallID or
// by number, attach to it instead of starting a new call, and repeats of an
// ended call are still recognised. A call already known is left as it is.
// It reports whether the call was added.
func (t *Tracker) Restore(c Call) bool {
	if c.ID == "" {
		return false
	}
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.calls[c.ID] != nil {
		return false
	}
	if c.Direction == "" {
		c.Direction = DirectionIn
	}
	t.seq++
	tr := &tracked{
		call:     c,
		key:      t.key(c.Remote, c.RemoteE164),
		seq:      t.seq,
		created:  now,
		lastSeen: now,
		sources:  []string{c.Source},
	}
	t.calls[c.ID] = tr
	if c.SourceCallID != "" && c.SourceCallID != c.ID {
		t.attach(tr, c.Source, c.SourceCallID)
	}
	if c.Phase == PhaseEnded {
		t.ended = append(t.ended, tr)
		return true
	}
	t.index(tr)
	t.open++
	return true
}
