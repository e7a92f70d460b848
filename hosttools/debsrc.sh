#!/bin/sh
# Fetch a pinned Debian source package, unpacked, without touching the
# system's apt configuration:
#   hosttools/debsrc.sh PACKAGE VERSION OUTDIR
# runs `apt-get source PACKAGE=VERSION` through a private apt configuration
# under OUTDIR/apt (a deb-src entry of its own for Debian $SUITE, its own
# lists and cache) and unpacks the source in OUTDIR/src.  It prints the
# unpacked tree's path (OUTDIR/src/PACKAGE-UPSTREAM) on stdout.  Cached: once
# the tree is unpacked (OUTDIR/src/.unpacked names PACKAGE=VERSION), a second
# run fetches nothing.  Environment: DEBSRC_MIRROR, DEBSRC_SUITE.
set -e

pkg=${1:?usage: debsrc.sh PACKAGE VERSION OUTDIR}
version=${2:?usage: debsrc.sh PACKAGE VERSION OUTDIR}
out=${3:?usage: debsrc.sh PACKAGE VERSION OUTDIR}
MIRROR=${DEBSRC_MIRROR:-http://deb.debian.org/debian}
SUITE=${DEBSRC_SUITE:-bookworm}

mkdir -p "$out"
out=$(cd "$out" && pwd)
# the upstream version: no epoch, no Debian revision
upstream=${version#*:}
upstream=${upstream%-*}
src="$out/src/$pkg-$upstream"

fail() {
	echo "debsrc.sh: $*" >&2
	echo "debsrc.sh: $pkg $version is Debian $SUITE's source package;" \
	     "check the network and that $MIRROR has it" >&2
	exit 1
}

if [ -d "$src" ] && [ "$(cat "$out/src/.unpacked" 2>/dev/null)" = "$pkg=$version" ]; then
	echo "$src"
	exit 0
fi

apt="$out/apt"
rm -rf "$apt" "$out/src"
mkdir -p "$apt/sources.list.d" "$apt/lists/partial" \
	 "$apt/cache/archives/partial" "$out/src"
cat > "$apt/sources.list.d/$pkg-src.sources" <<EOT
Types: deb-src
URIs: $MIRROR
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
set -- -q -o Dir::Etc::SourceList=/dev/null \
	-o Dir::Etc::SourceParts="$apt/sources.list.d" \
	-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
	-o Dir::State::Status=/var/lib/dpkg/status
[ "$(id -u)" = 0 ] && set -- "$@" -o APT::Sandbox::User=root
echo "  FETCH   $pkg $version (apt-get source)" >&2
apt-get "$@" update >"$apt/update.log" 2>&1 ||
	fail "apt-get update failed (see $apt/update.log)"
(cd "$out/src" && apt-get "$@" source "$pkg=$version") \
	>"$apt/source.log" 2>&1 ||
	fail "apt-get source $pkg=$version failed (see $apt/source.log)"
[ -d "$src" ] || fail "no $src after apt-get source"
echo "$pkg=$version" > "$out/src/.unpacked"
echo "$src"
