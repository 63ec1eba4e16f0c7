// A real app (real MariaDB and Redis, no Asterisk connections) seeded with the demo,
// an admin signed in, and Asterisk's sounds directory redirected to a temporary folder
// so prompt files never land in the installed Asterisk.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../../server/app.js';
import type { Config } from '../../../server/core/config.js';
import type { Role } from '../../../server/users/index.js';
import { seededDatabase, testConfig } from '../../support/config.js';

export interface Harness {
  app: FastifyInstance;
  config: Config;
  /** Host path of /var/lib/asterisk/sounds for this test. */
  soundsDir: string;
  cookie: string;
  /** The signed-in admin's CSRF token, for forms and multipart posts. */
  csrf: string;
  /** A JSON request as the signed-in admin. */
  api(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Signs in a new user with this role; returns the session cookie. */
  signInAs(role: Role): Promise<string>;
  close(): Promise<void>;
}

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function signIn(app: FastifyInstance, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const anon = form.cookies.find((c) => c.name === 'cc_session');
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfIn(form.body), username, password }).toString(),
  });
  const set = res.cookies.find((c) => c.name === 'cc_session');
  assert.ok(set, `${username} signed in`);
  const cookie = `cc_session=${set.value}`;
  // Any signed-in page carries the session's token (the sign-out form).
  const page = await app.inject({ method: 'GET', url: '/admin/agents', headers: { cookie } });
  return { cookie, csrf: csrfIn(page.body) };
}

export async function routingHarness(extra: Record<string, unknown> = {}): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'cc-asterisk-root-'));
  const base = testConfig();
  const config = testConfig({ asterisk: { ...base.asterisk, root }, ...extra });
  await seededDatabase(config);
  const app = await buildApp(config, { telephony: false });
  await app.ready();
  let users = 0;
  const signInAs = async (role: Role) => {
    const username = `${role}-${++users}`;
    await app.users.create({ username, password: 'a long password 1', role, displayName: username });
    return (await signIn(app, username, 'a long password 1')).cookie;
  };
  await app.users.create({ username: 'routing-admin', password: 'admin password 1', role: 'admin', displayName: 'Routing Admin' });
  const { cookie, csrf } = await signIn(app, 'routing-admin', 'admin password 1');
  return {
    app, config, cookie, csrf, signInAs,
    soundsDir: join(root, 'var/lib/asterisk/sounds'),
    api: (method, url, body) => app.inject({ method, url, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, payload: body === undefined ? undefined : JSON.stringify(body) }),
    close: async () => {
      await app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A multipart/form-data body the way a browser sends one. */
export function multipart(fields: Record<string, string>, file?: { field: string; filename: string; type: string; data: Buffer }) {
  const boundary = `----cc-test-${Date.now()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A PCM WAV of a tone, at a rate and channel count unlike the telephone format, so conversion shows. */
export function toneWav(ms = 500, rate = 16000, channels = 2): Buffer {
  const samples = Math.round((rate * ms) / 1000);
  const data = Buffer.alloc(samples * channels * 2);
  for (let i = 0; i < samples; i++) {
    const v = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000);
    for (let c = 0; c < channels; c++) data.writeInt16LE(v, (i * channels + c) * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Sample rate, channels and bits of a WAV file's header. */
export function wavFormat(file: Buffer): { rate: number; channels: number; bits: number } {
  assert.equal(file.toString('ascii', 0, 4), 'RIFF');
  return { channels: file.readUInt16LE(22), rate: file.readUInt32LE(24), bits: file.readUInt16LE(34) };
}
