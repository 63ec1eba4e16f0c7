// Call control on real calls: a sipp carrier caller, sipp desk phones 1001-1004 answering,
// our server as a child process, and the REST API the desk page uses: hold, who may act,
// click to dial through the trunk, recording pause and DTMF. Transfers: transfers.test.ts.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/server-process.js';
import { customerPhone } from '../../support/sipp.js';
import { apiSession } from '../../support/api.js';
import {
  CUSTOMER_PORT, deskNotices, agentId, agentState, api, bridgeMembers, callConnectedTo, cli, config, db, endedRow, eventsWith, hangupLeftovers, live, liveState, mohEvents, pause, phones, post, procs, ready, setup, teardown, types,
} from '../../support/call-control-rig.js';

describe('call control on real Asterisk', { timeout: 600000 }, () => {
  before(setup);
  after(() => teardown('cc-call-control-server.log'));
  afterEach(hangupLeftovers);

  it('hold takes the caller out of the bridge onto music on hold; resume brings it back; the hold time is counted', async () => {
    const call = await callConnectedTo('1001');
    const h = await live(call.id);
    // The call is connected (claimed) before both legs are in its bridge: ARI adds them just after.
    const both = [h.agentChannel, h.callerChannel].sort();
    await waitFor('both legs in the bridge', async () => JSON.stringify(await bridgeMembers(call.id)) === JSON.stringify(both), 5000);

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

    const desk = deskNotices.filter((n) => n.interactionId === call.id).map((n) => `${n.agentId}:${n.kind}:${n.state}`);
    assert.deepEqual(desk, [`${agentId('1001')}:hold:held`, `${agentId('1001')}:resume:connected`], 'pushed to the agent\'s desk');
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

  it('click to dial rings the desk phone first, then dials the number through the trunk; recorded and logged as outbound', async () => {
    for (const p of phones) if (p.extension !== '1001') await pause(p.extension);
    await ready('1001');
    const customer = customerPhone(CUSTOMER_PORT, 'answer', 4000);
    procs.push(customer);
    await new Promise((r) => setTimeout(r, 300));
    // An international number: dialled only because a dial rule allows it (toll-fraud protection).
    const rule = await api('POST', '/api/v1/dial-rules', { prefix: '001', action: 'allow', label: 'North America' });
    assert.ok(rule.status === 201 || rule.status === 409, await rule.text());
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
