#!/usr/bin/env bash
# install.sh: installs the contact-center suite on Debian 12 (bookworm).
#
# Run as root from the repository: ./install.sh (or make install).
# Idempotent: a second run changes nothing and loses no data.
# Command output goes to /var/log/cc/install.log; its tail is shown on failure.
#
# Environment:
#   CC_CONFIG=/etc/cc/config.json       config file (created once, never overwritten)
#   CC_ASTERISK_ROOT=/opt/cc/asterisk-root
#                                       where to debootstrap Debian sid for Asterisk when
#                                       the host has no asterisk package; '' = host package
#   CC_SKIP_BROWSER=1                   do not install chromium and poppler-utils (the page tests
#                                       need both; without chromium, reports are mailed without a PDF)
#   CC_DEBIAN_MIRROR=http://deb.debian.org/debian   mirror for debootstrap
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

as_root
cd "$CC_APP_DIR"
export DEBIAN_FRONTEND=noninteractive

mkdir -p "$CC_LOG_DIR" "$CC_RUN_DIR"
touch "$CC_INSTALL_LOG"
chmod 600 "$CC_INSTALL_LOG"
CC_LOG_TO_FILE=1
printf '\n==== install.sh started %s in %s\n' "$(date '+%F %T')" "$CC_APP_DIR" >>"$CC_INSTALL_LOG"

on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    printf '%sinstall failed%s (exit %s); full log: %s\n' "$_cc_r" "$_cc_0" "$rc" "$CC_INSTALL_LOG" >&2
  fi
}
trap on_exit EXIT

SERVICES="$CC_APP_DIR/scripts/services.sh"
# nftables: the SIP attack blocker drops banned addresses' packets (server/sipguard, docs/sip-guard.md);
# sipvicious: its svmap is the scanner the telephony tests attack with.
HOST_PACKAGES=(mariadb-server mariadb-client redis-server sox espeak-ng sip-tester debootstrap
  debian-archive-keyring tshark openssl ca-certificates curl nftables sipvicious)
# Chromium renders report PDFs and runs the page tests; poppler-utils' pdftotext reads the PDFs back in tests.
[ "${CC_SKIP_BROWSER:-0}" = 1 ] || HOST_PACKAGES+=(chromium poppler-utils)

# ---- helpers --------------------------------------------------------------
# missing_packages [ROOT] PKG...: prints the packages not installed (in ROOT when not empty).
missing_packages() {
  local root=$1 p status
  # shellcheck disable=SC2016 # a dpkg-query format, not shell
  local fmt='${Status}'
  shift
  for p in "$@"; do
    if [ -n "$root" ]; then
      status=$(chroot "$root" dpkg-query -W -f="$fmt" "$p" 2>/dev/null || true)
    else
      status=$(dpkg-query -W -f="$fmt" "$p" 2>/dev/null || true)
    fi
    [ "$status" = "install ok installed" ] || printf '%s\n' "$p"
  done
}

APT_UPDATED=0
apt_update_once() {
  [ "$APT_UPDATED" = 1 ] && return 0
  step "Refreshing the Debian package lists (apt-get update)"
  retry 3 run_logged apt-get update
  APT_UPDATED=1
}

apt_install() {
  retry 3 run_logged apt-get install -y -o Dpkg::Options::=--force-confold "$@"
}

# Is there an installable asterisk package on the host (Debian 12 has none)?
host_has_asterisk_candidate() {
  local candidate
  candidate=$(apt-cache policy asterisk 2>/dev/null | awk '/Candidate:/ {print $2}')
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}

# Unmounts whatever is mounted below DIR (deepest first).
umount_below() {
  local dir=$1 m
  while read -r m; do
    if [ -n "$m" ]; then umount -l "$m" 2>/dev/null || true; fi
  done < <(findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0, d) == 1' | sort -r)
}

# debootstrap into DIR.debootstrap, then move it to DIR: a failed try leaves no half chroot at DIR.
debootstrap_into() {
  local target=$1 tmp="$1.debootstrap"
  umount_below "$tmp"
  rm -rf --one-file-system "$tmp"
  debootstrap --variant=minbase sid "$tmp" "$CC_DEBIAN_MIRROR" || { umount_below "$tmp"; return 1; }
  umount_below "$tmp"
  if [ -d "$target" ]; then rmdir "$target"; fi
  mv "$tmp" "$target"
}

# write_if_changed FILE MODE CONTENT: writes only when the content differs.
write_if_changed() {
  local file=$1 mode=$2 content=$3
  if [ -f "$file" ] && [ "$(cat "$file")" = "$content" ]; then return 0; fi
  mkdir -p "$(dirname "$file")"
  printf '%s\n' "$content" >"$file"
  chmod "$mode" "$file"
  info "wrote $file"
}

