#!/usr/bin/env bash
# Builds CallDocket's Windows Installer package with wixl (Debian msitools).
#   scripts/msi.sh EXE VERSION OUT.msi
# EXE is calldocket.exe (make windows builds dist/calldocket-windows-amd64.exe),
# VERSION the app's version string (git describe), OUT the .msi to write.
# PRODUCT_VERSION=x.y.z in the environment overrides the mapping below.
#
# wixl (0.101) writes the package from packaging/windows/calldocket.wxs;
# msibuild then fixes and adds what wixl cannot express:
#   Registry             HKMU rows get Root -1 (wixl writes 4, which Windows
#                        Installer does not know, so the values were never written)
#   MsiShortcutProperty  System.AppUserModel.ID = io.calldocket.app on the
#                        Start-menu shortcut (Windows Installer 5)
#   Condition            the StartAtLogin feature is left out when STARTATLOGIN=0
#   Upgrade + LaunchCondition  an installed build of the same or a newer version
#                        stops the install with a message, so a rebuild is
#                        never installed beside it
# and the result is checked with msiinfo.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: scripts/msi.sh EXE VERSION OUT.msi" >&2
  exit 2
fi
exe=$1 version=$2 out=$3
root=$(cd "$(dirname "$0")/.." && pwd)
wxs=$root/packaging/windows/calldocket.wxs
icon=$root/assets/icon.png
ico=$root/packaging/windows/calldocket.ico
aumid=io.calldocket.app # app.appID and FyneApp.toml's ID
upgrade_code='{AF429F92-71F5-4A43-87E6-D41B1AB05C42}' # the wxs's UpgradeCode

for tool in wixl msibuild msiinfo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "msi: $tool is missing: install the Debian packages wixl and msitools (scripts/deps.sh windows)" >&2
    exit 1
  fi
done
if [ ! -f "$exe" ]; then
  echo "msi: no program at $exe (make windows builds it)" >&2
  exit 1
fi

