#!/usr/bin/env bash
# Backs up the suite: database, configuration, IVR prompts, and with --recordings the call
# recordings. Usage: scripts/backup.sh [--recordings] [--out FILE]   (make backup)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
exec npx --no-install tsx scripts/backup.ts "$@"
