// Creates the installed configuration with fresh secrets, once. An existing file is
// never overwritten (install.sh runs this on every install); missing keys that later
// versions add are filled in, existing values are kept.
import { existsSync, readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { validateConfig, DEFAULT_CONFIG_PATH } from '../server/core/config.js';
import { createFieldCipher, generateDataKey } from '../server/core/field-crypto.js';

const secret = (bytes = 24) => randomBytes(bytes).toString('base64url');

/** The data key sensitive customer fields are sealed with (server/core/field-crypto.ts), named by its day. */
function dataKey(): { dataKeyId: string; dataKeys: Record<string, string> } {
  const id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  return { dataKeyId: id, dataKeys: { [id]: generateDataKey() } };
}

function fresh(): Record<string, unknown> {
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'cc';
  return {
    instanceName: `${host}-${randomBytes(3).toString('hex')}`,
    http: { port: 8080, publicUrl: `http://localhost:8080` },
    db: { password: secret() },
    ari: { password: secret() },
    ami: { password: secret() },
    asterisk: { root: process.env.CC_ASTERISK_ROOT ?? '/opt/cc/asterisk-root' },
    session: { secret: secret(32) },
    security: dataKey(),
    demo: { enabled: true, did: '5551000', queue: 'support', flow: 'main', readyAgents: ['1001', '1002', '1003', '1004'], adminUser: 'admin', adminPassword: secret(9), agentPassword: secret(9) },
    trunk: { name: 'carrier', match: ['127.0.0.2'] },
    phones: ['1001', '1002', '1003', '1004'].map((extension, i) => ({ extension, password: secret(12), name: `Agent ${i + 1}` })),
  };
}

function fillMissing(existing: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out = { ...existing };
  for (const [k, v] of Object.entries(defaults)) {
    if (!(k in out)) out[k] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object') {
      out[k] = fillMissing(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    }
  }
  return out;
}

const path = process.env.CC_CONFIG ?? DEFAULT_CONFIG_PATH;
const existing = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : undefined;
const next = existing ? fillMissing(existing, fresh()) : fresh();
// An existing security section is never filled in: a generated key next to the configured
// ones would be unused noise, and a replaced one would leave sealed values unreadable.
if (existing?.security) next.security = existing.security;
createFieldCipher(validateConfig(next));
const text = `${JSON.stringify(next, null, 2)}\n`;
if (!existing || text !== `${JSON.stringify(existing, null, 2)}\n`) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, text, { mode: 0o600 });
  process.stdout.write(`${existing ? 'updated' : 'created'} ${path}\n`);
} else {
  process.stdout.write(`kept ${path}\n`);
}
chmodSync(path, 0o600);
