#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages CallDocket needs that are missing.
#   scripts/deps.sh build         what `make build` / `make run` need (cgo + Fyne headers)
#   scripts/deps.sh build test    plus what `make test` needs (Xvfb, D-Bus, keyring, xdotool…)
#   scripts/deps.sh windows       `make windows`, `make msi` and the Wine tests (mingw-w64, wixl, Wine)
# As root it runs apt-get; otherwise through sudo; otherwise it prints the
# exact command and stops.
set -euo pipefail

build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libxkbcommon-dev libwayland-dev)
# Real peers for the tests: X server and tools, D-Bus and a Secret Service,
# and a SIP PBX, softphone and traffic generator on loopback.
test_pkgs=(xvfb xauth libgl1-mesa-dri x11-utils xdotool imagemagick dbus dbus-x11
  gnome-keyring libsecret-tools kamailio kamailio-presence-modules baresip-core sip-tester)
# The Windows build: the mingw-w64 cross compiler (and its windres), wixl
# (msitools) for the MSI, and 64-bit Wine to install and run it in the tests.
windows_pkgs=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wixl msitools wine wine64)

want=()
for set in "$@"; do
  case "$set" in
    build) want+=("${build_pkgs[@]}") ;;
    test) want+=("${test_pkgs[@]}") ;;
    windows) want+=("${windows_pkgs[@]}") ;;
    *) echo "deps.sh: unknown set '$set' (build, test, windows)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Go 1.26 or newer is required (golang.org/x/oauth2 and modernc.org/sqlite need it).
if ! command -v go >/dev/null 2>&1; then
  echo "CallDocket needs Go 1.26 or newer on PATH (https://go.dev/doc/install)." >&2
  exit 1
fi
gov=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
if [ "$(printf '%s\n' 1.26 "$gov" | sort -V | head -1)" != 1.26 ]; then
  echo "CallDocket needs Go 1.26 or newer; this is go$gov." >&2
  exit 1
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing packages (${missing[*]}) and no apt-get here: install their equivalents by hand." >&2
  exit 1
fi
cmd=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "CallDocket needs these packages. Please run:" >&2
  echo "  sudo apt-get update && sudo ${cmd[*]}" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
"${sudo[@]}" "${cmd[@]}"
