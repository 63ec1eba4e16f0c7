#!/usr/bin/env bash
# Installs the whole suite on Debian: packages, Asterisk 22, secrets, Asterisk config,
# database, build. Idempotent: running it again changes nothing and loses no data.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh
as_root
mkdir -p "$CC_LOG_DIR" "$CC_RUN_DIR" "$CC_LIB_DIR"
export DEBIAN_FRONTEND=noninteractive
ROOT="${CC_ASTERISK_ROOT:-$CC_DEFAULT_ASTERISK_ROOT}"

step "Debian packages (MariaDB, Redis, sox, espeak-ng, sipp, debootstrap, chromium)"
retry 3 apt-get update -qq >>"$CC_INSTALL_LOG" 2>&1
PKGS=(mariadb-server mariadb-client redis-server sox espeak-ng sip-tester debootstrap openssl ca-certificates curl)
[ "${CC_SKIP_BROWSER:-0}" = 1 ] || PKGS+=(chromium)
retry 3 apt-get install -y -qq "${PKGS[@]}" >>"$CC_INSTALL_LOG" 2>&1

step "Asterisk 22"
if apt-cache policy asterisk 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  retry 3 apt-get install -y -qq asterisk >>"$CC_INSTALL_LOG" 2>&1
  ROOT=""
  info "OS package"
elif [ -x "$ROOT/usr/sbin/asterisk" ]; then
  info "already in $ROOT"
else
  info "Debian sid's package in a chroot at $ROOT (this OS has none)"
  retry 3 debootstrap --variant=minbase sid "$ROOT" "$CC_DEBIAN_MIRROR" >>"$CC_INSTALL_LOG" 2>&1
  echo 'Acquire::Check-Valid-Until "false";' >"$ROOT/etc/apt/apt.conf.d/99cc-no-valid-until"
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  retry 3 chroot "$ROOT" apt-get update -qq >>"$CC_INSTALL_LOG" 2>&1
  retry 3 chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${CC_ASTERISK_PACKAGES[@]}" >>"$CC_INSTALL_LOG" 2>&1
fi

step "system user cc"
id cc >/dev/null 2>&1 || useradd --system --home-dir "$CC_LIB_DIR" --shell /usr/sbin/nologin cc

step "node packages and build"
npm_deps
npm run --silent build >>"$CC_INSTALL_LOG" 2>&1

step "configuration and secrets ($CC_CONFIG)"
CC_ASTERISK_ROOT="$ROOT" npx --no-install tsx scripts/gen-config.ts

step "MariaDB and Redis"
scripts/services.sh start mariadb
scripts/services.sh start redis
DBPASS=$(cfg db.password)
DBUSER=$(cfg db.user)
DBNAME=$(cfg db.database)
mariadb <<SQL
CREATE DATABASE IF NOT EXISTS \`$DBNAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`cc_test\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DBUSER'@'localhost' IDENTIFIED BY '$DBPASS';
CREATE USER IF NOT EXISTS '$DBUSER'@'127.0.0.1' IDENTIFIED BY '$DBPASS';
ALTER USER '$DBUSER'@'localhost' IDENTIFIED BY '$DBPASS';
ALTER USER '$DBUSER'@'127.0.0.1' IDENTIFIED BY '$DBPASS';
GRANT ALL ON \`$DBNAME\`.* TO '$DBUSER'@'localhost';
GRANT ALL ON \`$DBNAME\`.* TO '$DBUSER'@'127.0.0.1';
GRANT ALL ON \`cc_test\`.* TO '$DBUSER'@'localhost';
GRANT ALL ON \`cc_test\`.* TO '$DBUSER'@'127.0.0.1';
SQL

step "Asterisk configuration from asterisk/ and dialplan/"
npx --no-install tsx scripts/render-asterisk.ts --reload

step "database migrations and demo data"
npx --no-install tsx scripts/migrate.ts

if has_systemd && [ -d scripts/systemd ]; then
  step "systemd units"
  cp scripts/systemd/*.service /etc/systemd/system/ && systemctl daemon-reload
  systemctl enable cc-asterisk cc-server >/dev/null 2>&1 || true
fi

step "installed"
scripts/summary.sh 2>/dev/null || true
