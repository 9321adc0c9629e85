// Command calldocket is a desktop call companion for attorneys on Clio Manage.
// See README.md; everything happens in package app.
package main

import (
	"os"

	"github.com/calldocket/calldocket/app"
)

func main() {
	os.Exit(app.Run(os.Args[1:]))
}
