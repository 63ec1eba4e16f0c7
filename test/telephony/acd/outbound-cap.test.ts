// The caps on concurrent outside calls (toll fraud, server/acd/outbound/outbound-cap.ts) on
// real calls: sipp desk phones 1001 and 1002 (agent users) click to dial through the trunk
// to a sipp customer line on 127.0.0.2, which logs every INVITE it receives. Over a cap the
// API answers 429 outbound-limit and nothing is dialled (no INVITE, no new Asterisk
// channel); the slots in Redis go back to 0 whoever hangs up.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/server-process.js';
import { customerLine } from '../../support/sipp.js';
import { apiSession } from '../../support/api.js';
import {
  CUSTOMER_PORT, agentId, agentState, api, bridgeMembers, cli, db, endedRow, live, liveState, outboundSlots, pause, procs, ready, restartServer, setupWith, teardown, types,
} from '../../support/call-control-rig.js';

type Session = Awaited<ReturnType<typeof apiSession>>;

// A number ending in 9 is one whose customer hangs up first (customerLine); others stay until our BYE.
let line: ReturnType<typeof customerLine>;
/** Calls a test dialled: one it left up (a failure half-way) is hung up after it. */
const dialled: string[] = [];
const digitsOf = (n: string) => n.replace(/[^0-9]/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Asterisk's own channels now, by name (only our calls run: the telephony lock is held). */
const channels = () => cli('core show channels concise').split('\n').filter((l) => l.includes('!')).map((l) => l.split('!')[0] as string).sort();
const slotsBackToZero = (what: string) => waitFor(`no outside call counted after ${what}`, async () => (await outboundSlots()).length === 0, 15000);

async function dial(as: Session, number: string): Promise<string> {
  const res = await as('POST', '/api/v1/calls/dial', { number });
  assert.equal(res.status, 201, await res.clone().text());
  const { interactionId } = (await res.json()) as { interactionId: string };
  dialled.push(interactionId);
  return interactionId;
}

/** The request is refused over the cap named by `limit`, with a message naming the setting. */
async function refused(res: Response, limit: 'agent' | 'total', setting: RegExp): Promise<void> {
  const body = (await res.json()) as { error: { code: string; message: string; details?: { limit?: string } } };
  assert.equal(res.status, 429, JSON.stringify(body));
  assert.equal(body.error.code, 'outbound-limit');
  assert.equal(body.error.details?.limit, limit);
  assert.match(body.error.message, setting);
}

/** Nothing was dialled for `number`: no INVITE reached the customer line, no channel came or went in Asterisk. */
async function nothingDialled(number: string, channelsBefore: string[]): Promise<void> {
  await sleep(1500);
  assert.equal(line.invites(digitsOf(number)), 0, `no INVITE for ${number}`);
  assert.deepEqual(channels(), channelsBefore, 'no new channel in Asterisk');
  assert.equal(await db('interactions').where({ caller_number: digitsOf(number) }).count({ n: '*' }).first().then((r: any) => Number(r.n)), 0, 'no interaction opened');
}

async function agentsReady(): Promise<void> {
  for (const ext of ['1003', '1004']) await pause(ext);
  for (const ext of ['1001', '1002']) await ready(ext);
}

describe('outside-call caps on real calls', { timeout: 600000 }, () => {
  let asA: Session;
  let asB: Session;

  before(async () => {
    line = customerLine(CUSTOMER_PORT, 3000);
    procs.push(line.proc);
    await setupWith({ CC__OUTBOUND__MAX_TOTAL: '1', CC__OUTBOUND__MAX_PER_AGENT: '0' });
    // +1 numbers are international: dialled only because a dial rule allows them.
    const rule = await api('POST', '/api/v1/dial-rules', { prefix: '001', action: 'allow', label: 'North America' });
    assert.ok(rule.status === 201 || rule.status === 409, await rule.text());
    asA = await apiSession('agent1001', 'agent-password-1');
    asB = await apiSession('agent1002', 'agent-password-1');
  });
  after(() => teardown('cc-outbound-cap-server.log'));
  afterEach(async () => {
    for (const id of dialled.splice(0)) {
      const h = await live(id);
      if (h.state && h.state !== 'ended') await api('POST', `/api/v1/calls/${id}/hangup`, {});
    }
  });

  it('maxTotal 1: while agent A\'s outside call is up, agent B\'s click to dial is refused and nothing is dialled; after A hangs up B dials', async () => {
    await agentsReady();
    const first = await dial(asA, '+1 555 700 3000');
    await liveState(first, 'connected');
    assert.deepEqual(await outboundSlots(), [`${first}|${agentId('1001')}|dial`]);
    assert.equal(line.invites('15557003000'), 1);

    const before = channels();
    assert.equal(before.length, 2, `A's two legs: ${before.join(', ')}`);
    await refused(await asB('POST', '/api/v1/calls/dial', { number: '+1 555 700 3109' }), 'total', /outbound\.maxTotal 1/);
    await nothingDialled('+1 555 700 3109', before);
    assert.equal(await agentState('1002'), 'ready', 'B\'s desk phone was not rung');
    assert.equal((await outboundSlots()).length, 1);
    assert.equal((await live(first)).state, 'connected', 'A\'s call is untouched');

    // The agent hangs up: the slot is given back.
    const hung = await asA('POST', `/api/v1/calls/${first}/hangup`, {});
    assert.equal(hung.status, 200, await hung.clone().text());
    assert.equal((await endedRow(first)).outcome, 'answered');
    await slotsBackToZero('the agent\'s hang-up');

    // The customer answers B's call now, then hangs up first: the slot is given back too.
    await ready('1002');
    const second = await dial(asB, '+1 555 700 3109');
    await liveState(second, 'connected');
    assert.deepEqual(await outboundSlots(), [`${second}|${agentId('1002')}|dial`]);
    assert.equal(line.invites('15557003109'), 1);
    const row = await endedRow(second);
    assert.equal(row.outcome, 'answered');
    assert.ok(row.talk_ms >= 2500, `the customer talked ${row.talk_ms} ms before hanging up`);
    assert.deepEqual(await types(second), ['dial', 'connect', 'complete']);
    await slotsBackToZero('the customer\'s hang-up');
  });

  it('maxPerAgent 1: a transfer or conference to a number, or a second dial, from the agent\'s outside call is refused and the call stays up; another agent still dials', async () => {
    await restartServer({ CC__OUTBOUND__MAX_PER_AGENT: '1', CC__OUTBOUND__MAX_TOTAL: '30' });
    asA = await apiSession('agent1001', 'agent-password-1');
    asB = await apiSession('agent1002', 'agent-password-1');
    await agentsReady();
    const call = await dial(asA, '+1 555 700 3200');
    const h = await liveState(call, 'connected');
    const members = await bridgeMembers(call);
    assert.deepEqual(members, [h.agentChannel, h.callerChannel].sort());
    const before = channels();

    const outside = { type: 'number', number: '+1 555 700 3300' };
    await refused(await asA('POST', `/api/v1/calls/${call}/transfer`, { kind: 'blind', target: outside }), 'agent', /outbound\.maxPerAgent 1/);
    await refused(await asA('POST', `/api/v1/calls/${call}/transfer`, { kind: 'attended', target: outside }), 'agent', /outbound\.maxPerAgent 1/);
    await refused(await asA('POST', `/api/v1/calls/${call}/conference`, { target: outside }), 'agent', /outbound\.maxPerAgent 1/);
    await refused(await asA('POST', '/api/v1/calls/dial', { number: '+1 555 700 3301' }), 'agent', /outbound\.maxPerAgent 1/);
    await nothingDialled('+1 555 700 3300', before);
    assert.equal(line.invites('15557003301'), 0);
    const after = await live(call);
    assert.equal(after.state, 'connected', 'the first call stays up');
    assert.equal(after.xferChannel, undefined, 'no transfer leg');
    assert.deepEqual(await bridgeMembers(call), members, 'caller and agent still bridged');
    assert.deepEqual(await types(call), ['dial', 'connect'], 'no transfer was recorded');
    assert.deepEqual(await outboundSlots(), [`${call}|${agentId('1001')}|dial`]);

    // The cap is A's alone: B dials meanwhile, and B's customer hanging up frees B's slot only.
    const other = await dial(asB, '+1 555 700 3409');
    await liveState(other, 'connected');
    assert.equal((await outboundSlots()).length, 2);
    await endedRow(other);
    await waitFor('B\'s slot given back', async () => (await outboundSlots()).join() === `${call}|${agentId('1001')}|dial`, 15000);

    const hung = await asA('POST', `/api/v1/calls/${call}/hangup`, {});
    assert.equal(hung.status, 200, await hung.clone().text());
    await endedRow(call);
    await slotsBackToZero('the agent\'s hang-up');

    // A's slot is free again: a new click to dial goes through, and its customer hangs up first.
    await ready('1001');
    const again = await dial(asA, '+1 555 700 3209');
    await liveState(again, 'connected');
    assert.equal(line.invites('15557003209'), 1);
    assert.equal((await endedRow(again)).outcome, 'answered');
    await slotsBackToZero('the customer\'s hang-up');
  });
});
