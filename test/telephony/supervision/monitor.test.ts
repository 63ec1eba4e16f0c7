// Listen, whisper and barge with real phones, checked by what each phone really receives.
// The caller (carrier sipp), the agent's desk phone (1001) and the supervisor's desk phone
// (1004) are sipp for SIP only; their audio is this test's own RTP sockets, each sending
// a tone of its own (caller 450 Hz, agent 1050 Hz, supervisor 1650 Hz). Who hears whom is
// read from the RTP Asterisk sends each phone (Goertzel per tone), not from our own state.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { testConfig, seededDatabase, TEST_REDIS_DB } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, freshPort } from '../../support/sipp.js';
import { mediaCaller, mediaPhone } from '../../support/sipp-media.js';
import { RtpParty } from '../../support/rtp.js';
import { apiSession } from '../../support/api.js';
import { serverErrors } from '../../support/logs.js';
import { createDb } from '../../../server/core/db.js';
import { hashPassword } from '../../../server/users/password.js';

const config = testConfig();
const db = createDb(config);
const agentPhone = config.phones[0]!;
const supPhone = config.phones[3]!;
const SUPERVISOR = { username: 'floor-super', password: 'floor super password' };

const caller = new RtpParty('caller', 450, '127.0.0.2');
const agent = new RtpParty('agent', 1050, '127.0.0.1');
const sup = new RtpParty('supervisor', 1650, '127.0.0.1');
const everyone = [caller, agent, sup];
// Tones are sent at 6000; a tone heard arrives near that, one not heard is noise (< 100 measured).
const HEARD = 2000;
const NOT_HEARD = 400;

let server: ServerHandle;
const phones: ChildProcess[] = [];
let api: Awaited<ReturnType<typeof apiSession>>;
const notices: Array<{ kind: string; id: number; mode: string; state: string; endReason?: string }> = [];
const sub = new Redis({ host: config.redis.host, port: config.redis.port, lazyConnect: true });

const ari = async (path: string, method = 'GET') => {
  const auth = Buffer.from(`${config.ari.username}:${config.ari.password}`).toString('base64');
  const res = await fetch(`${config.ari.url}/ari${path}`, { method, headers: { authorization: `Basic ${auth}` } });
  return res.status === 204 ? undefined : res.json();
};
const channelIds = async () => ((await ari('/channels')) as Array<{ id: string }>).map((c) => c.id);
const bridges = async () => (await ari('/bridges')) as Array<{ id: string; channels: string[] }>;
const ours = (ids: string[], session: number) => ids.filter((id) => id.startsWith(`sup-${session}-`) || id.startsWith(`snoop-${session}-`) || id === `mon-${session}`);

async function placeCall(talkMs: number): Promise<{ interactionId: string; callerChannel: string; proc: ChildProcess }> {
  const number = `86150${Date.now() % 1000000}`;
  const proc = mediaCaller({ did: config.demo.did, caller: number, mediaPort: caller.port, talkMs });
  const row = await waitFor('call connected to the agent', async () => {
    const r = await db('interactions').where({ caller_number: number }).first();
    return r?.answered_at ? r : undefined;
  }, 30000);
  return { interactionId: row.id, callerChannel: row.linkedid, proc };
}

/** What each party hears over one second and a half, after letting a change settle. */
async function hearing(): Promise<Record<string, Record<string, number>>> {
  await new Promise((r) => setTimeout(r, 800));
  const [c, a, s] = await Promise.all(everyone.map((p) => p.listen(1500, everyone)));
  return { caller: c!, agent: a!, supervisor: s! };
}

/** `expected[listener]` names whom the listener must hear; everyone else (and itself) it must not. */
function assertHearing(got: Record<string, Record<string, number>>, expected: Record<string, string[]>, what: string): void {
  for (const [listener, heard] of Object.entries(expected)) {
    for (const party of everyone.map((p) => p.name)) {
      const amp = got[listener]![party]!;
      if (heard.includes(party)) assert.ok(amp > HEARD, `${what}: ${listener} should hear ${party} (${amp}); all: ${JSON.stringify(got)}`);
      else assert.ok(amp < NOT_HEARD, `${what}: ${listener} must not hear ${party} (${amp}); all: ${JSON.stringify(got)}`);
    }
  }
}

