#!/usr/bin/env bash
# make test: installs what is missing (a fresh machine needs nothing else), makes sure
# MariaDB, Redis and Asterisk run, then runs the three tiers: unit, integration
# (real MariaDB and Redis), telephony (real Asterisk, sipp and Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CC_CONFIG:-/etc/cc/config.json}
ROOT=${CC_ASTERISK_ROOT:-/opt/cc/asterisk-root}

have_asterisk() { [ -x "$ROOT/usr/sbin/asterisk" ] || command -v asterisk >/dev/null 2>&1; }
if [ ! -f "$CONFIG" ] || ! have_asterisk || [ ! -d node_modules ] || ! command -v sipp >/dev/null 2>&1 \
  || ! command -v pdftotext >/dev/null 2>&1 || ! command -v svmap >/dev/null 2>&1; then
  echo "== the suite is not installed here yet: running ./install.sh"
  ./install.sh
fi

echo "== services"
scripts/services.sh start mariadb
scripts/services.sh start redis
scripts/services.sh start asterisk
# Only one connection may own the Stasis app; the tests run their own server.
scripts/services.sh stop server >/dev/null 2>&1 || true

echo "== typecheck"
npx tsc --noEmit

status=0
for tier in unit integration telephony; do
  echo "== $tier tests"
  npm run --silent "test:$tier" || status=1
done
exit $status
