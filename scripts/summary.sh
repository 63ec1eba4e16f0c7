#!/usr/bin/env bash
# Prints where the suite answers and the demo credentials (to the terminal only, never a log).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
echo
echo "  Web:        http://$(hostname -I 2>/dev/null | awk '{print $1}'):$(cfg http.port)   (config: $CC_CONFIG)"
echo "  Admin:      $(cfg demo.adminUser) / $(cfg demo.adminPassword)"
echo "  Demo DID:   $(cfg demo.did)  (carrier trunk from $(node -e "console.log(require('$CC_CONFIG').trunk.match.join(', '))"))"
echo "  SIP server: $(hostname -I 2>/dev/null | awk '{print $1}'):5060 (UDP)"
node -e "for (const p of require('$CC_CONFIG').phones) console.log('  Phone ' + p.extension + ':  password ' + p.password)"
