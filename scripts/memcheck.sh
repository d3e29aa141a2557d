#!/usr/bin/env bash
# Measures peak memory (max RSS) of ingesting a ~2-million-row deals export.
# Not part of `make test`: a timing or memory figure is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${MEMCHECK_DIR:-$(mktemp -d)}
trap '[ -z "${MEMCHECK_DIR:-}" ] && rm -rf "$work"' EXIT
bin/pqi gen --out "$work/exports" --partners 8000 --deals-per-partner 250 --quarters 8 --bad-rows 0.01 >/dev/null
wc -l "$work/exports/deals.csv"
du -sh "$work/exports"
/usr/bin/time -v bin/pqi --log-level warn ingest --in "$work/exports" --warehouse "$work/wh" 2> "$work/time.txt"
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$work/time.txt"
