// The desk phone's own attended transfer: the agent's phone (sipp as 1001) holds the
// caller, calls 1002 itself through the dialplan, then sends REFER with Replaces naming
// that second call. The caller must end up talking to 1002 in the call's own bridge, with
// the same interaction, 1002 counted as the next handler and 1001 in wrap-up.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/server-process.js';
import { freshPort, registerPhone } from '../../support/sipp.js';
import { startAttendedPhone } from '../../support/sipp-attended.js';
import {
  agentId, ari, bridgeMembers, callConnectedTo, contactPorts, db, endedRow, eventsWith, hangupLeftovers, live, mohEvents, parse, pause, phones, post, procs, ready, setup, teardown,
} from '../../support/call-control-rig.js';

const stateLog = (ext: string, since: Date) => db('agent_state_log').where({ agent_id: agentId(ext) }).andWhere('at', '>=', since).orderBy([{ column: 'at' }, { column: 'seq' }]);

describe('attended transfer from the desk phone (REFER with Replaces) on real Asterisk', { timeout: 300000 }, () => {
  before(setup);
  after(() => teardown('cc-attended-refer-server.log'));
  afterEach(hangupLeftovers);

  it('the party the phone consulted takes the caller in the call bridge; same interaction, agent to wrap-up', async () => {
    await pause('1001');
    const port = freshPort() + 34000;
    const phone = startAttendedPhone(port, { extension: '1001', password: phones[0]!.password, target: '1002', afterMs: 1500 });
    procs.push(phone.proc);
    await registerPhone({ extension: '1001', password: phones[0]!.password, contactPort: port });
    try {
      const since = new Date(Date.now() - 1000);
      const call = await callConnectedTo('1001');
      await ready('1002');
      const first = await live(call.id);
      const h = await waitFor('1002 took the call after the REFER', async () => {
        const l = await live(call.id);
        return l.state === 'connected' && Number(l.agentId) === agentId('1002') ? l : undefined;
      }, 30000);
      assert.notEqual(h.agentChannel, first.agentChannel, 'the agent leg is now the consulted phone');
      const channels = await ari('/channels');
      const target = channels.find((c: any) => c.id === h.agentChannel);
      assert.ok(target?.name.startsWith('PJSIP/1002-'), `the new agent leg is 1002's phone: ${target?.name}`);
      assert.deepEqual(await bridgeMembers(call.id), [h.callerChannel, h.agentChannel].sort(), 'caller and 1002 talk in the call bridge');
      assert.ok(!channels.some((c: any) => c.id === first.agentChannel), '1001\'s agent leg is hung up');
      await waitFor('the phone\'s consult leg hung up', async () => !(await ari('/channels')).some((c: any) => c.name.startsWith('PJSIP/1001-')), 10000);
      // The phone's hold (re-INVITE sendonly) played music to the caller; the hand-over ends it.
      const moh = await waitFor('hold music over', async () => {
        const m = mohEvents(h.callerChannelName);
        return m.at(-1) === 'MusicOnHoldStop' ? m : undefined;
      }, 5000);
      assert.ok(moh.includes('MusicOnHoldStart'), `the phone's hold reached the caller: ${moh.join(',')}`);
      await waitFor('1001 went to wrap-up', async () => (await stateLog('1001', since)).some((r: any) => r.from_state === 'on_call' && r.to_state === 'wrap_up'), 10000);
      const rows1002 = await stateLog('1002', since);
      assert.ok(rows1002.some((r: any) => r.to_state === 'on_call' && r.interaction_id === call.id), '1002 is on this call');

      await post(`/api/v1/calls/${call.id}/hangup`);
      const row = await endedRow(call.id);
      assert.equal(row.outcome, 'answered');
      assert.equal(row.agent_id, agentId('1002'));
      assert.deepEqual(parse(row.handled_by), [agentId('1001'), agentId('1002')]);
      assert.equal((await db('interactions').where({ caller_number: call.caller })).length, 1, 'one interaction for the caller');
      const ev = await eventsWith(call.id, 'complete');
      const seq = ev.map((e) => e.type);
      assert.deepEqual(seq.slice(seq.indexOf('connect')), ['connect', 'transfer', 'transfer-complete', 'hangup', 'complete']);
      const transfer = ev.find((e) => e.type === 'transfer')!;
      assert.deepEqual(transfer.data, { kind: 'attended', by: 'phone', phase: 'replaces', from: { agentId: agentId('1001') }, to: { type: 'agent', agentId: agentId('1002'), number: '1002', extension: '1002' } });
      const complete = ev.find((e) => e.type === 'transfer-complete')!;
      assert.equal(complete.data.kind, 'attended');
      assert.equal(complete.data.by, 'phone');
      assert.deepEqual(complete.data.from, { agentId: agentId('1001') });
      const sip = phone.messages();
      assert.match(sip, /REFER sip:[^\n]*\n[\s\S]*Replaces=consult/, 'the phone sent a REFER with Replaces');
      assert.match(sip, /SIP\/2\.0 202 Accepted/);
      assert.match(sip, /NOTIFY sip:[\s\S]*SIP\/2\.0 200 OK/, 'a NOTIFY carried the sipfrag 200 OK of the finished transfer');
      await call.done;
    } finally {
      await registerPhone({ extension: '1001', password: phones[0]!.password, contactPort: contactPorts.get('1001')! });
    }
  });
});
