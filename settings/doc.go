// Package settings is the one shape of the attorney's settings: the core,
// the settings form and the command line all read and write a Settings,
// and a Store hands the current value to whoever asks, so a change applies
// to the next decision without a restart.
//
// Secrets (the Clio client secret, SIP and AMI passwords, tokens) are never
// part of a Settings: they live in the OS keychain.
package settings
