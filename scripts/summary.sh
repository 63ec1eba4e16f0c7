#!/usr/bin/env bash
# Prints how to reach the installed suite: web address, admin login, demo
# phones, SIP server, DID and config path. Terminal only: it holds secrets,
# so callers must never send it to a log file.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -r "$CC_CONFIG" ] || die "no config at $CC_CONFIG: run 'make install' first"

# The address others reach this machine at: CC_PUBLIC_HOST, else the first IPv4 address.
host=${CC_PUBLIC_HOST:-$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 -E '^[0-9]+(\.[0-9]+){3}$' || true)}
host=${host:-$(hostname)}
port=$(cfg .http.port 8080)
admin=$(cfg .demo.adminUser admin)
admin_pw=$(cfg .demo.adminPassword '(not set: see demo.adminPassword in the config)')
did=$(cfg .demo.did '')
trunk=$(cfg .trunk.match '["127.0.0.2"]' | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).join(", "))')

echo
echo "Contact center"
echo "  Web:          http://$host:$port   (on this machine: http://localhost:$port)"
echo "  Admin login:  $admin / $admin_pw"
agent_pw=$(cfg .demo.agentPassword '')
if [ -n "$agent_pw" ]; then
  echo "  Agent desks:  http://$host:$port/desk   sign in as agent<extension> (e.g. agent1001) / $agent_pw"
fi
echo "  SIP server:   $host:5060 (UDP)   phones register with extension and password:"
# shellcheck disable=SC2016 # JavaScript, not shell
cfg .phones '[]' | node -e '
  const phones = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (!phones.length) console.log("                (no demo phones in the config)");
  for (const p of phones) console.log(`                ${p.extension} / ${p.password}${p.name ? `   (${p.name})` : ""}`);
'
if [ -n "$did" ]; then
  echo "  Call the DID: $did   (inbound through the carrier trunk, accepted from $trunk)"
fi
echo "  Config:       $CC_CONFIG"
echo
