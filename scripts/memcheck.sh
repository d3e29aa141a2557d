#!/usr/bin/env bash
# Measures peak memory (max RSS) and wall time of ingesting a generated
# export: by default 8,000 partners (~2 million deal rows, 350 MB of CSV);
# MEMCHECK_PARTNERS=48000 makes ~2 GB. MEMCHECK_BIN compares another build
# on the same export (e.g. one from an earlier commit).
# Not part of `make test`: a timing or memory figure is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${MEMCHECK_DIR:-$(mktemp -d)}
trap '[ -z "${MEMCHECK_DIR:-}" ] && rm -rf "$work"' EXIT
bins=("bin/pqi" ${MEMCHECK_BIN:-})
if [ ! -d "$work/exports" ]; then
	bin/pqi gen --out "$work/exports" --partners "${MEMCHECK_PARTNERS:-8000}" --deals-per-partner 250 --quarters 8 --bad-rows 0.01 --as-of 2026-09-30 >/dev/null
fi
wc -l "$work/exports/deals.csv"
du -sh "$work/exports"
for b in "${bins[@]}"; do
	rm -rf "$work/wh"
	/usr/bin/time -v "$b" --log-level warn ingest --in "$work/exports" --warehouse "$work/wh" --as-of 2026-09-30 2> "$work/time.txt" >/dev/null
	echo "$b:"
	grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$work/time.txt"
done
