#!/usr/bin/env bash
# make bench: every benchmark under scripts/bench, one after the other (see README.md there).
# routing.ts needs only Redis (db 5, which it empties). The telephony ones (marked
# "// bench: telephony" on their first line) drive the one shared Asterisk with sipp and a
# server of ours on port 18080, so each runs under the shared telephony lock, taken only
# for that benchmark; they use CC_TEST_DB (default cc_bench) and CC_TEST_REDIS_DB (default
# 6) and empty both, and read their settings from BENCH_* variables (README.md).
# Files marked "// bench: tool" on their first line (gen-interactions.ts) are helpers the
# benchmarks call, not benchmarks. Arguments go to routing.ts (picks per cell).
set -euo pipefail
cd "$(dirname "$0")/../.."
LOCK=/tmp/cc-telephony.lock
for bench in scripts/bench/*.ts; do
  if head -n 1 "${bench}" | grep -q '^// bench: tool'; then continue; fi
  echo "== ${bench}"
  if head -n 1 "${bench}" | grep -q '^// bench: telephony'; then
    flock "${LOCK}" npx tsx "${bench}"
  else
    npx tsx "${bench}" "$@"
  fi
done
