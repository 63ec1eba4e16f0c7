#!/usr/bin/env bash
# services.sh start|stop|restart|status [mariadb|redis|asterisk|server|all]
#
# Without systemd (containers, CI) every process is started directly and
# tracked by pid files; where systemd is PID 1 it delegates to systemctl.
# Every start and stop is idempotent. status prints one line per component
# and exits 3 when one of them is not running.
#
# Internal commands used by the systemd unit cc-asterisk.service:
#   services.sh chroot-prepare   mount proc, create device nodes and run dirs in the chroot
#   services.sh chroot-release   unmount proc from the chroot
#   services.sh asterisk-wait    wait (60 s at most) until Asterisk is fully booted
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMPONENTS=(mariadb redis asterisk server)
MYSQL_SOCK=/run/mysqld/mysqld.sock
MYSQL_PID=/run/mysqld/mysqld.pid
# CC__SECTION__KEY variables override the config file, as in the server (server/core/config.ts).
REDIS_PORT="${CC_REDIS_PORT:-${CC__REDIS__PORT:-$(cfg .redis.port 6379)}}"
REDIS_PID="$CC_RUN_DIR/redis.pid"
SERVER_PID="$CC_RUN_DIR/server.pid"
SERVER_LOG="$CC_LOG_DIR/server.log"
R="$(asterisk_root)"
R="${R%/}"

usage() {
  echo "usage: $0 start|stop|restart|status [mariadb|redis|asterisk|server|all]" >&2
  exit 2
}

runtime_dirs() { mkdir -p "$CC_LOG_DIR" "$CC_RUN_DIR" "$CC_LIB_DIR"; }

# One start/stop at a time (tests and make targets may race). Daemons are
# started with 9>&- so they do not inherit (and hold) the lock.
lock() {
  runtime_dirs
  exec 9>"$CC_RUN_DIR/services.lock"
  flock -w 180 9 || die "another services.sh is still running (lock $CC_RUN_DIR/services.lock)"
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# kill_pidfile PIDFILE GRACE NAME COMM: SIGTERM, then SIGKILL after GRACE seconds.
kill_pidfile() {
  local pidfile=$1 grace=$2 name=$3 comm=$4 pid
  pid_alive "$pidfile" "$comm" || { rm -f "$pidfile"; return 0; }
  pid=$(pid_of "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until "$grace" pid_gone "$pid"; then
    warn "$name (pid $pid) did not stop within ${grace} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 5 pid_gone "$pid" || die "$name (pid $pid) survived SIGKILL"
  fi
  rm -f "$pidfile"
}

# ---- systemd ---------------------------------------------------------------
unit_of() {
  case $1 in
    mariadb) echo mariadb ;;
    redis) echo redis-server ;;
    asterisk) if [ -n "$R" ]; then echo cc-asterisk; else echo asterisk; fi ;;
    server) echo cc-server ;;
  esac
}
sd_start() { systemctl start "$(unit_of "$1")" && echo "$1: started ($(unit_of "$1").service)"; }
sd_stop() { systemctl stop "$(unit_of "$1")" && echo "$1: stopped ($(unit_of "$1").service)"; }
sd_running() { systemctl is-active --quiet "$(unit_of "$1")"; }
sd_status() {
  local u
  u=$(unit_of "$1")
  printf '%-9s %s (%s.service)\n' "$1:" "$(systemctl is-active "$u" 2>/dev/null || true)" "$u"
}

# ---- MariaDB ---------------------------------------------------------------
mariadb_running() { mariadb-admin --socket="$MYSQL_SOCK" --connect-timeout=2 ping >/dev/null 2>&1; }
mariadb_down() { ! mariadb_running; }

