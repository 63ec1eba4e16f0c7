#!/usr/bin/env bash
# make bench: every benchmark under scripts/bench, one after the other. They use Redis
# db 5 only (and empty it); Redis must already be running on 127.0.0.1:6379.
set -euo pipefail
cd "$(dirname "$0")/../.."
for bench in scripts/bench/*.ts; do
  echo "== ${bench}"
  npx tsx "${bench}" "$@"
done
