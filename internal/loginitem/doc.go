// Package loginitem turns "start CallDocket when I log in" on and off, and
// reads whether it is on, the way each OS keeps it:
//
//   - Windows: the value CallDocket under
//     HKCU\Software\Microsoft\Windows\CurrentVersion\Run, the same value the
//     MSI writes, so the installer and Settings share one owner. A
//     per-machine install writes it under HKLM instead; that one is the IT
//     admin's (msiexec … STARTATLOGIN=0), and Set(false) says so rather than
//     pretending. A Startup-folder shortcut from older versions is removed.
//   - Linux and BSD: an XDG autostart .desktop file; macOS: a LaunchAgent
//     (both through github.com/emersion/go-autostart).
package loginitem