mariadb_start() {
  if mariadb_running; then echo "mariadb: already running"; return 0; fi
  command -v mariadbd >/dev/null || die "mariadbd not found: run ./install.sh"
  install -d -o mysql -g mysql -m 0755 /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    echo "mariadb: initialising /var/lib/mysql"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >>"$CC_LOG_DIR/mariadb.log" 2>&1
  fi
  nohup setsid mariadbd --user=mysql --datadir=/var/lib/mysql --socket="$MYSQL_SOCK" --pid-file="$MYSQL_PID" \
    </dev/null >>"$CC_LOG_DIR/mariadb.log" 2>&1 9>&- &
  local pid=$!
  local deadline=$(($(date +%s) + 60))
  until mariadb_running; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_tail "$CC_LOG_DIR/mariadb.log" 30
      die "mariadb: mariadbd exited during start"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { show_tail "$CC_LOG_DIR/mariadb.log" 30; die "mariadb: no answer to ping after 60 s"; }
    sleep 0.5
  done
  echo "mariadb: started (pid $pid)"
}

mariadb_stop() {
  if ! mariadb_running && ! pid_alive "$MYSQL_PID" mariadbd; then echo "mariadb: not running"; return 0; fi
  local pid
  pid=$(pid_of "$MYSQL_PID" || true)
  mariadb-admin --socket="$MYSQL_SOCK" shutdown >/dev/null 2>&1 || true
  if [ -n "$pid" ] && ! wait_until 60 pid_gone "$pid"; then
    kill_pidfile "$MYSQL_PID" 15 mariadb mariadbd
  fi
  wait_until 10 mariadb_down || die "mariadb: still answering after shutdown"
  echo "mariadb: stopped"
}

mariadb_status() {
  if mariadb_running; then
    printf '%-9s running (pid %s, socket %s)\n' mariadb: "$(pid_of "$MYSQL_PID" || echo '?')" "$MYSQL_SOCK"
  else
    printf '%-9s stopped\n' mariadb:
    return 3
  fi
}

# ---- Redis -----------------------------------------------------------------
redis_running() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
redis_down() { ! redis_running; }

redis_start() {
  if redis_running; then echo "redis: already running"; return 0; fi
  command -v redis-server >/dev/null || die "redis-server not found: run ./install.sh"
  install -d -o redis -g redis -m 0750 /var/lib/redis
  # Live state only: no snapshots, no append-only file. Runs as the redis user.
  nohup setsid setpriv --reuid=redis --regid=redis --clear-groups \
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir /var/lib/redis --daemonize no \
    --save "" --appendonly no --logfile "" \
    </dev/null >>"$CC_LOG_DIR/redis.log" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$REDIS_PID"
  local deadline=$(($(date +%s) + 30))
  until redis_running; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_tail "$CC_LOG_DIR/redis.log" 20
      die "redis: redis-server exited during start"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { show_tail "$CC_LOG_DIR/redis.log" 20; die "redis: no PONG after 30 s"; }
    sleep 0.2
  done
  echo "redis: started (pid $pid)"
}

redis_stop() {
  if ! redis_running && ! pid_alive "$REDIS_PID" redis-server; then echo "redis: not running"; rm -f "$REDIS_PID"; return 0; fi
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if ! wait_until 15 redis_down; then
    kill_pidfile "$REDIS_PID" 10 redis redis-server
  fi
  kill_pidfile "$REDIS_PID" 10 redis redis-server
  rm -f "$REDIS_PID"
  echo "redis: stopped"
}

redis_status() {
  if redis_running; then
    printf '%-9s running (pid %s, 127.0.0.1:%s)\n' redis: \
      "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info server 2>/dev/null | sed -n 's/^process_id:\([0-9]*\).*/\1/p')" "$REDIS_PORT"
  else
    printf '%-9s stopped\n' redis:
    return 3
  fi
}

# ---- Asterisk (in the chroot R, or the host package when R is empty) -------
ast() { if [ -n "$R" ]; then chroot "$R" asterisk "$@"; else asterisk "$@"; fi; }
# ast_rx COMMAND [TIMEOUT]: one CLI command to the running daemon.
ast_rx() {
  if [ -n "$R" ]; then timeout "${2:-10}" chroot "$R" asterisk -rx "$1"; else timeout "${2:-10}" asterisk -rx "$1"; fi
}
AST_PIDFILE="$R/run/asterisk/asterisk.pid"
asterisk_running() { ast_rx 'core show version' 5 >/dev/null 2>&1; }
asterisk_down() { ! asterisk_running; }

