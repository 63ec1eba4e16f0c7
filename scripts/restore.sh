#!/usr/bin/env bash
# Restores a backup onto this installation (normally a fresh one made by install.sh), then
# renders Asterisk's configuration from the restored settings and starts everything again.
# Usage: scripts/restore.sh FILE [--force] [--keep-config]   (make restore FILE=...)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
as_root
[ $# -ge 1 ] || die "usage: scripts/restore.sh FILE [--force] [--keep-config]"
SERVICES=scripts/services.sh
# The server must not write while its database is replaced; MariaDB must run.
"$SERVICES" stop server >/dev/null 2>&1 || true
"$SERVICES" start mariadb
step "Restoring $1"
npx --no-install tsx scripts/restore.ts "$@"
step "Rendering the Asterisk config from the restored settings"
"$SERVICES" start asterisk
npx --no-install tsx scripts/render-asterisk.ts --reload
step "Starting everything"
"$SERVICES" start all
