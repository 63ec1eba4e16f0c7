// The stuck-reservation sweep against real Redis and MariaDB. Asterisk's side is the
// channel list the sweep asks the telephony port for: here, the ids a test says exist.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import { keys } from '../../../server/live/keys.js';
import { ReservationSweeper, type Repair } from '../../../server/acd/reservation-sweeper.js';
import { agentChannelId } from '../../../server/acd/matcher.js';
import type { LiveCall } from '../../../server/acd/live-calls.js';
import type { ChannelInfo } from '../../../server/telephony/index.js';

const GRACE_MS = 10_000;
let h: Harness;
let agent = 0;
let channels = new Set<string>();
let ended: string[] = [];
let rematched: string[] = [];
let sweeper: ReservationSweeper;

const d = () => h.app.acd.deps;
const later = () => Date.now() + GRACE_MS + 1000;
const channelList = async (): Promise<ChannelInfo[]> => [...channels].map((id) => ({ id, name: id, state: 'Up', caller: { number: '', name: '' } }));

/** Ready, registered and in the routing store's ready sets, as the Stasis owner leaves it. */
async function readyAgent(id: number): Promise<void> {
  const a = await h.app.agents.get(id);
  await h.app.redis.hset(keys.device(`PJSIP/${a.extension}`), 'registered', '1', 'deviceState', 'NOT_INUSE');
  assert.ok(await h.app.agents.move(id, 'logged_out', 'ready'));
  assert.ok(await d().agentRouting.sync(id));
}

/** A caller waiting in support (channel alive), its interaction opened. */
async function waitingCall(score: number): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await h.app.interactions.open({ id, direction: 'inbound', callerNumber: '5550100', callerName: null, did: '5551000', linkedid: `caller-${id}`, asteriskSystem: 'test', enteredAt: now });
  await d().live.save({
    id, state: 'waiting', callerChannel: `caller-${id}`, callerChannelName: `PJSIP/carrier-${id}`, callerNumber: '5550100',
    did: '5551000', queue: 'support', enteredAt: now.toISOString(), queuedAt: now.toISOString(), score, minLevel: 1,
  });
  await d().routing.enqueue(id, 'support', score, 1);
  channels.add(`caller-${id}`);
  return id;
}

/** What the pick leaves: the agent reserved, the call out of every waiting set. */
async function reserve(callId: string): Promise<void> {
  const r = await d().routing.pickForQueue('support', 'longest_idle');
  assert.equal(r?.callId, callId);
  assert.equal(r?.agentId, agent);
}

/** What the offer leaves when it got as far as ringing the agent's phone. */
async function ringing(callId: string): Promise<string> {
  await reserve(callId);
  const channelId = agentChannelId(agent, callId, 1);
  assert.ok(await d().live.move(callId, 'waiting', 'offering'));
  await d().live.patch(callId, { agentId: agent, agentChannel: channelId, offers: 1 });
  await d().live.linkChannel(channelId, callId);
  assert.ok(await h.app.agents.move(agent, 'reserved', 'ringing', { interactionId: callId }));
  return channelId;
}

const waitingScore = async (callId: string) => h.app.redis.zscore(keys.queueWaiting('support'), callId);
const eventsOf = async (callId: string) => (await h.app.interactions.events(callId)).filter((e) => e.type === 'recovered');
const kinds = (repairs: Repair[]) => repairs.map((r) => r.kind).sort();

