#!/bin/sh
# Builds the arm64 sysroot the linux-arm64 release is linked against and run in under qemu:
# the Debian packages named in LOCK (name, version, SHA-256), downloaded with apt from the
# Debian mirror this machine's apt is set up with, checked, and unpacked into DIR.
#
# Usage: sysroot.sh LOCK DIR
#
# It uses a private apt state under DIR.apt (its own sources list, lists and cache), so it
# changes nothing in the machine's apt. The mirror is taken from /etc/apt (the first Debian
# URI there) unless MINGDENG_DEBIAN_MIRROR names one.
set -eu

lock=$(realpath "$1")
dir=$(realpath -m "$2")
suite=$(awk '$1 == "suite" { print $2 }' "$lock")
[ -n "$suite" ] || { echo "$lock names no suite" >&2; exit 1; }

mirror=${MINGDENG_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
	# deb822 files (URIs: ...) first, then one-line sources (deb URI suite ...).
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" && $2 ~ /\/debian\/?$/ { print $2; exit }')
fi
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\/.*\/debian\/?$/) { print $i; exit } }')
fi
[ -n "$mirror" ] || { echo "no Debian mirror in /etc/apt: set MINGDENG_DEBIAN_MIRROR" >&2; exit 1; }

apt="$dir.apt"
rm -rf "$dir" "$apt"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs" "$dir"
echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$apt/sources.list"
set -- -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o Dir::State::status=/dev/null \
	-o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Debug::NoLocking=1 \
	-o APT::Sandbox::User=root
apt-get "$@" -q update >"$apt/update.log" 2>&1 || {
	cat "$apt/update.log" >&2
	echo "apt could not read Debian $suite (arm64) from $mirror" >&2
	exit 1
}
pkgs=$(awk '$1 == "deb" { printf "%s:arm64=%s ", $2, $3 }' "$lock")
(cd "$apt/debs" && apt-get "$@" -q download $pkgs)

# The pinned checksums, on top of apt's own check against the suite's signed index.
awk '$1 == "deb" { printf "%s  %s_%s_arm64.deb\n", $4, $2, $3 }' "$lock" | sed 's/:/%3a/' >"$apt/debs/SHA256SUMS"
(cd "$apt/debs" && sha256sum --quiet -c SHA256SUMS)
for deb in "$apt"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir"
done

# Debian's links are absolute (/lib/aarch64-linux-gnu/libm.so.6): point them inside DIR, so the
# linker finds this glibc, not the build machine's.
find "$dir" -type l | while read -r link; do
	target=$(readlink "$link")
	case $target in
	/*) ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dir$target")" "$link" ;;
	esac
done
rm -rf "$apt"
touch "$dir/.complete"