sql_string() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }
# shellcheck disable=SC2016 # backquotes are SQL here
sql_ident() { printf '`%s`' "${1//\`/\`\`}"; }

# ---- 1. prerequisites -----------------------------------------------------------
step "Checking Node.js (20 or newer) and npm"
command -v node >/dev/null || die "node is not installed: install Node.js 20 (e.g. from NodeSource) first"
command -v npm >/dev/null || die "npm is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: 20 or newer is needed"
info "node $(node --version), npm $(npm --version)"

# ---- 2. Debian packages -----------------------------------------------------------
step "Installing Debian packages: ${HOST_PACKAGES[*]}"
mapfile -t missing < <(missing_packages '' "${HOST_PACKAGES[@]}")
if [ "${#missing[@]}" -eq 0 ]; then
  info "all installed already"
else
  apt_update_once
  info "installing: ${missing[*]}"
  apt_install "${missing[@]}"
fi

# ---- 3. Asterisk 22 ---------------------------------------------------------------
# Where it lives: env CC_ASTERISK_ROOT when set, else what an existing config says,
# else the host package when Debian offers one, else a sid chroot.
if [ -n "${CC_ASTERISK_ROOT+set}" ]; then
  R=$CC_ASTERISK_ROOT
elif [ -r "$CC_CONFIG" ]; then
  R=$(cfg .asterisk.root '')
else
  if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then apt_update_once; fi
  if host_has_asterisk_candidate; then R=''; else R=$CC_DEFAULT_ASTERISK_ROOT; fi
fi
R=${R%/}

if [ -z "$R" ]; then
  step "Installing Asterisk from the host's Debian packages"
  mapfile -t missing < <(missing_packages '' "${CC_ASTERISK_PACKAGES[@]}")
  if [ "${#missing[@]}" -eq 0 ]; then
    info "installed already"
  else
    apt_update_once
    host_has_asterisk_candidate || die "the host offers no asterisk package; unset CC_ASTERISK_ROOT to use a sid chroot"
    apt_install "${missing[@]}"
  fi
else
  case $R in /?*) ;; *) die "CC_ASTERISK_ROOT must be an absolute path other than /: '$R'" ;; esac
  step "Preparing a Debian sid chroot for Asterisk 22 in $R"
  if [ -x "$R/usr/sbin/asterisk" ] && [ -z "$(missing_packages "$R" "${CC_ASTERISK_PACKAGES[@]}")" ]; then
    info "Asterisk is installed in the chroot already"
  else
    if [ ! -x "$R/usr/bin/apt-get" ]; then
      if [ -d "$R" ] && [ -n "$(ls -A "$R")" ]; then
        die "$R exists but holds no Debian system: move it away or set CC_ASTERISK_ROOT"
      fi
      step "Running debootstrap --variant=minbase sid (a few minutes)"
      mkdir -p "$(dirname "$R")"
      retry 3 run_logged debootstrap_into "$R"
    fi
    # sid's Release files expire quickly; a slightly old mirror must not break installs.
    write_if_changed "$R/etc/apt/apt.conf.d/99cc-no-valid-until" 644 'Acquire::Check-Valid-Until "false";'
    # Packages must not try to start services inside the chroot.
    write_if_changed "$R/usr/sbin/policy-rc.d" 755 $'#!/bin/sh\nexit 101'
    if [ -f /etc/resolv.conf ] && ! cmp -s /etc/resolv.conf "$R/etc/resolv.conf"; then
      cp -L /etc/resolv.conf "$R/etc/resolv.conf"
    fi
    mountpoint -q "$R/proc" || mount -t proc proc "$R/proc"
    step "Installing ${CC_ASTERISK_PACKAGES[*]} in the chroot"
    retry 3 run_logged chroot "$R" apt-get update
    retry 3 run_logged chroot "$R" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -o Dpkg::Options::=--force-confold "${CC_ASTERISK_PACKAGES[@]}"
  fi
  [ -x "$R/usr/sbin/asterisk" ] || die "no $R/usr/sbin/asterisk after the install"
fi

# ---- 4. system user and runtime directories -----------------------------------------
step "Creating the system user cc and /var/lib/cc, /var/log/cc, /run/cc"
if id cc >/dev/null 2>&1; then
  info "user cc exists"
else
  run_logged useradd --system --user-group --home-dir "$CC_LIB_DIR" --no-create-home --shell /usr/sbin/nologin cc
