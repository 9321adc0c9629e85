package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/calldocket/calldocket/clio"
)

// stateVersion is the format version of the state file.
const stateVersion = 1

// stateFile is what Options.StatePath holds: the records created through
// the API, and the id counters so ids are never reused.
type stateFile struct {
	Version        int                  `json:"version"`
	IDs            idCounters           `json:"ids"`
	Contacts       []clio.Contact       `json:"contacts"`
	Communications []clio.Communication `json:"communications"`
	Activities     []clio.Activity      `json:"activities"`
	Folders        []Folder             `json:"folders,omitempty"`
	Documents      []*document          `json:"documents,omitempty"`
	// Issued OAuth tokens, so a restarted emulator keeps its sign-ins.
	Tokens        map[string]*accessToken  `json:"access_tokens,omitempty"`
	RefreshTokens map[string]*refreshGrant `json:"refresh_tokens,omitempty"`
}

// loadState merges a state file written by an earlier server. A missing
// file is an empty state.
func (s *Server) loadState() error {
	b, err := os.ReadFile(s.opts.StatePath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read fake clio state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("parse fake clio state %s: %w", s.opts.StatePath, err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("fake clio state %s: unsupported version %d", s.opts.StatePath, st.Version)
	}
	for _, c := range st.Contacts {
		if i, ok := s.contactIdx[c.ID]; ok {
			s.contacts[i] = c // the saved copy wins
		} else {
			s.contacts = append(s.contacts, c)
		}
		s.created = append(s.created, c.ID)
	}
	if err := s.index(); err != nil {
		return fmt.Errorf("fake clio state %s: %w", s.opts.StatePath, err)
	}
	s.comms = st.Communications
	s.acts = st.Activities
	base := s.baseIDs()
	s.ids = idCounters{
		Contact:       max(base.Contact, st.IDs.Contact),
		PhoneNumber:   max(base.PhoneNumber, st.IDs.PhoneNumber),
		Communication: max(s.ids.Communication, st.IDs.Communication),
		Activity:      max(s.ids.Activity, st.IDs.Activity),
		Property:      max(s.ids.Property, st.IDs.Property),
	}
	for _, c := range s.comms {
		s.ids.Communication = max(s.ids.Communication, c.ID)
		for _, p := range c.ExternalProperties {
			s.ids.Property = max(s.ids.Property, p.ID)
		}
	}
	for _, a := range s.acts {
		s.ids.Activity = max(s.ids.Activity, a.ID)
	}
	s.ids.Folder = max(s.ids.Folder, st.IDs.Folder)
	s.ids.Document = max(s.ids.Document, st.IDs.Document)
	s.ids.Version = max(s.ids.Version, st.IDs.Version)
	s.folders = st.Folders
	slices.SortFunc(s.folders, func(a, b Folder) int { return cmpID(a.ID, b.ID) })
	for _, f := range s.folders {
		s.ids.Folder = max(s.ids.Folder, f.ID)
		for _, p := range f.ExternalProperties {
			s.ids.Property = max(s.ids.Property, p.ID)
		}
	}
	for _, d := range st.Documents {
		if d == nil || len(d.Versions) == 0 || slices.Contains(d.Versions, nil) {
			return fmt.Errorf("fake clio state %s: document without versions", s.opts.StatePath)
		}
		s.docs = append(s.docs, d)
		s.ids.Document = max(s.ids.Document, d.ID)
		for _, p := range d.ExternalProperties {
			s.ids.Property = max(s.ids.Property, p.ID)
		}
		for _, v := range d.Versions {
			s.ids.Version = max(s.ids.Version, v.ID)
			s.uploads[v.UUID] = v
		}
	}
	slices.SortFunc(s.docs, func(a, b *document) int { return cmpID(a.ID, b.ID) })
	for k, t := range st.Tokens {
		if t != nil {
			s.tokens[k] = t
		}
	}
	for k, g := range st.RefreshTokens {
		if g != nil {
			s.refreshes[k] = g
		}
	}
	return nil
}

// saveStateLocked writes the state file atomically (temp file, fsync,
// rename), mode 0600. s.mu must be held.
func (s *Server) saveStateLocked() error {
	st := stateFile{
		Version:        stateVersion,
		IDs:            s.ids,
		Contacts:       make([]clio.Contact, 0, len(s.created)),
		Communications: s.comms,
		Activities:     s.acts,
		Folders:        s.folders,
		Documents:      s.docs,
		Tokens:         s.tokens,
		RefreshTokens:  s.refreshes,
	}
	for _, id := range s.created {
		if i, ok := s.contactIdx[id]; ok {
			st.Contacts = append(st.Contacts, s.contacts[i])
		}
	}
	if st.Communications == nil {
		st.Communications = []clio.Communication{}
	}
	if st.Activities == nil {
		st.Activities = []clio.Activity{}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode fake clio state: %w", err)
	}
	return writeFileAtomic(s.opts.StatePath, b)
}

func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create state directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create state temp file: %w", err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("chmod state temp file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write state temp file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync state temp file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close state temp file: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("rename state file: %w", err)
	}
	ok = true
	return nil
}
