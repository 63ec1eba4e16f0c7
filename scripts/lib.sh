# shellcheck shell=bash
# Shared helpers for install.sh, scripts/services.sh, scripts/summary.sh and the Makefile.
# Source it; it does not change shell options of the caller.

# ---- paths ---------------------------------------------------------------
CC_APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CC_CONFIG="${CC_CONFIG:-/etc/cc/config.json}"
CC_LOG_DIR="${CC_LOG_DIR:-/var/log/cc}"
CC_RUN_DIR="${CC_RUN_DIR:-/run/cc}"
CC_LIB_DIR="${CC_LIB_DIR:-/var/lib/cc}"
CC_INSTALL_LOG="${CC_INSTALL_LOG:-$CC_LOG_DIR/install.log}"
CC_DEFAULT_ASTERISK_ROOT=/opt/cc/asterisk-root
CC_DEBIAN_MIRROR="${CC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The packages Asterisk needs, on the host or in the chroot.
# shellcheck disable=SC2034 # used by install.sh
CC_ASTERISK_PACKAGES=(asterisk asterisk-core-sounds-en asterisk-moh-opsound-wav)
export CC_CONFIG

# ---- logging -------------------------------------------------------------
# Colour only on a terminal.
if [ -t 1 ]; then _cc_b=$'\e[1m' _cc_r=$'\e[31m' _cc_y=$'\e[33m' _cc_0=$'\e[0m'; else _cc_b='' _cc_r='' _cc_y='' _cc_0=''; fi

# Appends a line to the install log when that log is open for writing (install.sh sets CC_LOG_TO_FILE=1).
_cc_logfile() { if [ "${CC_LOG_TO_FILE:-0}" = 1 ]; then printf '%s %s\n' "$(date '+%F %T')" "$*" >>"$CC_INSTALL_LOG"; fi; }

step() { printf '%s==>%s %s\n' "$_cc_b" "$_cc_0" "$*"; _cc_logfile "==> $*"; }
info() { printf '    %s\n' "$*"; _cc_logfile "    $*"; }
warn() { printf '%swarning:%s %s\n' "$_cc_y" "$_cc_0" "$*" >&2; _cc_logfile "warning: $*"; }
die() { printf '%serror:%s %s\n' "$_cc_r" "$_cc_0" "$*" >&2; _cc_logfile "error: $*"; exit 1; }

# Shows the last lines of a log file on stderr (used when a step fails).
show_tail() {
  local file=$1 n=${2:-40}
  [ -f "$file" ] || return 0
  printf -- '---- last %s lines of %s ----\n' "$n" "$file" >&2
  tail -n "$n" "$file" >&2
  printf -- '---- end of %s ----\n' "$file" >&2
}

# run_logged CMD...: runs CMD with all its output appended to the install log;
# on failure shows the log's tail and returns CMD's status.
run_logged() {
  local rc=0
  mkdir -p "$(dirname "$CC_INSTALL_LOG")"
  printf '%s $ %s\n' "$(date '+%F %T')" "$*" >>"$CC_INSTALL_LOG"
  "$@" </dev/null >>"$CC_INSTALL_LOG" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    printf '%serror:%s command failed (exit %s): %s\n' "$_cc_r" "$_cc_0" "$rc" "$*" >&2
    show_tail "$CC_INSTALL_LOG" 40
  fi
  return "$rc"
}

# ---- checks and retries -------------------------------------------------
as_root() { [ "$(id -u)" -eq 0 ] || die "this must run as root (try: sudo $0)"; }

has_systemd() { [ -d /run/systemd/system ]; }

# retry N CMD...: runs CMD up to N times, sleeping 5 s, 10 s, ... between tries.
retry() {
  local tries=$1 n=1 rc=0
  shift
  while :; do
    rc=0
    "$@" || rc=$?
    [ "$rc" -eq 0 ] && return 0
    if [ "$n" -ge "$tries" ]; then
      warn "gave up after $n tries: $*"
      return "$rc"
    fi
    warn "try $n/$tries failed (exit $rc), retrying in $((n * 5)) s: $*"
    sleep $((n * 5))
    n=$((n + 1))
  done
}

# wait_until SECONDS CMD...: polls CMD every half second until it succeeds or time runs out.
wait_until() {
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

# pid_alive PIDFILE [COMM]: true when the file names a live process (whose
# command name is COMM, when given: a stale pid file must not name a stranger).
pid_alive() {
  local pid
  [ -r "$1" ] || return 1
  pid=$(tr -dc '0-9' <"$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ -z "${2-}" ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
pid_of() { [ -r "$1" ] && tr -dc '0-9' <"$1"; }

# ---- the installed config -----------------------------------------------
# cfg KEY [DEFAULT]: prints a value of the config file, KEY like .db.user or .phones.
# Strings print raw, numbers and booleans as text, objects and arrays as JSON.
# A missing key (or file) prints DEFAULT when given, else fails.
cfg() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const fs = require("fs");
    const [file, key, hasDefault, dflt] = process.argv.slice(1);
    let v;
    try { v = JSON.parse(fs.readFileSync(file, "utf8")); }
    catch (e) { if (e.code !== "ENOENT") { console.error(`${file}: ${e.message}`); process.exit(2); } v = undefined; }
    for (const part of key.split(".").filter(Boolean)) v = v == null ? undefined : v[part];
    if (v === undefined || v === null) {
      if (hasDefault === "1") { process.stdout.write(dflt); process.exit(0); }
      console.error(`${file}: no value for ${key}`); process.exit(3);
    }
    process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));
  ' "$CC_CONFIG" "$1" "$(($# > 1 ? 1 : 0))" "${2-}"
}

# The Asterisk chroot in use: env CC_ASTERISK_ROOT when set (empty = host package),
# else the config's asterisk.root, else the default prefix.
asterisk_root() {
  if [ -n "${CC_ASTERISK_ROOT+set}" ]; then
    printf '%s' "$CC_ASTERISK_ROOT"
  elif [ -r "$CC_CONFIG" ]; then
    cfg .asterisk.root "$CC_DEFAULT_ASTERISK_ROOT"
  else
    printf '%s' "$CC_DEFAULT_ASTERISK_ROOT"
  fi
}

# ---- node dependencies ---------------------------------------------------
# The stamp records the hash of package-lock.json (and node's major version) npm ci ran with.
_cc_lock_hash() { { sha256sum "$CC_APP_DIR/package-lock.json"; node -p 'process.versions.node.split(".")[0]'; } | sha256sum | cut -d' ' -f1; }
CC_NPM_STAMP="$CC_APP_DIR/node_modules/.cc-lock.sha256"

npm_deps_current() { [ -f "$CC_NPM_STAMP" ] && [ "$(cat "$CC_NPM_STAMP")" = "$(_cc_lock_hash)" ]; }

# npm_deps [RUNNER]: npm ci unless node_modules matches package-lock.json already.
# RUNNER (e.g. run_logged) wraps the npm command.
npm_deps() {
  if npm_deps_current; then
    info "node_modules is up to date with package-lock.json"
    return 0
  fi
  (cd "$CC_APP_DIR" && ${1:+"$1"} retry 3 npm ci --no-audit --no-fund) || return 1
  _cc_lock_hash >"$CC_NPM_STAMP"
}
