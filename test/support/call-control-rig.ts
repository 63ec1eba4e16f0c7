// The rig of the call-control telephony tests: a server with four answering sipp desk
// phones (1001-1004, agents of the same numbers, 1001 and 1002 with agent users), a
// customer phone behind the trunk, AMI events from a second AMI user, and small readers
// of what the call looks like in Redis, MariaDB and Asterisk.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { testConfig, seededDatabase, TEST_REDIS_DB } from './config.js';
import { startServer, healthz, waitFor, type ServerHandle } from './server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from './sipp.js';
import { patchQueue } from './routing-setup.js';
import { apiSession } from './api.js';
import { createDb } from '../../server/core/db.js';
import { AmiConnection, type AmiMessage } from '../../server/telephony/ami/ami-connection.js';
import { createLogger } from '../../server/core/logger.js';
import { hashPassword } from '../../server/users/password.js';
import { keys } from '../../server/live/keys.js';
import { benchAmi } from '../../scripts/bench/lib/bench-asterisk.js';

export const config = testConfig();
export const db = createDb(config);
const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB, lazyConnect: true });
export const phones = config.phones.slice(0, 4);
export const CUSTOMER_PORT = freshPort() + 36000;
export const procs: ChildProcess[] = [];
export const contactPorts = new Map<string, number>();
const agentIds = new Map<string, number>();
/** Calls a test started: one that failed half-way must not leave its call to the next test. */
const started: string[] = [];
let server: ServerHandle;
/** The logs of servers a test stopped to start another (restartServer), kept for teardown's file. */
let earlierLogs = '';
let session: Awaited<ReturnType<typeof apiSession>>;
// Asterisk's own word on music on hold: AMI MusicOnHoldStart/Stop, heard on a second AMI
// user (the benchmarks' cc-bench; the server holds the cc user and AMI allows one login each).
const ami = new AmiConnection({ ...benchAmi(config), actionTimeoutMs: 5000 }, createLogger('fatal'));
const amiEvents: AmiMessage[] = [];
// What the desk pages hear: the live bus's 'desk' topic (pub/sub channel named per Redis db).
const deskSub = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB, lazyConnect: true });
export const deskNotices: Array<Record<string, any>> = [];

export const api = (method: string, path: string, body?: unknown) => session(method, path, body);
export const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, any>;
export const events = async (id: string) => (await db('call_events').where({ interaction_id: id }).orderBy('seq')).map((e: any) => ({ ...e, data: parse(e.data) }));
export const types = async (id: string) => (await events(id)).map((e) => e.type as string);
export const live = async (id: string) => (await redis.hgetall(`cc:call:${id}`)) as Record<string, any>;
/** The outside-call slots counted now (server/acd/outbound/outbound-cap.ts): `<call>|<agent>|<leg>`. */
export const outboundSlots = () => redis.zrange(keys.outboundSlots(), '0', '-1');
export const agentId = (ext: string) => agentIds.get(ext) as number;
export const mohEvents = (channel: string) => amiEvents.filter((e) => String(e.event).startsWith('MusicOnHold') && e.channel === channel).map((e) => String(e.event));
export { asteriskCli as cli } from './asterisk-cli.js';

export const liveState = (id: string, state: string, timeoutMs = 20000) => waitFor(`call ${id} ${state}`, async () => {
  const h = await live(id);
  return h.state === state ? h : undefined;
}, timeoutMs);
export const liveWhere = (what: string, id: string, ok: (h: Record<string, any>) => boolean, timeoutMs = 20000) => waitFor(what, async () => {
  const h = await live(id);
  return ok(h) ? h : undefined;
}, timeoutMs);
export const endedRow = (id: string) => waitFor(`interaction ${id} ended`, async () => {
  const r = await db('interactions').where({ id }).first();
  return r?.ended_at ? r : undefined;
}, 30000);
export const eventsWith = async (id: string, type: string) => {
  await waitFor(`${type} event of ${id}`, async () => (await types(id)).includes(type), 15000);
  return events(id);
};

/** ARI, read-only: what Asterisk holds right now. */
export async function ari(path: string): Promise<any> {
  const auth = Buffer.from(`${config.ari.username}:${config.ari.password}`).toString('base64');
  const res = await fetch(`${config.ari.url}/ari${path}`, { headers: { authorization: `Basic ${auth}` } });
  return res.status === 200 ? res.json() : undefined;
}
export const bridgeMembers = async (id: string): Promise<string[]> => ((await ari(`/bridges/call-${id}`))?.channels ?? []).sort();