async function session(id: number) {
  return (await api('GET', `/api/v1/monitor/${id}`)).json();
}

async function startPhone(extension: string, password: string, mediaPort: number, hangupAfterMs?: number): Promise<ChildProcess> {
  const port = freshPort() + 30000;
  const proc = mediaPhone({ port, mediaPort, hangupAfterMs });
  phones.push(proc);
  await registerPhone({ extension, password, contactPort: port });
  return proc;
}

describe('supervisor listen, whisper and barge on a sipp call', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await db('users').insert({ username: SUPERVISOR.username, password_hash: await hashPassword(SUPERVISOR.password), role: 'supervisor', display_name: 'Floor Supervisor' });
    for (const p of everyone) await p.open();
    await sub.connect();
    await sub.select(TEST_REDIS_DB);
    await sub.subscribe(`cc:events:monitor:db${TEST_REDIS_DB}`);
    sub.on('message', (_ch, msg: string) => notices.push(JSON.parse(msg)));
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([agentPhone.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    await startPhone(agentPhone.extension, agentPhone.password, agent.port);
    await startPhone(supPhone.extension, supPhone.password, sup.port);
    api = await apiSession(SUPERVISOR.username, SUPERVISOR.password);
    await waitFor('both desk phones registered', async () => {
      const list = (await (await api('GET', '/api/v1/agents')).json()) as Array<{ extension: string; registered: boolean }>;
      return [agentPhone.extension, supPhone.extension].every((e) => list.find((a) => a.extension === e)?.registered);
    });
  });

  after(async () => {
    for (const p of phones) p.kill();
    for (const p of everyone) p.close();
    sub.disconnect();
    await server?.stop();
    await db.destroy();
  });

  it('rings the supervisor, then listen, whisper, barge and back to listen change who hears whom without redialling; the call ending ends it all, audited', async (t) => {
    const call = await placeCall(120000);
    assertHearing(await hearing(), { caller: ['agent'], agent: ['caller'], supervisor: [] }, 'before monitoring');

    const started = await api('POST', '/api/v1/monitor', { interactionId: call.interactionId, mode: 'listen', extension: supPhone.extension });
    assert.equal(started.status, 201, await started.clone().text());
    const { id, state } = await started.json();
    assert.equal(state, 'ringing');
    await waitFor('supervisor answered', async () => (await session(id)).state === 'active');
    const supChannel = `sup-${id}-${call.interactionId}`;

    const listen = await hearing();
    t.diagnostic(`listen: ${JSON.stringify(listen)}`);
    assertHearing(listen, { caller: ['agent'], agent: ['caller'], supervisor: ['caller', 'agent'] }, 'listen');
    const monBridge = (await bridges()).find((b) => b.id === `mon-${id}`);
    assert.deepEqual(monBridge?.channels.sort(), [`snoop-${id}-1`, supChannel].sort(), 'listen: supervisor and one snoop in the monitor bridge');

    assert.equal((await api('PATCH', `/api/v1/monitor/${id}`, { mode: 'whisper' })).status, 200);
    const whisper = await hearing();
    t.diagnostic(`whisper: ${JSON.stringify(whisper)}`);
    assertHearing(whisper, { caller: ['agent'], agent: ['caller', 'supervisor'], supervisor: ['caller', 'agent'] }, 'whisper');
    assert.deepEqual(ours(await channelIds(), id).sort(), [`snoop-${id}-2`, supChannel].sort(), 'whisper: the listen snoop is gone, the same supervisor leg stays');

    assert.equal((await api('PATCH', `/api/v1/monitor/${id}`, { mode: 'barge' })).status, 200);
    const barge = await hearing();
    t.diagnostic(`barge: ${JSON.stringify(barge)}`);
    assertHearing(barge, { caller: ['agent', 'supervisor'], agent: ['caller', 'supervisor'], supervisor: ['caller', 'agent'] }, 'barge');
    assert.ok((await bridges()).find((b) => b.id === `call-${call.interactionId}`)?.channels.includes(supChannel), 'barge: supervisor in the call bridge');
    assert.deepEqual(ours(await channelIds(), id), [supChannel], 'barge: no snoop left');

    assert.equal((await api('PATCH', `/api/v1/monitor/${id}`, { mode: 'listen' })).status, 200);
    const back = await hearing();
    t.diagnostic(`back to listen: ${JSON.stringify(back)}`);
    assertHearing(back, { caller: ['agent'], agent: ['caller'], supervisor: ['caller', 'agent'] }, 'back to listen');

    // The carrier drops the caller: the call ends, and with it the monitoring.
    await ari(`/channels/${call.callerChannel}`, 'DELETE');
    const ended = await waitFor('monitoring ended with the call', async () => {
      const s = await session(id);
      return s.state === 'ended' ? s : undefined;
    });
    assert.equal(ended.endReason, 'call-ended');
    await waitFor('nothing of the session left in Asterisk', async () => ours([...(await channelIds()), ...(await bridges()).map((b) => b.id)], id).length === 0);
    assert.deepEqual(notices.filter((n) => n.id === id).map((n) => n.kind), ['started', 'answered', 'mode', 'mode', 'mode', 'ended']);

    const rows = await waitFor('audit rows', async () => {
      const r = await db('audit_log').where({ target_type: 'interaction', target_id: call.interactionId }).orderBy('id');
      return r.length >= 5 ? r : undefined;
    });
    const supUser = await db('users').where({ username: SUPERVISOR.username }).first();
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    assert.deepEqual(rows.map((r: any) => r.action), ['monitor.start', 'monitor.mode', 'monitor.mode', 'monitor.mode', 'monitor.stop']);
    assert.deepEqual(rows.slice(0, 4).map((r: any) => r.actor_user_id), [supUser.id, supUser.id, supUser.id, supUser.id]);
    assert.deepEqual(rows.slice(1, 4).map((r: any) => `${json(r.before_json).mode}>${json(r.after_json).mode}`), ['listen>whisper', 'whisper>barge', 'barge>listen']);
    assert.equal(rows[4].actor_username, 'system');
    assert.equal(json(rows[4].after_json).reason, 'call-ended');
    assert.equal(json(rows[0].after_json).extension, supPhone.extension);
  });

  it('the supervisor hanging up ends the monitoring and leaves the call as it was', async (t) => {
    for (const p of phones.splice(1)) p.kill();
    await startPhone(supPhone.extension, supPhone.password, sup.port, 6000);
    const call = await placeCall(120000);
    // Named by the agent, as the agent board does: the session finds the agent's call.
    const agentId = (await db('agents').where({ extension: agentPhone.extension }).first()).id;
    const res = await api('POST', '/api/v1/monitor', { agentId, mode: 'whisper', extension: supPhone.extension });
    assert.equal(res.status, 201);
    const { id, interactionId } = await res.json();
    assert.equal(interactionId, call.interactionId);
    await waitFor('supervisor answered', async () => (await session(id)).state === 'active');
    assertHearing(await hearing(), { caller: ['agent'], agent: ['caller', 'supervisor'], supervisor: ['caller', 'agent'] }, 'whisper');

    const ended = await waitFor('supervisor hung up', async () => {
      const s = await session(id);
      return s.state === 'ended' ? s : undefined;
    }, 15000);
    assert.equal(ended.endReason, 'supervisor-hung-up');
    await waitFor('nothing of the session left in Asterisk', async () => ours([...(await channelIds()), ...(await bridges()).map((b) => b.id)], id).length === 0);
    const after = await hearing();
    t.diagnostic(`after the supervisor left: ${JSON.stringify(after)}`);
    assertHearing(after, { caller: ['agent'], agent: ['caller'] }, 'after the supervisor left');
    assert.equal((await db('interactions').where({ id: call.interactionId }).first()).ended_at, null, 'the call goes on');
    assert.equal((await api('DELETE', `/api/v1/monitor/${id}`)).status, 200, 'stopping an ended session is a no-op');
    const stop = await waitFor('stop row', () => db('audit_log').where({ target_id: call.interactionId, action: 'monitor.stop' }).first());
    assert.equal(stop.actor_username, SUPERVISOR.username);

    await ari(`/channels/${call.callerChannel}`, 'DELETE');
    await waitFor('call ended', async () => (await db('interactions').where({ id: call.interactionId }).first()).ended_at);
    assert.deepEqual(serverErrors(server.log()), []);
  });
});