check_root_path() {
  [ -n "$R" ] || return 0
  case $R in /*) ;; *) die "asterisk root must be an absolute path: '$R'" ;; esac
  [ "$R" != / ] || die "asterisk root must not be /"
}

chroot_prepare() {
  if [ -z "$R" ]; then
    if getent passwd asterisk >/dev/null; then install -d -o asterisk -g asterisk -m 0755 /run/asterisk; fi
    return 0
  fi
  check_root_path
  [ -x "$R/usr/sbin/asterisk" ] || die "no Asterisk in $R: run ./install.sh"
  mountpoint -q "$R/proc" || mount -t proc proc "$R/proc"
  local spec name
  for spec in null:3 zero:5 full:7 random:8 urandom:9; do
    name=${spec%%:*}
    [ -c "$R/dev/$name" ] || { rm -f "$R/dev/$name"; mknod -m 0666 "$R/dev/$name" c 1 "${spec#*:}"; }
  done
  chroot "$R" install -d -o asterisk -g asterisk -m 0755 /run/asterisk
  # With SIP bound to 0.0.0.0 Asterisk looks up this machine's name (then A.ROOT-SERVERS.NET)
  # on every call. debootstrap's /etc/hosts lacks the name, so each call waited for DNS:
  # 10 s per lookup where DNS does not answer. Name the machine in the chroot's /etc/hosts.
  local host
  host=$(uname -n)
  if [ -n "$host" ] && ! awk -v h="$host" '{ for (i = 2; i <= NF; i++) if ($i == h) f = 1 } END { exit !f }' "$R/etc/hosts" 2>/dev/null; then
    printf '127.0.1.1\t%s\n' "$host" >>"$R/etc/hosts"
  fi
}

chroot_release() {
  [ -n "$R" ] || return 0
  check_root_path
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    mountpoint -q "$R/proc" || return 0
    umount "$R/proc" 2>/dev/null && return 0
    sleep 0.5
  done
  warn "$R/proc is busy; detaching it lazily"
  umount -l "$R/proc"
}

asterisk_start() {
  check_root_path
  if asterisk_running; then echo "asterisk: already running"; return 0; fi
  chroot_prepare
  # Never -U root: Asterisk drops capabilities and can then no longer read its own files.
  ast -U asterisk -G asterisk </dev/null >>"$CC_LOG_DIR/asterisk-start.log" 2>&1 9>&- || {
    show_tail "$CC_LOG_DIR/asterisk-start.log" 20
    die "asterisk: failed to start"
  }
  if ! wait_until 60 ast_rx 'core waitfullybooted' 10; then
    show_tail "$CC_LOG_DIR/asterisk-start.log" 20
    [ -f "$R/var/log/asterisk/messages.log" ] && show_tail "$R/var/log/asterisk/messages.log" 20
    die "asterisk: not fully booted after 60 s"
  fi
  echo "asterisk: started (pid $(pid_of "$AST_PIDFILE"), root ${R:-/})"
}

asterisk_stop() {
  check_root_path
  local pid=''
  if pid_alive "$AST_PIDFILE" asterisk; then pid=$(pid_of "$AST_PIDFILE"); fi
  if ! asterisk_running && [ -z "$pid" ]; then
    chroot_release
    echo "asterisk: not running"
    return 0
  fi
  # The remote console may only return when the daemon is gone: do not wait on it.
  ast_rx 'core stop now' 30 >/dev/null 2>&1 &
  local rx=$!
  if [ -n "$pid" ]; then
    if ! wait_until 30 pid_gone "$pid"; then
      warn "asterisk (pid $pid) still running 30 s after 'core stop now'; killing it"
      kill_pidfile "$AST_PIDFILE" 5 asterisk asterisk
    fi
  fi
  wait_until 30 asterisk_down || die "asterisk: still answering after stop"
  kill "$rx" 2>/dev/null || true
  wait "$rx" 2>/dev/null || true
  chroot_release
  echo "asterisk: stopped"
}

asterisk_status() {
  local up
  if asterisk_running; then
    up=$(ast_rx 'core show uptime seconds' 5 2>/dev/null | sed -n 's/^System uptime: *//p' || true)
    printf '%-9s running (pid %s, root %s, up %s s)\n' asterisk: "$(pid_of "$AST_PIDFILE" || echo '?')" "${R:-/}" "${up:-?}"
  else
    printf '%-9s stopped (root %s)\n' asterisk: "${R:-/}"
    return 3
  fi
}