describe('stuck reservation sweep', () => {
  before(async () => {
    h = await routingHarness();
    agent = (await h.app.db('agents').where({ number: h.config.phones[0]?.extension }).first('id')).id;
    sweeper = new ReservationSweeper({
      calls: { listChannels: channelList }, agents: h.app.agents, interactions: h.app.interactions, live: d().live, callbacks: d().callbacks.live, routing: d().routing,
      end: async (call: LiveCall) => {
        ended.push(call.id);
        await d().routing.remove(call.id);
        await d().live.move(call.id, call.state, 'ended');
        await d().live.finish(call);
      },
      rematch: async (q) => void rematched.push(q), serial: (_key, fn) => fn(), graceMs: GRACE_MS, log: d().log,
    });
  });

  beforeEach(async () => {
    channels = new Set();
    ended = [];
    rematched = [];
    for (const id of await d().live.activeIds()) {
      await d().routing.remove(id);
      await h.app.redis.srem(keys.callsActive(), id);
    }
    const cur = await h.app.agents.liveState(agent);
    if (cur.state !== 'logged_out') assert.ok(await h.app.agents.move(agent, cur.state, 'logged_out'));
    await d().routing.agentNotReady(agent);
    await readyAgent(agent);
  });

  after(async () => {
    await h?.close();
  });

  it('given a server that died between reserve and offer, the caller goes back to its place and the agent is ready again', async () => {
    const score = Date.now() - 30_000;
    const callId = await waitingCall(score);
    await reserve(callId);
    assert.equal(await waitingScore(callId), null, 'the reservation took the call out of its set');

    const repairs = await sweeper.sweep(later());

    assert.deepEqual(kinds(repairs), ['agent-freed', 'call-requeued']);
    assert.equal(Number(await waitingScore(callId)), score, 'same virtual time');
    assert.equal(await d().routing.offeredTo(callId), undefined);
    assert.equal((await d().live.get(callId))?.state, 'waiting');
    assert.equal((await h.app.agents.liveState(agent)).state, 'ready');
    assert.deepEqual(rematched, ['support']);
    const events = await eventsOf(callId);
    assert.deepEqual(events.map((e) => (e.data as { repair: string }).repair).sort(), ['agent-freed', 'stuck-reservation']);
    assert.ok(events.every((e) => e.agent_id === agent));
  });

  it('a reservation younger than the grace is an offer being set up: left alone', async () => {
    const callId = await waitingCall(Date.now());
    await reserve(callId);
    assert.deepEqual(await sweeper.sweep(Date.now()), []);
    assert.equal((await h.app.agents.liveState(agent)).state, 'reserved');
    assert.equal(await waitingScore(callId), null);
  });

  it('an offer whose agent leg vanished without an event: caller back in its place, agent ready, no miss counted', async () => {
    const score = Date.now() - 5000;
    const callId = await waitingCall(score);
    await ringing(callId);

    const repairs = await sweeper.sweep(later());

    assert.deepEqual(kinds(repairs), ['agent-freed', 'call-requeued']);
    const call = await d().live.get(callId);
    assert.equal(call?.state, 'waiting');
    assert.equal(call?.agentChannel, undefined);
    assert.equal(call?.agentId, undefined);
    assert.equal(Number(await waitingScore(callId)), score);
    assert.equal((await h.app.agents.liveState(agent)).state, 'ready');
    assert.equal(await h.app.redis.get(keys.agentMisses(agent)), null);
  });

  it('an agent rung as the target of a transfer (its xfer leg alive) is left alone; once the leg is gone it is freed', async () => {
    const callId = await waitingCall(Date.now());
    await d().routing.remove(callId);
    assert.ok(await d().live.move(callId, 'waiting', 'offering'));
    assert.ok(await d().live.move(callId, 'offering', 'connected'));
    assert.ok(await d().live.move(callId, 'connected', 'transferring'));
    const leg = `xfer-1-${callId}`;
    await d().live.patch(callId, { xferAgentId: agent, xferChannel: leg });
    assert.ok(await h.app.agents.move(agent, 'ready', 'reserved'));
    assert.ok(await h.app.agents.move(agent, 'reserved', 'ringing', { interactionId: callId }));
    channels.add(leg);
    assert.deepEqual(await sweeper.sweep(later()), []);
    assert.equal((await h.app.agents.liveState(agent)).state, 'ringing');
    channels.delete(leg);
    assert.deepEqual(kinds(await sweeper.sweep(later())), ['agent-freed']);
    assert.equal((await h.app.agents.liveState(agent)).state, 'ready');
  });

  it('an offer still ringing on a live channel is left alone however long it rings', async () => {
    const callId = await waitingCall(Date.now());
    channels.add(await ringing(callId));
    assert.deepEqual(await sweeper.sweep(later()), []);
    assert.equal((await d().live.get(callId))?.state, 'offering');
    assert.equal((await h.app.agents.liveState(agent)).state, 'ringing');
  });

  it('an agent ringing for a callback on a live channel is left alone', async () => {
    const id = randomUUID();
    const agentChannel = `agent-${agent}-1-cb-${id}`;
    await d().callbacks.live.save({
      id, state: 'offering', queue: 'support', number: '5550101000', did: '', language: 'en', score: Date.now(), minLevel: 1,
      attempts: 0, offers: 1, requestedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 3600_000).toISOString(), agentId: agent, agentChannel,
    });
    await d().routing.enqueue(`cb-${id}`, 'support', Date.now(), 1);
    const r = await d().routing.pickForQueue('support', 'longest_idle');
    assert.equal(r?.callId, `cb-${id}`);
    assert.ok(await h.app.agents.move(agent, 'reserved', 'ringing', { interactionId: id }));
    channels.add(agentChannel);
    assert.deepEqual(await sweeper.sweep(later()), []);
    assert.equal((await h.app.agents.liveState(agent)).state, 'ringing');
    channels.delete(agentChannel);
    assert.deepEqual(kinds(await sweeper.sweep(later())), ['agent-freed'], 'and freed once its channel is gone');
    await d().callbacks.live.finish(id);
  });

  it('a caller that is gone as well is ended, and its agent freed', async () => {
    const callId = await waitingCall(Date.now());
    await reserve(callId);
    channels.delete(`caller-${callId}`);
    const repairs = await sweeper.sweep(later());
    assert.deepEqual(kinds(repairs), ['agent-freed', 'call-ended']);
    assert.deepEqual(ended, [callId]);
    assert.equal(await waitingScore(callId), null);
    assert.equal((await h.app.agents.liveState(agent)).state, 'ready');
  });

  it('an agent reserved for a call that no longer exists is ready again', async () => {
    const callId = await waitingCall(Date.now());
    await reserve(callId);
    await d().routing.remove(callId);
    await h.app.redis.srem(keys.callsActive(), callId);
    await h.app.redis.del(keys.call(callId));
    assert.deepEqual(kinds(await sweeper.sweep(later())), ['agent-freed']);
    const st = await h.app.agents.liveState(agent);
    assert.equal(st.state, 'ready');
    assert.ok(await h.app.redis.sismember(keys.agentsReady(), String(agent)));
  });

  it('a call whose routing record expired is put back from its live record, same score and queues', async () => {
    const score = Date.now() - 60_000;
    const callId = await waitingCall(score);
    await reserve(callId);
    await d().live.patch(callId, { alsoIn: 'billing' });
    await h.app.redis.del(keys.routingCall(callId));
    // The record is gone, so only the agent's reservation still points at the call.
    assert.deepEqual(kinds(await sweeper.sweep(later())), ['agent-freed']);
    // The live call says offering to that agent: the next sweep finds it without an offer.
    await d().live.move(callId, 'waiting', 'offering');
    await d().live.patch(callId, { agentId: agent, agentChannel: agentChannelId(agent, callId, 1) });
    assert.deepEqual(kinds(await sweeper.sweep(later())), ['call-requeued']);
    assert.equal(Number(await waitingScore(callId)), score);
    assert.equal(Number(await h.app.redis.zscore(keys.queueWaiting('billing'), callId)), score);
  });
});