# product_version maps a git-describe version to MSI's ProductVersion
# (major.minor.build[.revision], at most 255.255.65535; upgrades compare only
# the first three fields):
#   v1.2.3              1.2.3
#   v1.2.3-4-gabc[-dirty] 1.2.3.4   (same x.y.z as the tag: uninstall first)
#   anything else       0.0.N, N = the number of commits (rises with each commit)
product_version() {
  local v=${1#v}
  if [[ $v =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)(-([0-9]+)-g[0-9a-f]+)?(-dirty)?$ ]]; then
    local x=${BASH_REMATCH[1]} y=${BASH_REMATCH[2]} z=${BASH_REMATCH[3]} n=${BASH_REMATCH[5]}
    if ((10#$x > 255 || 10#$y > 255 || 10#$z > 65535 || 10#${n:-0} > 65535)); then
      echo "msi: version $1 is beyond MSI's limits (255.255.65535)" >&2
      return 1
    fi
    echo "$((10#$x)).$((10#$y)).$((10#$z))${n:+.$((10#$n))}"
    return
  fi
  local count
  count=$(git -C "$root" rev-list --count HEAD 2>/dev/null || echo 0)
  echo "0.0.$((count > 65535 ? 65535 : count))"
}

pv=${PRODUCT_VERSION:-$(product_version "$version")}
if ! [[ $pv =~ ^[0-9]+\.[0-9]+\.[0-9]+(\.[0-9]+)?$ ]]; then
  echo "msi: PRODUCT_VERSION $pv is not x.y.z" >&2
  exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# wixl looks files up by relative name only, in the current folder and the
# .wxs's folder.
cp "$exe" "$stage/calldocket.exe"
cp "$icon" "$stage/calldocket.png"
# The icon of the shortcut and of Settings → Apps: the program's .ico (make
# windows' resource) when there is one, else a one-image .ico wrapping the
# 256×256 PNG (Windows Vista and later read PNG icons). Never the .exe: the
# Icon table stores the whole file, uncompressed.
if [ -f "$ico" ]; then
  cp "$ico" "$stage/calldocket.ico"
else
  le32() { printf '\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
  { printf '\x00\x00\x01\x00\x01\x00' # ICONDIR: reserved, type 1 (icon), 1 image
    # ICONDIRENTRY: 256×256 (0, 0), no palette, reserved, 1 plane, 32 bpp, size, offset 22
    printf "\x00\x00\x00\x00\x01\x00\x20\x00$(le32 "$(stat -c %s "$icon")")$(le32 22)"
    cat "$icon"; } >"$stage/calldocket.ico"
fi

mkdir -p "$(dirname "$out")"
tmp=$stage/out.msi
# wixl 0.101 says "unimplemented" for a non-advertised shortcut (it writes it
# all the same) and warns about the two Name="-" registry rows, which have no
# value by design; those known lines are dropped, anything else is shown.
(cd "$stage" && wixl -a x64 \
  -D Exe=calldocket.exe -D Icon=calldocket.png -D Ico=calldocket.ico \
  -D ProductVersion="$pv" -D Version="$version" \
  -o "$tmp" "$wxs") 2>"$stage/wixl.err" || { cat "$stage/wixl.err" >&2; exit 1; }
grep -v -e 'builder.vala:[0-9]*: unimplemented' -e "string_get: assertion 'self != NULL' failed" \
  -e '^$' "$stage/wixl.err" >&2 || true

tab=$'\t'
cat >"$stage/MsiShortcutProperty.idt" <<EOF
MsiShortcutProperty${tab}Shortcut_${tab}PropertyKey${tab}PropVariantValue
s72${tab}s72${tab}s0${tab}s0
MsiShortcutProperty${tab}MsiShortcutProperty
AppUserModelID${tab}StartMenuShortcut${tab}{9F4C2855-9F79-4B39-A8D0-E1D42DE1D5F3}, 5${tab}${aumid}
EOF
cat >"$stage/Condition.idt" <<EOF
Feature_${tab}Level${tab}Condition
s38${tab}i2${tab}S255
Condition${tab}Feature_${tab}Level
StartAtLogin${tab}0${tab}STARTATLOGIN="0"
EOF
(cd "$stage" && msibuild out.msi -i MsiShortcutProperty.idt -i Condition.idt)
# wixl writes HKMU as Root 4; Windows Installer's HKMU ("HKCU per user, HKLM
# per machine") is -1, and Root 4 rows are silently not written.
msibuild "$tmp" -q "UPDATE \`Registry\` SET \`Root\` = -1 WHERE \`Root\` = 4"
# Same or newer version installed (any ProductCode but this one): stop, with
# a message, instead of installing a second copy beside it.
msibuild "$tmp" -q "INSERT INTO \`Upgrade\` (\`UpgradeCode\`, \`VersionMin\`, \`Attributes\`, \`ActionProperty\`) VALUES ('$upgrade_code', '$pv', 258, 'SAMEORNEWERFOUND')"
msibuild "$tmp" -q "UPDATE \`Property\` SET \`Value\` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;SAMEORNEWERFOUND;STARTATLOGIN' WHERE \`Property\` = 'SecureCustomProperties'"
msibuild "$tmp" -q "INSERT INTO \`LaunchCondition\` (\`Condition\`, \`Description\`) VALUES ('Installed OR NOT SAMEORNEWERFOUND', 'This version of CallDocket or a newer one is already installed. Uninstall it first.')"

# Check what we meant to build is there.
tables=$(msiinfo tables "$tmp")
for t in File Component Feature FeatureComponents Registry Shortcut MsiShortcutProperty \
  Condition Upgrade LaunchCondition Property Icon Media; do
  if ! grep -qx "$t" <<<"$tables"; then
    echo "msi: table $t is missing from the package" >&2
    exit 1
  fi
done
props=$(msiinfo export "$tmp" Property)
for p in "ProductVersion${tab}$pv" "UpgradeCode${tab}$upgrade_code" "STARTATLOGIN${tab}1"; do
  if ! grep -qF "$p" <<<"$props"; then
    echo "msi: property ${p%%"$tab"*} is not ${p#*"$tab"}" >&2
    exit 1
  fi
done
# Per user unless ALLUSERS=1 is given: the package must not set it.
if grep -q "^ALLUSERS${tab}" <<<"$props"; then
  echo "msi: the package sets ALLUSERS; it must install per user by default" >&2
  exit 1
fi
mv "$tmp" "$out"
echo "$out ($(stat -c %s "$out") bytes, ProductVersion $pv)"
