// Package settings is the one shape of the attorney's settings: the core,
// the settings form and the command line all read and write a Settings,
// and a Store hands the current value to whoever asks, so a change applies
// to the next decision without a restart.
//
// Validate (and Problems) hold the rules the form and 'settings set' use;
// Load applies them to the file too: a value they refuse is replaced by its
// default and reported in a *FileError naming each field, with the
// settings so repaired. The tray app starts with them and says so; a
// command stops with exit 2. Load never rewrites the file.
//
// Secrets (the Clio client secret, SIP and AMI passwords, tokens) are never
// part of a Settings: they live in the OS keychain.
package settings
