// Package fax takes faxes in. They arrive as PDFs: dropped by fax software
// (or a fax-to-email client) into a watched folder, or dragged onto the
// review window. Keep checks a file is a PDF, hashes it (the same fax seen
// twice is one fax) and keeps a private 0600 copy in the data folder;
// Watcher polls the watched folder and hands over each PDF once it has
// stopped growing.
//
// What happens next is not this package's: the app hands a kept File to
// calls.Core.AddFax, and package deliver files it in Clio as a Document
// under its matter or contact, linked to a Communication.
package fax
