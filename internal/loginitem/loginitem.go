package loginitem

import "errors"

// Item is the program started at login.
type Item struct {
	Name        string // the entry's name: the app id, "io.calldocket.app"
	DisplayName string // "CallDocket"
	Exe         string // the program's full path
}

// ErrMachineWide is returned by Set(false) on Windows while the installer
// starts CallDocket at login for every user of the computer (HKLM): only
// an administrator can change that.
var ErrMachineWide = errors.New("CallDocket is started at login for every user of this computer by its installer; " +
	"ask your IT admin to reinstall it with STARTATLOGIN=0")
