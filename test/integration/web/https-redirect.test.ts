// HTTPS with the optional plain-HTTP redirect listener (docs/tls.md), opened the way the
// process opens its ports (server/listen.ts) with a self-signed certificate made here:
// plain HTTP answers only with a redirect to the same path over HTTPS, and HTTPS serves
// /healthz with HSTS. Real MariaDB and Redis; no Asterisk connections.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { listen } from '../../../server/listen.js';
import { resetDatabase, testConfig } from '../../support/config.js';

const dir = mkdtempSync('/tmp/cc-tls-test-');
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');
let app: FastifyInstance;
let httpsPort: number;
let redirectPort: number;

/** A port nobody listens on right now (not 18080: the telephony tests' servers use that one). */
async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function get(url: string, method = 'GET'): Promise<Answer> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  // The test's own certificate is the only trusted one: the HTTPS check is real, not skipped.
  const tls = u.protocol === 'https:' ? { ca: readFileSync(certFile) } : {};
  return new Promise((resolve, reject) => {
    const req = send(u, { method, ...tls, headers: { host: `localhost:${u.port}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`${url}: no answer in 5 s`)));
    req.end();
  });
}

describe('HTTPS and the plain-HTTP redirect listener', { timeout: 120000 }, () => {
  before(async () => {
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile]);
    httpsPort = await freePort();
    redirectPort = await freePort();
    const base = testConfig();
    const config = testConfig({
      http: { ...base.http, port: httpsPort, host: '127.0.0.1', publicUrl: `https://localhost:${httpsPort}`, tls: { cert: certFile, key: keyFile }, redirectPort },
    });
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await listen(app, config);
  });

  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers plain HTTP with a permanent redirect to the same path and query over HTTPS, and nothing else', async () => {
    for (const path of ['/', '/login', '/admin/agents?page=2&q=a%20b', '/healthz']) {
      const res = await get(`http://127.0.0.1:${redirectPort}${path}`);
      assert.ok([301, 308].includes(res.status), `${path}: ${res.status}`);
      assert.equal(res.headers.location, `https://localhost:${httpsPort}${path}`);
      assert.equal(res.body, '', 'no page is served over plain HTTP');
    }
    const post = await get(`http://127.0.0.1:${redirectPort}/login`, 'POST');
    assert.ok([301, 308].includes(post.status));
  });

  it('serves /healthz over HTTPS with a certificate the client verifies, and sends HSTS', async () => {
    const res = await get(`https://127.0.0.1:${httpsPort}/healthz`);
    // 503 only because Asterisk is not connected in this test: MariaDB and Redis answered over it.
    assert.ok([200, 503].includes(res.status), `healthz answered ${res.status}`);
    const health = JSON.parse(res.body) as { components: Record<string, { up: boolean }> };
    assert.equal(health.components.mariadb?.up, true, res.body);
    assert.equal(health.components.redis?.up, true, res.body);
    assert.match(String(res.headers['strict-transport-security']), /^max-age=\d{6,}/);
    const page = await get(`https://127.0.0.1:${httpsPort}/login`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['strict-transport-security']), /max-age=15552000/);
  });

  it('does not serve plain HTTP on the HTTPS port', async () => {
    const answer = await get(`http://127.0.0.1:${httpsPort}/healthz`).then((r) => r, (err: Error) => err);
    if (answer instanceof Error) return;
    assert.notEqual(answer.status, 200);
    assert.doesNotMatch(answer.body, /mariadb/);
  });
});
