#!/bin/sh
# Build liburing's own test suite for this kernel, from Debian 12's source
# package:
#   hosttools/liburing.sh OUTDIR
# fetches liburing $VERSION with hosttools/debsrc.sh (a private apt
# configuration, under OUTDIR), configures it for Debian's riscv64-linux-gnu-
# cross compiler, builds src/ (liburing.a) and test/ (every test static; the
# C++ test is left out, CXX=true) and leaves
#   OUTDIR/tests/NAME.t   each test binary, stripped
#   OUTDIR/tests.list     the test names, one a line (the suite's own list,
#                         helpers such as exec-target.t left out)
# Cached: a second run with the same script does nothing; the source is
# fetched once.  Nothing of it is committed.
set -e

VERSION="2.3-3"		# bookworm's liburing (apt-cache showsrc liburing)
UPSTREAM=2.3
CROSS=riscv64-linux-gnu-
# run by other tests, not tests themselves
HELPERS="exec-target.t"

out=${1:?usage: liburing.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
stamp="$VERSION $(cksum < "$here/liburing.sh")"
if [ -s "$out/tests.list" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

fail() {
	echo "liburing.sh: $*" >&2
	exit 1
}

src=$("$here/debsrc.sh" liburing "$VERSION" "$out") ||
	fail "no liburing $VERSION source"
[ -x "$src/configure" ] || fail "no $src/configure"

echo "  BUILD   liburing $UPSTREAM tests (static, ${CROSS}gcc)"
cd "$src"
./configure --cc=${CROSS}gcc --cxx=${CROSS}g++ >"$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log" >&2; fail "configure failed (see $out/build.log)"; }
{ make -j"$(nproc)" -C src && make -j"$(nproc)" -C test LDFLAGS=-static CXX=true; } \
	>>"$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log" >&2; fail "the build failed (see $out/build.log)"; }

rm -rf "$out/tests" "$out/tests.list"
mkdir -p "$out/tests"
for t in test/*.t; do
	${CROSS}strip -o "$out/tests/${t#test/}" "$t"
done
ls "$out/tests" | grep -v -x -F "$(echo $HELPERS | tr ' ' '\n')" |
	LC_ALL=C sort > "$out/tests.list.tmp"
[ -s "$out/tests.list.tmp" ] || fail "no tests were built"
mv "$out/tests.list.tmp" "$out/tests.list"
echo "$stamp" > "$out/stamp"
