package settings

import (
	"sync"
)

// Store holds the current settings and saves every change. It is safe for
// concurrent use; readers get a copy, so a change never tears a decision
// already under way.
type Store struct {
	path string // "" keeps the settings in memory only

	mu        sync.Mutex
	cur       Settings
	listeners []func(Settings)
}

// NewStore returns a store starting from s that saves changes to path
// ("" for none).
func NewStore(path string, s Settings) *Store {
	s.Normalize()
	return &Store{path: path, cur: s.Clone()}
}

// Get returns a copy of the current settings.
func (st *Store) Get() Settings {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cur.Clone()
}

// Update changes the settings with f, saves them and tells the listeners.
// The new value is in effect even when saving fails; the error says so.
func (st *Store) Update(f func(*Settings)) error {
	return st.Change(func(s *Settings) error { f(s); return nil })
}

// Change is Update with a change that may refuse: when f returns an error
// nothing changes and that error is returned.
func (st *Store) Change(f func(*Settings) error) error {
	st.mu.Lock()
	next := st.cur.Clone()
	if err := f(&next); err != nil {
		st.mu.Unlock()
		return err
	}
	next.Normalize()
	st.cur = next
	ls := append([]func(Settings){}, st.listeners...)
	st.mu.Unlock()
	var err error
	if st.path != "" {
		err = Save(st.path, next)
	}
	for _, l := range ls {
		l(next.Clone())
	}
	return err
}

// OnChange registers f to be called, on the updating goroutine, after each
// Update with the new settings. f must not call Update.
func (st *Store) OnChange(f func(Settings)) {
	st.mu.Lock()
	st.listeners = append(st.listeners, f)
	st.mu.Unlock()
}