fi
install -d -m 0755 "$CC_LOG_DIR" "$CC_RUN_DIR"
install -d -o cc -g cc -m 0750 "$CC_LIB_DIR"
# The server writes IVR prompts (text-to-speech, uploads) where Asterisk reads its sounds.
install -d -m 0755 "$R/var/lib/asterisk/sounds"
install -d -o cc -g cc -m 0755 "$R/var/lib/asterisk/sounds/cc" "$R/var/lib/asterisk/sounds/cc/tts" "$R/var/lib/asterisk/sounds/cc/prompts"

# ---- 5. node modules and build -------------------------------------------------------
step "Installing node modules (npm ci, skipped when package-lock.json is unchanged)"
npm_deps run_logged

step "Building the server (npm run build)"
run_logged npm run build

# ---- 6. config ---------------------------------------------------------------------
step "Creating the config $CC_CONFIG with generated secrets (kept when it exists)"
[ -f scripts/gen-config.ts ] || die "scripts/gen-config.ts is missing"
mkdir -p "$(dirname "$CC_CONFIG")"
CC_ASTERISK_ROOT="$R" run_logged npx --no-install tsx scripts/gen-config.ts
[ -f "$CC_CONFIG" ] || die "gen-config did not create $CC_CONFIG"

# A self-signed certificate for HTTPS, made once: replace the two files with a real
# certificate (same paths, PEM) and restart. HTTPS is on when the config names them:
#   "http": { "tls": { "cert": "<dir>/tls/cert.pem", "key": "<dir>/tls/key.pem" } }
CC_TLS_DIR="$(dirname "$CC_CONFIG")/tls"
if [ ! -f "$CC_TLS_DIR/cert.pem" ] || [ ! -f "$CC_TLS_DIR/key.pem" ]; then
  step "Generating a self-signed TLS certificate in $CC_TLS_DIR"
  mkdir -p "$CC_TLS_DIR"
  chmod 700 "$CC_TLS_DIR"
  run_logged openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
    -subj "/CN=$(hostname -f 2>/dev/null || hostname)" \
    -addext "subjectAltName=DNS:$(hostname),DNS:localhost,IP:127.0.0.1" \
    -keyout "$CC_TLS_DIR/key.pem" -out "$CC_TLS_DIR/cert.pem"
  chmod 600 "$CC_TLS_DIR/key.pem"
  chmod 644 "$CC_TLS_DIR/cert.pem"
fi
chmod 600 "$CC_CONFIG"
cfg_root=$(cfg .asterisk.root '')
if [ "${cfg_root%/}" != "$R" ]; then
  warn "$CC_CONFIG says asterisk.root='$cfg_root' but Asterisk was installed at '${R:-/}'"
fi

# ---- 7. MariaDB and Redis -----------------------------------------------------------
step "Starting MariaDB and Redis"
"$SERVICES" start mariadb
"$SERVICES" start redis

step "Creating databases and the database user (grants on the app database, cc_test and cc_bench)"
db_user=$(cfg .db.user cc)
db_name=$(cfg .db.database cc)
db_pw=$(cfg .db.password)
{
  for db in "$db_name" cc_test cc_bench; do
    echo "CREATE DATABASE IF NOT EXISTS $(sql_ident "$db") CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  done
  for h in localhost 127.0.0.1; do
    echo "CREATE USER IF NOT EXISTS $(sql_string "$db_user")@'$h' IDENTIFIED BY $(sql_string "$db_pw");"
    echo "ALTER USER $(sql_string "$db_user")@'$h' IDENTIFIED BY $(sql_string "$db_pw");"
    for db in "$db_name" cc_test cc_bench; do
      echo "GRANT ALL PRIVILEGES ON $(sql_ident "$db").* TO $(sql_string "$db_user")@'$h';"
    done
    # The KPI report benchmark keeps one database per size (cc_bench_kpi_50k, ..._5m).
    echo "GRANT ALL PRIVILEGES ON \`cc_bench\\_kpi%\`.* TO $(sql_string "$db_user")@'$h';"
  done
} | mariadb --socket=/run/mysqld/mysqld.sock -u root 2>>"$CC_INSTALL_LOG" || {
  show_tail "$CC_INSTALL_LOG" 20
  die "could not create the databases (as MariaDB root over the unix socket)"
}
# Check the application's own login, over TCP as the server connects.
db_check=$(mktemp)
chmod 600 "$db_check"
printf '[client]\nuser=%s\npassword=%s\n' "$db_user" "$db_pw" >"$db_check"
if ! mariadb --defaults-extra-file="$db_check" -h 127.0.0.1 -P "$(cfg .db.port 3306)" -e 'SELECT 1' "$db_name" >/dev/null 2>>"$CC_INSTALL_LOG"; then
  rm -f "$db_check"
  die "user $db_user cannot log in to $db_name on 127.0.0.1"
