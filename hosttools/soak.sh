#!/bin/sh
# make soak N=10 LOAD=2: run the whole test suite (what `make test` runs) N
# times in a row while LOAD CPU-bound processes (`yes > /dev/null`) run
# beside it, and count the runs that pass.  A test that passes only on an
# idle machine fails here.  Each run's pytest output is kept in
# build/soak/run-I.log; the failing tests of a run are printed.  Exit
# status 0 only if every run passed.
n=${1:-10}
load=${2:-0}
py=${PYTHON:-/usr/bin/python3}
dir=build/soak
mkdir -p "$dir"

hogs=
stop_hogs() {
	[ -n "$hogs" ] && kill $hogs 2>/dev/null
	hogs=
}
trap 'stop_hogs; exit 130' INT TERM
trap stop_hogs EXIT
i=0
while [ "$i" -lt "$load" ]; do
	yes > /dev/null &
	hogs="$hogs $!"
	i=$((i + 1))
done

passed=0
failed=0
i=1
while [ "$i" -le "$n" ]; do
	log="$dir/run-$i.log"
	start=$(date +%s)
	if "$py" -m pytest -q -p no:cacheprovider pytests > "$log" 2>&1; then
		passed=$((passed + 1))
		result=passed
	else
		failed=$((failed + 1))
		result=FAILED
	fi
	echo "soak: run $i/$n $result in $(($(date +%s) - start)) s:" \
		"$(tail -n 1 "$log")"
	[ "$result" = FAILED ] && grep '^FAILED\|^ERROR' "$log" | sed 's/^/    /'
	i=$((i + 1))
done
stop_hogs
echo "soak: $n runs beside $load CPU hogs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
