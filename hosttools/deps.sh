#!/bin/sh
# Make sure the Debian packages that the build, `make run` and `make test`
# need are installed (or, with arguments, those packages: `deps.sh
# gdb-multiarch` for make qemu-gdb): as root, install the missing ones with
# apt-get; otherwise print the exact command and fail.
if [ $# -gt 0 ]; then
	pkgs="$*"
else
	pkgs="make cpio qemu-system-misc gcc-riscv64-unknown-elf
binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf python3
python3-pytest python3-pytest-timeout python3-pexpect python3-protobuf
protobuf-compiler gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
gcc libc6-dev dpkg-dev apt bzip2 xz-utils debian-archive-keyring"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps.sh: not a Debian system; install the equivalents of:" $pkgs >&2
	exit 0
fi
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps.sh: installing:$missing"
	apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
	exit $?
fi
echo "deps.sh: missing Debian packages; run:" >&2
echo "    sudo apt-get install -y$missing" >&2
exit 1
