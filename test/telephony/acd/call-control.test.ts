// Call control on real calls: a sipp carrier caller, sipp desk phones 1001-1004 answering,
// our server as a child process, and the REST API the desk page uses. Each test checks the
// call events and the interaction in MariaDB, and what Asterisk itself holds (bridges, channels).
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { testConfig, seededDatabase, TEST_REDIS_DB } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, customerPhone, freshPort } from '../../support/sipp.js';
import { startReferPhone } from '../../support/sipp-refer.js';
import { patchQueue } from '../../support/routing-setup.js';
import { createDb } from '../../../server/core/db.js';
import { apiSession } from '../../support/api.js';
import { AmiConnection, type AmiMessage } from '../../../server/telephony/ami/ami-connection.js';
import { createLogger } from '../../../server/core/logger.js';
import { benchAmi } from '../../../scripts/bench/lib/bench-asterisk.js';
import { hashPassword } from '../../../server/users/password.js';

const config = testConfig();
const db = createDb(config);
const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB });
const phones = config.phones.slice(0, 4);
const CUSTOMER_PORT = freshPort() + 36000;
const procs: ChildProcess[] = [];
const contactPorts = new Map<string, number>();
let server: ServerHandle;
// Asterisk's own word on music on hold: AMI MusicOnHoldStart/Stop, heard on a second AMI
// user (the benchmarks' cc-bench; the server holds the cc user and AMI allows one login each).
const ami = new AmiConnection({ ...benchAmi(config), actionTimeoutMs: 5000 }, createLogger('fatal'));
const amiEvents: AmiMessage[] = [];
const mohEvents = (channel: string) => amiEvents.filter((e) => String(e.event).startsWith('MusicOnHold') && e.channel === channel).map((e) => String(e.event));
let api: Awaited<ReturnType<typeof apiSession>>;
const agentIds = new Map<string, number>();
/** Calls a test started: one that failed half-way must not leave its call to the next test. */
const started: string[] = [];

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, any>;
const events = async (id: string) => (await db('call_events').where({ interaction_id: id }).orderBy('seq')).map((e: any) => ({ ...e, data: parse(e.data) }));
const types = async (id: string) => (await events(id)).map((e) => e.type);
const live = async (id: string) => (await redis.hgetall(`cc:call:${id}`)) as Record<string, any>;
const liveState = (id: string, state: string, timeoutMs = 20000) => waitFor(`call ${id} ${state}`, async () => {
  const h = await live(id);
  return h.state === state ? h : undefined;
}, timeoutMs);
const endedRow = (id: string) => waitFor(`interaction ${id} ended`, async () => {
  const r = await db('interactions').where({ id }).first();
  return r?.ended_at ? r : undefined;
}, 30000);
const eventsWith = async (id: string, type: string) => {
  await waitFor(`${type} event of ${id}`, async () => (await types(id)).includes(type), 15000);
  return events(id);
};
const agentId = (ext: string) => agentIds.get(ext) as number;

/** ARI read-only: what Asterisk holds right now. */
async function ari(path: string): Promise<any> {
  const auth = Buffer.from(`${config.ari.username}:${config.ari.password}`).toString('base64');
  const res = await fetch(`${config.ari.url}/ari${path}`, { headers: { authorization: `Basic ${auth}` } });
  return res.status === 200 ? res.json() : undefined;
}
const bridgeMembers = async (id: string): Promise<string[]> => ((await ari(`/bridges/call-${id}`))?.channels ?? []).sort();
const cli = (cmd: string) => execFileSync('chroot', ['/opt/cc/asterisk-root', 'asterisk', '-rx', cmd]).toString();