# ---- the server ---------------------------------------------------------------
server_port() { if [ -n "${CC__HTTP__PORT:-}" ]; then echo "$CC__HTTP__PORT"; else cfg .http.port 8080; fi; }
server_healthy() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$(server_port)/healthz"; }
server_running() { pid_alive "$SERVER_PID" node; }

server_start() {
  if server_running; then echo "server: already running (pid $(pid_of "$SERVER_PID"))"; return 0; fi
  [ -r "$CC_CONFIG" ] || die "server: no config at $CC_CONFIG: run ./install.sh"
  local cmd=(node dist/server/main.js)
  if [ "${CC_SERVER_DEV:-0}" = 1 ]; then
    cmd=(node --import tsx server/main.ts)
  elif [ ! -f "$CC_APP_DIR/dist/server/main.js" ]; then
    die "server: $CC_APP_DIR/dist/server/main.js missing: run make build"
  fi
  local port
  port=$(server_port)
  if server_healthy; then die "server: something else already answers on port $port"; fi
  {
    echo "---- $(date '+%F %T') starting: ${cmd[*]} (CC_CONFIG=$CC_CONFIG)"
  } >>"$SERVER_LOG"
  (cd "$CC_APP_DIR" && exec nohup setsid "${cmd[@]}" </dev/null >>"$SERVER_LOG" 2>&1 9>&-) &
  local pid=$!
  echo "$pid" >"$SERVER_PID"
  local deadline=$(($(date +%s) + 30))
  until server_healthy; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$SERVER_PID"
      show_tail "$SERVER_LOG" 30
      die "server: exited during start"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_tail "$SERVER_LOG" 30
      kill_pidfile "$SERVER_PID" 15 server node
      die "server: http://127.0.0.1:$port/healthz did not answer within 30 s"
    fi
    sleep 0.5
  done
  echo "server: started (pid $pid, http://127.0.0.1:$port)"
}

server_stop() {
  if ! server_running; then rm -f "$SERVER_PID"; echo "server: not running"; return 0; fi
  kill_pidfile "$SERVER_PID" 15 server node
  echo "server: stopped"
}

server_status() {
  if server_running; then
    local h="http not answering"
    server_healthy && h="http answering"
    printf '%-9s running (pid %s, port %s, %s)\n' server: "$(pid_of "$SERVER_PID")" "$(server_port)" "$h"
  else
    printf '%-9s stopped\n' server:
    return 3
  fi
}

# ---- dispatch ---------------------------------------------------------------
do_one() {
  local action=$1 c=$2
  if has_systemd; then
    case $action in
      start) sd_running "$c" && { echo "$c: already running"; return 0; }; sd_start "$c" ;;
      stop) sd_stop "$c" ;;
      status) sd_status "$c"; sd_running "$c" || return 3 ;;
    esac
  else
    "${c}_${action}"
  fi
}

main() {
  local action=${1:-} target=${2:-all} list=() c rc=0
  case $action in
    start | stop | restart | status) ;;
    chroot-prepare) as_root; chroot_prepare; return ;;
    chroot-release) as_root; chroot_release; return ;;
    asterisk-wait) wait_until 60 ast_rx 'core waitfullybooted' 10 || die "asterisk: not fully booted after 60 s"; return ;;
    *) usage ;;
  esac
  case $target in
    all) list=("${COMPONENTS[@]}") ;;
    mariadb | redis | asterisk | server) list=("$target") ;;
    *) usage ;;
  esac
  if [ "$action" = status ]; then
    for c in "${list[@]}"; do do_one status "$c" || rc=3; done
    return "$rc"
  fi
  as_root
  lock
  if [ "$action" = stop ] || [ "$action" = restart ]; then
    for ((i = ${#list[@]} - 1; i >= 0; i--)); do do_one stop "${list[i]}"; done
  fi
  if [ "$action" = start ] || [ "$action" = restart ]; then
    for c in "${list[@]}"; do do_one start "$c"; done
  fi
}

main "$@"
