#!/bin/sh
# Build busybox, the user's shell and tools, from Debian 12's source package:
#   hosttools/busybox.sh OUTDIR
# fetches busybox $VERSION with hosttools/debsrc.sh (`apt-get source`
# through a private apt configuration under OUTDIR/apt: the system's apt
# configuration and lists are not touched), unpacked in OUTDIR/src,
# configures it (defconfig and the edits below), builds it static with
# Debian's riscv64-linux-gnu- cross compiler and leaves
#   OUTDIR/busybox        the static riscv64 binary (stripped)
#   OUTDIR/applets        its applet names, one a line (ls, cat, sh, ...)
# Each step is cached: a second run of the same script does nothing (an
# edit to it rebuilds, in the unpacked tree); the source is fetched once.  Nothing of it is committed.
set -e

VERSION="1:1.35.0-4+deb12u1"	# bookworm's busybox (apt-cache showsrc busybox)
MIRROR=http://deb.debian.org/debian
SUITE=bookworm
CROSS=riscv64-linux-gnu-

# Changes to `make defconfig`: static; a way back to the binary that does
# not need /proc (busybox re-executes itself through this path); no history
# file; ls without colours unless asked (--color), as coreutils' ls; no
# sendfile(2) (the kernel has none: read and write instead).
config_edits() {
	sed -i \
	    -e 's|^# CONFIG_STATIC is not set|CONFIG_STATIC=y|' \
	    -e 's|^CONFIG_BUSYBOX_EXEC_PATH=.*|CONFIG_BUSYBOX_EXEC_PATH="/bin/busybox"|' \
	    -e 's|^CONFIG_FEATURE_EDITING_SAVEHISTORY=y|# CONFIG_FEATURE_EDITING_SAVEHISTORY is not set|' \
	    -e 's|^CONFIG_FEATURE_LS_COLOR_IS_DEFAULT=y|# CONFIG_FEATURE_LS_COLOR_IS_DEFAULT is not set|' \
	    -e 's|^CONFIG_FEATURE_USE_SENDFILE=y|# CONFIG_FEATURE_USE_SENDFILE is not set|' \
	    .config
}

out=${1:?usage: busybox.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp="$VERSION $(cksum < "$0")"
if [ -x "$out/busybox" ] && [ -s "$out/applets" ] &&
   [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

fail() {
	echo "busybox.sh: $*" >&2
	exit 1
}

# ---- fetch (once: hosttools/debsrc.sh caches it) ----
src=$(DEBSRC_MIRROR=$MIRROR DEBSRC_SUITE=$SUITE \
	"$(dirname "$0")/debsrc.sh" busybox "$VERSION" "$out") ||
	fail "busybox $VERSION is needed for /bin/sh"
[ -f "$src/Makefile" ] || fail "no $src/Makefile after apt-get source"

# ---- configure and build ----
echo "  BUILD   busybox $VERSION (static, ${CROSS}gcc)"
cd "$src"
make -s defconfig >/dev/null
config_edits
yes "" | make -s oldconfig >/dev/null
# the banner says "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1)", as Debian's
make -s -j"$(nproc)" CROSS_COMPILE=$CROSS BB_EXTRA_VERSION="Debian $VERSION" \
	busybox busybox.links \
	>"$out/build.log" 2>&1 || { tail -20 "$out/build.log" >&2;
	fail "the build failed (see $out/build.log)"; }
grep -q '^CONFIG_STATIC=y' .config || fail "CONFIG_STATIC did not stick"
cp busybox "$out/busybox.tmp"
${CROSS}strip "$out/busybox.tmp"
mv "$out/busybox.tmp" "$out/busybox"
sed 's|.*/||' busybox.links | LC_ALL=C sort -u > "$out/applets"
echo "$stamp" > "$out/stamp"