async function post(path: string, body: unknown = {}): Promise<any> {
  const res = await api('POST', path, body);
  const text = await res.text();
  assert.ok(res.status < 300, `${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function agentState(ext: string): Promise<string> {
  return ((await (await api('GET', `/api/v1/agents/${agentId(ext)}`)).json()) as { state: string }).state;
}
async function ready(ext: string): Promise<void> {
  await waitFor(`agent ${ext} out of its call`, async () => !['reserved', 'ringing', 'on_call', 'wrap_up'].includes(await agentState(ext)), 20000);
  if ((await agentState(ext)) === 'ready') return;
  const res = await api('POST', `/api/v1/agents/${agentId(ext)}/state`, { state: 'ready' });
  assert.equal(res.status, 200, await res.text());
}
async function pause(ext: string): Promise<void> {
  await waitFor(`agent ${ext} out of its call`, async () => !['reserved', 'ringing', 'on_call', 'wrap_up'].includes(await agentState(ext)), 20000);
  if ((await agentState(ext)) === 'paused') return;
  const res = await api('POST', `/api/v1/agents/${agentId(ext)}/state`, { state: 'paused', reason: 'test' });
  assert.equal(res.status, 200, await res.text());
}

/** Only `ext` is ready: a carrier call reaches that desk phone; resolves once the two are bridged. */
async function callConnectedTo(ext: string): Promise<{ id: string; caller: string; done: Promise<{ code: number | null; stderr: string }> }> {
  for (const p of phones) if (p.extension !== ext) await pause(p.extension);
  await ready(ext);
  const caller = `86139${Date.now() % 1000000}`;
  const done = carrierCall({ did: config.demo.did, caller, talkMs: 0, steps: [], hangupBy: 'far-end' });
  const row = await waitFor(`interaction of ${caller}`, async () => db('interactions').where({ caller_number: caller }).first(), 20000);
  started.push(row.id);
  await liveState(row.id, 'connected');
  return { id: row.id, caller, done };
}

describe('call control on real Asterisk', { timeout: 600000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await patchQueue(db, config.demo.queue, { ringTimeoutSec: 10, wrapUpSec: 1, announceEverySec: 0 });
    for (const p of phones) agentIds.set(p.extension, (await db('agents').where({ extension: p.extension }).first('id')).id);
    // Agent users: each may control only the call on its own desk phone.
    for (const ext of ['1001', '1002']) {
      const [id] = await db('users').insert({ username: `agent${ext}`, password_hash: await hashPassword('agent-password-1'), role: 'agent', display_name: `Agent ${ext}`, locale: 'en' });
      await db('agents').where({ extension: ext }).update({ user_id: id });
    }
    server = startServer({ CC__DEMO__READY_AGENTS: '[]', CC__TRUNK__OUTBOUND: `127.0.0.2:${CUSTOMER_PORT}` });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    for (const p of phones) {
      const port = freshPort() + 34000;
      contactPorts.set(p.extension, port);
      procs.push(startPhone(port, 'answer'));
      await registerPhone({ extension: p.extension, password: p.password, contactPort: port });
    }
    api = await apiSession(config.demo.adminUser, 'test-admin-password');
    ami.on('event', (e: AmiMessage) => amiEvents.push(e));
    const up = new Promise((resolve) => ami.once('connected', resolve));
    ami.start();
    await up;
  });

  after(async () => {
    for (const p of procs) p.kill();
    await server?.stop();
    await ami.stop();
    writeFileSync(join(tmpdir(), 'cc-call-control-server.log'), server?.log() ?? '');
    redis.disconnect();
    await db.destroy();
  });

  afterEach(async () => {
    for (const id of started.splice(0)) {
      const h = await live(id);
      if (h.state && h.state !== 'ended' && h.agentChannel) await api('POST', `/api/v1/calls/${id}/hangup`, {});
    }
  });

  it('hold takes the caller out of the bridge onto music on hold; resume brings it back; the hold time is counted', async () => {
    const call = await callConnectedTo('1001');
    const h = await live(call.id);
    assert.deepEqual(await bridgeMembers(call.id), [h.agentChannel, h.callerChannel].sort());

    const held = await post(`/api/v1/calls/${call.id}/hold`);
    assert.equal(held.state, 'held');
    assert.deepEqual(await bridgeMembers(call.id), [h.agentChannel], 'only the agent is left in the bridge');
    assert.match(cli(`core show channel ${h.callerChannelName}`), /Bridge ID: \(Not bridged\)/);
    await waitFor('MusicOnHoldStart on the caller', async () => mohEvents(h.callerChannelName).at(-1) === 'MusicOnHoldStart', 5000);
    await new Promise((r) => setTimeout(r, 1500));
    const resumed = await post(`/api/v1/calls/${call.id}/resume`);
    assert.equal(resumed.state, 'connected');
    assert.ok(resumed.holdMs >= 1400, `hold ${resumed.holdMs} ms`);
    assert.deepEqual(await bridgeMembers(call.id), [h.agentChannel, h.callerChannel].sort());
    await waitFor('MusicOnHoldStop on the caller', async () => mohEvents(h.callerChannelName).at(-1) === 'MusicOnHoldStop', 5000);

    const hung = await post(`/api/v1/calls/${call.id}/hangup`);
    assert.equal(hung.interactionId, call.id);
    const row = await endedRow(call.id);
    assert.equal(row.outcome, 'answered');
    assert.ok(row.hold_ms >= 1400 && row.hold_ms < 5000, `hold_ms ${row.hold_ms}`);
    const ev = await eventsWith(call.id, 'complete');
    const seq = ev.map((e) => e.type);
    assert.deepEqual(seq.slice(seq.indexOf('connect')), ['connect', 'hold', 'resume', 'hangup', 'complete']);
    assert.ok(ev.find((e) => e.type === 'resume')!.data.heldMs >= 1400);
    assert.equal((await call.done).code, 0, 'the caller heard our BYE after the page hung up');
  });
  it('an agent user controls its own call only; bad requests get clear errors', async () => {
    const call = await callConnectedTo('1001');
    const as1001 = await apiSession('agent1001', 'agent-password-1');
    const as1002 = await apiSession('agent1002', 'agent-password-1');
    const other = await as1002('POST', `/api/v1/calls/${call.id}/hold`, {});
    assert.equal(other.status, 403);
    assert.equal(((await other.json()) as any).error.code, 'not-your-call');
    const unknown = await as1001('POST', '/api/v1/calls/00000000-0000-0000-0000-000000000000/hold', {});
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as any).error.code, 'call-not-found');
    const notHeld = await as1001('POST', `/api/v1/calls/${call.id}/resume`, {});
    assert.equal(notHeld.status, 409);
    assert.equal(((await notHeld.json()) as any).error.code, 'wrong-call-state');
    const bad = await as1001('POST', `/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'number', number: '1002@evil.example' } });
    assert.equal(bad.status, 400, await bad.clone().text());
    const busy = await as1001('POST', `/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'agent', agent: '1003' } });
    assert.equal(busy.status, 409, 'a paused agent is not offered a transfer');
    assert.equal(((await busy.json()) as any).error.code, 'agent-unavailable');
    const mine = await as1001('POST', `/api/v1/calls/${call.id}/hold`, {});
    assert.equal(mine.status, 200, await mine.clone().text());
    const hung = await as1001('POST', `/api/v1/calls/${call.id}/hangup`, {});
    assert.equal(hung.status, 200);
    assert.equal((await endedRow(call.id)).outcome, 'answered');
    await call.done;
  });

  it('a blind transfer to another agent rings that desk phone as an offer; the interaction id and linkedid stay', async () => {
    const call = await callConnectedTo('1001');
    await ready('1002');
    const res = await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'agent', agent: '1002' } });
    assert.ok(['transferring', 'connected'].includes(res.state), res.state);
    const h = await liveState(call.id, 'connected');
    assert.equal(Number(h.agentId), agentId('1002'));
    assert.match(h.agentChannel, /^xfer-1-/);
    assert.equal(h.handledBy, `${agentId('1001')},${agentId('1002')}`);
    assert.deepEqual(await bridgeMembers(call.id), [h.agentChannel, h.callerChannel].sort());
    await waitFor('first agent out of its call', async () => ['wrap_up', 'ready'].includes(await agentState('1001')), 5000);
    assert.equal(await agentState('1002'), 'on_call');
    await post(`/api/v1/calls/${call.id}/hangup`);
    const row = await endedRow(call.id);
    assert.equal(row.outcome, 'answered');
    assert.equal(row.agent_id, agentId('1002'));
    assert.deepEqual(parse(row.handled_by), [agentId('1001'), agentId('1002')]);
    const ev = await eventsWith(call.id, 'complete');
    const seq = ev.map((e) => e.type);
    assert.deepEqual(seq.slice(seq.indexOf('connect')), ['connect', 'transfer', 'transfer-ringing', 'transfer-connect', 'hangup', 'complete']);
    const transfer = ev.find((e) => e.type === 'transfer')!;
    assert.deepEqual(transfer.data, { kind: 'blind', by: 'page', from: { agentId: agentId('1001') }, to: { type: 'agent', agentId: agentId('1002'), number: '1002' } });
    const cdrs = await waitFor('CDR legs of both agents', async () => {
      const rows = await db('cdrs').where({ linkedid: row.linkedid });
      return rows.some((c: any) => c.dstchannel?.startsWith('PJSIP/1002-') && c.disposition === 'ANSWERED') ? rows : undefined;
    }, 20000);
    assert.ok(cdrs.some((c: any) => c.dstchannel?.startsWith('PJSIP/1001-')), 'the first agent leg is under the same linkedid');
    await call.done;
  });

  it('a transfer to a queue puts the caller back in line with the same interaction; the next agent answers', async () => {
    const call = await callConnectedTo('1001');
    await ready('1002');
    const res = await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'queue', queue: config.demo.queue } });
    assert.ok(['waiting', 'offering', 'connected'].includes(res.state), res.state);
    await waitFor('answered by 1002', async () => {
      const l = await live(call.id);
      return l.state === 'connected' && l.handledBy === `${agentId('1001')},${agentId('1002')}` ? l : undefined;
    }, 20000);
    await post(`/api/v1/calls/${call.id}/hangup`);
    const row = await endedRow(call.id);
    assert.equal(row.outcome, 'answered');
    assert.equal(row.agent_id, agentId('1002'));
    const ev = await eventsWith(call.id, 'complete');
    const seq = ev.map((e) => e.type);
    assert.deepEqual(seq.slice(seq.indexOf('transfer')), ['transfer', 'enter-queue', 'offer', 'connect', 'hangup', 'complete']);
    assert.deepEqual(ev.find((e) => e.type === 'transfer')!.data.to, { type: 'queue', queue: config.demo.queue });
    assert.equal(ev.filter((e) => e.type === 'connect').at(-1)!.data.transferred, true);
    await waitFor('recording indexed', async () => db('recordings').where({ interaction_id: call.id }).first(), 20000);
    const recs = await db('recordings').where({ interaction_id: call.id });
    assert.equal(recs.length, 1, 'one recording: the caller kept its MixMonitor across the transfer');
    await call.done;
  });

  it('a blind transfer to a number rings that extension directly', async () => {
    const call = await callConnectedTo('1001');
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'number', number: '1004' } });
    const h = await liveState(call.id, 'connected');
    assert.equal(h.agentId, undefined, 'a number is nobody of ours');
    assert.match(h.agentChannel, /^xfer-/);
    const channels = await ari('/channels');
    assert.ok(channels.some((c: any) => c.id === h.agentChannel && c.name.startsWith('PJSIP/1004-')));
    await post(`/api/v1/calls/${call.id}/hangup`);
    const ev = await eventsWith(call.id, 'complete');
    assert.deepEqual(ev.find((e) => e.type === 'transfer')!.data.to, { type: 'number', number: '1004' });
    await call.done;
  });

  it("the desk phone's own transfer key (REFER) transfers to another agent; the phone hears the outcome", async () => {
    await pause('1001');
    const port = freshPort() + 34000;
    const referPhone = startReferPhone(port, { extension: '1001', referTo: '1002', afterMs: 2000 });
    procs.push(referPhone.proc);
    await registerPhone({ extension: '1001', password: phones[0]!.password, contactPort: port });
    try {
      const call = await callConnectedTo('1001');
      await ready('1002');
      const h = await waitFor('answered by 1002 after the REFER', async () => {
        const l = await live(call.id);
        return l.state === 'connected' && Number(l.agentId) === agentId('1002') ? l : undefined;
      }, 20000);
      assert.ok(h.agentChannel.startsWith('xfer-'));
      await post(`/api/v1/calls/${call.id}/hangup`);
      const ev = await eventsWith(call.id, 'complete');
      const transfer = ev.find((e) => e.type === 'transfer')!;
      assert.equal(transfer.data.by, 'phone');
      assert.deepEqual(transfer.data.to, { type: 'agent', agentId: agentId('1002'), number: '1002' });
      const sip = referPhone.messages();
      assert.match(sip, /SIP\/2\.0 202 Accepted/);
      assert.match(sip, /NOTIFY sip:[\s\S]*SIP\/2\.0 200 OK/, 'a NOTIFY carried the sipfrag 200 OK of the finished transfer');
      await call.done;
    } finally {
      await registerPhone({ extension: '1001', password: phones[0]!.password, contactPort: contactPorts.get('1001')! });
    }
  });

  it('click to dial rings the desk phone first, then dials the number through the trunk; recorded and logged as outbound', async () => {
    for (const p of phones) if (p.extension !== '1001') await pause(p.extension);
    await ready('1001');
    const customer = customerPhone(CUSTOMER_PORT, 'answer', 4000);
    procs.push(customer);
    await new Promise((r) => setTimeout(r, 300));
    const res = await api('POST', '/api/v1/calls/dial', { number: '+1 555 700 3000', agentId: agentId('1001') });
    assert.equal(res.status, 201, await res.clone().text());
    const { interactionId } = (await res.json()) as { interactionId: string };
    await liveState(interactionId, 'connected', 20000);
    assert.equal(await agentState('1001'), 'on_call');
    const row = await endedRow(interactionId);
    assert.equal(row.direction, 'outbound');
    assert.equal(row.caller_number, '15557003000');
    assert.equal(row.outcome, 'answered');
    assert.equal(row.agent_id, agentId('1001'));
    assert.ok(row.talk_ms >= 3000, `talk ${row.talk_ms}`);
    assert.deepEqual(await types(interactionId), ['dial', 'connect', 'complete']);
    const rec = await waitFor('recording indexed', async () => db('recordings').where({ interaction_id: interactionId }).first(), 20000);
    assert.ok(rec.size_bytes > 44);
    const cdrs = await waitFor('CDR through the trunk', async () => {
      const rows = await db('cdrs').where({ linkedid: row.linkedid });
      return rows.some((c: any) => c.dstchannel?.startsWith(`PJSIP/${config.trunk.name}-`)) ? rows : undefined;
    }, 20000);
    assert.ok(cdrs.length >= 1);
    await waitFor('wrap-up, then ready', async () => ['wrap_up', 'ready'].includes(await agentState('1001')), 5000);
    const refused = await api('POST', '/api/v1/calls/dial', { number: '555; drop table', agentId: agentId('1001') });
    assert.equal(refused.status, 400);
  });

  it('an attended transfer holds the caller while the agents talk, then completes: caller and target bridged, agent released', async () => {
    const call = await callConnectedTo('1001');
    await ready('1002');
    const consulting = await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'attended', target: { type: 'agent', agent: '1002' } });
    assert.equal(consulting.state, 'consulting');
    const h = await waitFor('target answered', async () => {
      const l = await live(call.id);
      return l.xferAnsweredAt ? l : undefined;
    }, 15000);
    assert.deepEqual(await bridgeMembers(call.id), [h.agentChannel, h.xferChannel].sort(), 'agent and target talk; the caller is out');
    await waitFor('caller on music', async () => mohEvents(h.callerChannelName).at(-1) === 'MusicOnHoldStart', 5000);
    const done = await post(`/api/v1/calls/${call.id}/complete-transfer`);
    assert.equal(done.state, 'connected');
    assert.equal(done.agentId, agentId('1002'));
    assert.deepEqual(await bridgeMembers(call.id), [h.callerChannel, h.xferChannel].sort());
    await waitFor('first agent released', async () => ['wrap_up', 'ready'].includes(await agentState('1001')), 5000);
    await post(`/api/v1/calls/${call.id}/hangup`);
    const row = await endedRow(call.id);
    assert.deepEqual(parse(row.handled_by), [agentId('1001'), agentId('1002')]);
    assert.ok(row.hold_ms > 0, 'the consultation held the caller');
    const seq = await types(call.id);
    assert.deepEqual(seq.slice(seq.indexOf('transfer')), ['transfer', 'transfer-ringing', 'transfer-connect', 'transfer-complete', 'hangup', 'complete']);
    await call.done;
  });

  it('an attended transfer cancelled goes back to the caller; the target agent is free again', async () => {
    const call = await callConnectedTo('1001');
    await ready('1002');
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'attended', target: { type: 'agent', agent: '1002' } });
    const h = await waitFor('target answered', async () => {
      const l = await live(call.id);
      return l.xferAnsweredAt ? l : undefined;
    }, 15000);
    const back = await post(`/api/v1/calls/${call.id}/cancel-transfer`);
    assert.equal(back.state, 'connected');
    assert.equal(back.agentId, agentId('1001'));
    assert.deepEqual(await bridgeMembers(call.id), [h.agentChannel, h.callerChannel].sort());
    await waitFor('target agent out of the call', async () => ['wrap_up', 'ready'].includes(await agentState('1002')), 5000);
    await post(`/api/v1/calls/${call.id}/hangup`);
    const row = await endedRow(call.id);
    assert.equal(row.agent_id, agentId('1001'));
    const seq = await types(call.id);
    assert.deepEqual(seq.slice(seq.indexOf('transfer')), ['transfer', 'transfer-ringing', 'transfer-connect', 'transfer-cancel', 'hangup', 'complete']);
    await call.done;
  });

  it('a conference puts all three in the bridge; the agent leaves and the other two go on', async () => {
    const call = await callConnectedTo('1001');
    await ready('1002');
    await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'attended', target: { type: 'agent', agent: '1002' } });
    const h = await waitFor('target answered', async () => {
      const l = await live(call.id);
      return l.xferAnsweredAt ? l : undefined;
    }, 15000);
    const conf = await post(`/api/v1/calls/${call.id}/conference`);
    assert.equal(conf.state, 'conference');
    assert.deepEqual(await bridgeMembers(call.id), [h.agentChannel, h.callerChannel, h.xferChannel].sort());
    const left = await post(`/api/v1/calls/${call.id}/complete-transfer`);
    assert.equal(left.state, 'connected');
    assert.equal(left.agentId, agentId('1002'));
    assert.deepEqual(await bridgeMembers(call.id), [h.callerChannel, h.xferChannel].sort());
    await post(`/api/v1/calls/${call.id}/hangup`);
    const seq = (await eventsWith(call.id, 'complete')).map((e) => e.type);
    assert.deepEqual(seq.slice(seq.indexOf('transfer')), ['transfer', 'transfer-ringing', 'transfer-connect', 'conference', 'conference-leave', 'hangup', 'complete']);
    await call.done;
  });

  it('the recording pauses and resumes, and DTMF goes to the caller, each a call event', async () => {
    const call = await callConnectedTo('1001');
    await waitFor('recording started', async () => (await live(call.id)).recordingPath, 5000);
    const paused = await post(`/api/v1/calls/${call.id}/recording/pause`);
    assert.equal(paused.recordingPaused, true);
    await new Promise((r) => setTimeout(r, 500));
    const resumed = await post(`/api/v1/calls/${call.id}/recording/resume`);
    assert.equal(resumed.recordingPaused, false);
    await post(`/api/v1/calls/${call.id}/dtmf`, { digits: '12#' });
    await post(`/api/v1/calls/${call.id}/hangup`);
    const ev = await eventsWith(call.id, 'complete');
    const seq = ev.map((e) => e.type);
    assert.deepEqual(seq.slice(seq.indexOf('connect')), ['connect', 'recording-paused', 'recording-resumed', 'dtmf', 'hangup', 'complete']);
    assert.equal(ev.find((e) => e.type === 'dtmf')!.data.count, 3);
    assert.equal(JSON.stringify(ev).includes('12#'), false, 'the digits themselves are not stored');
    await call.done;
  });
});