fi
rm -f "$db_check"
info "databases $db_name and cc_test, user $db_user@localhost and $db_user@127.0.0.1"

# ---- 8. Asterisk config and database schema -------------------------------------------
step "Rendering the Asterisk config into ${R:-}/etc/asterisk"
[ -f scripts/render-asterisk.ts ] || die "scripts/render-asterisk.ts is missing"
# --reload applies changed files to a running Asterisk.
run_logged npx --no-install tsx scripts/render-asterisk.ts --reload
# The server (user cc) rewrites the desk phones' PJSIP include (server/phones); Asterisk's
# group reads it. Created empty once; kept as it is on a second run.
phones_conf="$R$(cfg .provisioning.phonesFile /etc/asterisk/pjsip-phones.conf)"
if [ -n "$R" ]; then phones_gid=$(chroot "$R" getent group asterisk | cut -d: -f3 || true); else phones_gid=$(getent group asterisk | cut -d: -f3 || true); fi
[ -f "$phones_conf" ] || install -m 0640 /dev/null "$phones_conf"
chown "cc:${phones_gid:-cc}" "$phones_conf"
chmod 0640 "$phones_conf"

# The server (user cc) rewrites the SIP bans' ACL include (server/sipguard); it holds no
# secret, so Asterisk's user reads it as anyone may. Created empty once, kept on a second run.
bans_conf="$R$(cfg .sipGuard.aclFile /etc/asterisk/pjsip-bans.conf)"
[ -f "$bans_conf" ] || install -m 0644 /dev/null "$bans_conf"
chown cc "$bans_conf" && chmod 0644 "$bans_conf"

step "Migrating the database and seeding the demo data"
[ -f scripts/migrate.ts ] || die "scripts/migrate.ts is missing"
run_logged npx --no-install tsx scripts/migrate.ts
# An upgrade from a version without field encryption: seal what older versions stored in
# clear (a no-op once done, and on a fresh install).
step "Sealing sensitive customer fields stored before encryption"
run_logged npx --no-install tsx scripts/encrypt-existing.ts

# ---- 9. systemd units (only where systemd runs) -------------------------------------------
if has_systemd; then
  step "Installing and enabling the systemd units cc-asterisk and cc-server"
  units_changed=0
  if [ -n "$R" ]; then
    ast_unit=cc-asterisk
    ast_gid=$(chroot "$R" getent group asterisk | cut -d: -f3)
  else
    ast_unit=asterisk
    ast_gid=$(getent group asterisk | cut -d: -f3 || true)
  fi
  render_unit() {
    local name=$1 tmp
    tmp=$(mktemp)
    sed -e "s|@APP_DIR@|$CC_APP_DIR|g" -e "s|@CC_CONFIG@|$CC_CONFIG|g" -e "s|@ASTERISK_ROOT@|$R|g" \
      -e "s|@ASTERISK_UNIT@|$ast_unit|g" -e "s|@NODE@|$(command -v node)|g" -e "s|@LOG_DIR@|$CC_LOG_DIR|g" \
      -e "s|@ASTERISK_GID@|$ast_gid|g" "scripts/systemd/$name" >"$tmp"
    [ -n "$ast_gid" ] || sed -i '/^SupplementaryGroups=$/d' "$tmp"
    if cmp -s "$tmp" "/etc/systemd/system/$name"; then
      rm -f "$tmp"
    else
      install -m 0644 "$tmp" "/etc/systemd/system/$name"
      rm -f "$tmp"
      units_changed=1
      info "installed /etc/systemd/system/$name"
    fi
  }
  [ -z "$R" ] || render_unit cc-asterisk.service
  render_unit cc-server.service
  [ "$units_changed" = 0 ] || run_logged systemctl daemon-reload
  run_logged systemctl enable mariadb redis-server "$ast_unit" cc-server
  # The server runs as cc there: it must read its config and the built code.
  chown cc:cc "$CC_CONFIG"
  if ! setpriv --reuid=cc --regid=cc --clear-groups test -r "$CC_APP_DIR/dist/server/main.js"; then
    warn "user cc cannot read $CC_APP_DIR/dist/server/main.js: install from a directory cc can read (e.g. /opt/cc/app)"
  fi
else
  step "No systemd here: services are started by scripts/services.sh (make start)"
fi

printf '==== install.sh finished %s\n' "$(date '+%F %T')" >>"$CC_INSTALL_LOG"
step "Installed. Start everything with: make start   (status: make status)"
# Secrets: terminal only, never the install log.
CC_LOG_TO_FILE=0 "$CC_APP_DIR/scripts/summary.sh"