export async function post(path: string, body: unknown = {}): Promise<any> {
  const res = await api('POST', path, body);
  const text = await res.text();
  assert.ok(res.status < 300, `${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

export async function agentState(ext: string): Promise<string> {
  return ((await (await api('GET', `/api/v1/agents/${agentId(ext)}`)).json()) as { state: string }).state;
}
const outOfCall = (ext: string) => waitFor(`agent ${ext} out of its call`, async () => !['reserved', 'ringing', 'on_call', 'wrap_up'].includes(await agentState(ext)), 20000);

export async function ready(ext: string): Promise<void> {
  await outOfCall(ext);
  if ((await agentState(ext)) === 'ready') return;
  const res = await api('POST', `/api/v1/agents/${agentId(ext)}/state`, { state: 'ready' });
  assert.equal(res.status, 200, await res.text());
}
export async function pause(ext: string): Promise<void> {
  await outOfCall(ext);
  if ((await agentState(ext)) === 'paused') return;
  const res = await api('POST', `/api/v1/agents/${agentId(ext)}/state`, { state: 'paused', reason: 'break' });
  assert.equal(res.status, 200, await res.text());
}

/** Only `ext` is ready: a carrier call reaches that desk phone; resolves once the two are bridged. */
export async function callConnectedTo(ext: string): Promise<{ id: string; caller: string; done: Promise<{ code: number | null; stderr: string }> }> {
  for (const p of phones) if (p.extension !== ext) await pause(p.extension);
  await ready(ext);
  const caller = `86139${Date.now() % 1000000}`;
  // The caller waits for our BYE: the tests end their calls from the page (hang up).
  const done = carrierCall({ did: config.demo.did, caller, talkMs: 0, steps: [], hangupBy: 'far-end' });
  const row = await waitFor(`interaction of ${caller}`, async () => db('interactions').where({ caller_number: caller }).first(), 20000);
  started.push(row.id);
  await liveState(row.id, 'connected');
  return { id: row.id, caller, done };
}

/** The rig's server, with settings a test adds to the rig's own (e.g. CC__OUTBOUND__MAX_TOTAL). */
async function startRigServer(extraEnv: Record<string, string>): Promise<void> {
  server = startServer({ CC__DEMO__READY_AGENTS: '[]', CC__TRUNK__OUTBOUND: `127.0.0.2:${CUSTOMER_PORT}`, ...extraEnv });
  await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
}

/**
 * Stops the server and starts it again with other settings; the sipp phones stay
 * registered in Asterisk, and the admin signs in again.
 */
export async function restartServer(extraEnv: Record<string, string>): Promise<void> {
  await server.stop();
  earlierLogs += server.log();
  await startRigServer(extraEnv);
  session = await apiSession(config.demo.adminUser, 'test-admin-password');
}

/** The rig as it is; `before(setup)` hands setup node:test's context, so settings go through setupWith. */
export const setup = (): Promise<void> => setupWith({});

/** The rig with settings added to its server's environment. */
export async function setupWith(extraEnv: Record<string, string>): Promise<void> {
  await seededDatabase(config);
  await redis.connect();
  await deskSub.connect();
  deskSub.on('message', (_channel: string, message: string) => deskNotices.push(JSON.parse(message) as Record<string, any>));
  await deskSub.subscribe(`cc:events:desk:db${TEST_REDIS_DB}`);
  await patchQueue(db, config.demo.queue, { ringTimeoutSec: 10, wrapUpSec: 1, announceEverySec: 0 });
  for (const p of phones) agentIds.set(p.extension, (await db('agents').where({ extension: p.extension }).first('id')).id);
  // Agent users: each may control only the call on its own desk phone.
  for (const ext of ['1001', '1002']) {
    const [id] = await db('users').insert({ username: `agent${ext}`, password_hash: await hashPassword('agent-password-1'), role: 'agent', display_name: `Agent ${ext}`, locale: 'en' });
    await db('agents').where({ extension: ext }).update({ user_id: id });
  }
  await startRigServer(extraEnv);
  for (const p of phones) {
    const port = freshPort() + 34000;
    contactPorts.set(p.extension, port);
    procs.push(startPhone(port, 'answer'));
    await registerPhone({ extension: p.extension, password: p.password, contactPort: port });
  }
  session = await apiSession(config.demo.adminUser, 'test-admin-password');
  ami.on('event', (e: AmiMessage) => amiEvents.push(e));
  const up = new Promise((resolve) => ami.once('connected', resolve));
  ami.start();
  await up;
}

/** After each test: a call it left up is hung up from the page. */
export async function hangupLeftovers(): Promise<void> {
  for (const id of started.splice(0)) {
    const h = await live(id);
    if (h.state && h.state !== 'ended' && h.agentChannel) await api('POST', `/api/v1/calls/${id}/hangup`, {});
  }
}

export async function teardown(logName: string): Promise<void> {
  for (const p of procs) p.kill();
  await server?.stop();
  await ami.stop();
  // Kept for whoever reads a failure: the server's own account of the calls.
  writeFileSync(join(tmpdir(), logName), earlierLogs + (server?.log() ?? ''));
  redis.disconnect();
  deskSub.disconnect();
  await db.destroy();
}
