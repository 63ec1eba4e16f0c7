// Transfers on real calls: blind to an agent, a queue or a number, the desk phone's own
// transfer key (a sipp REFER), attended (complete and cancel) and the three-way conference.
// Each test checks the call events, the interaction, and what Asterisk holds (bridges, CDRs).
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/server-process.js';
import { freshPort, registerPhone, startPhone } from '../../support/sipp.js';
import { startReferPhone } from '../../support/sipp-refer.js';
import {
  agentId, agentState, ari, bridgeMembers, callConnectedTo, config, contactPorts, db, endedRow, eventsWith, hangupLeftovers, live, liveState, liveWhere, mohEvents, parse, pause, phones, post, procs, ready, setup, teardown, types,
} from '../../support/call-control-rig.js';

describe('transfers on real Asterisk', { timeout: 600000 }, () => {
  before(setup);
  after(() => teardown('cc-transfers-server.log'));
  afterEach(hangupLeftovers);

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

  it('a blind transfer the target agent does not answer puts the caller back in its queue, same interaction', async () => {
    const call = await callConnectedTo('1001');
    const port = freshPort() + 34000;
    procs.push(startPhone(port, 'ring'));
    await registerPhone({ extension: '1003', password: phones[2]!.password, contactPort: port });
    try {
      await ready('1003');
      await post(`/api/v1/calls/${call.id}/transfer`, { kind: 'blind', target: { type: 'agent', agent: '1003' } });
      const ev = await eventsWith(call.id, 'transfer-failed');
      assert.deepEqual(ev.find((e) => e.type === 'transfer-failed')!.data.then, 'queue');
      // 1001 is ready again after its wrap-up and takes the caller back (1003, which let it ring, is paused).
      await pause('1003');
      await liveWhere('answered again by 1001', call.id, (l) => l.state === 'connected' && Number(l.agentId) === agentId('1001'), 30000);
      await post(`/api/v1/calls/${call.id}/hangup`);
      const row = await endedRow(call.id);
      assert.equal(row.outcome, 'answered');
      const seq = await types(call.id);
      assert.deepEqual(seq.slice(seq.indexOf('transfer'), seq.indexOf('transfer') + 4), ['transfer', 'transfer-ringing', 'transfer-failed', 'enter-queue']);
      await call.done;
    } finally {
      await registerPhone({ extension: '1003', password: phones[2]!.password, contactPort: contactPorts.get('1003')! });
    }
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
});
