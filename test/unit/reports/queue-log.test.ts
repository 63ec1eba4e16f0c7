import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallLines, type QlCallEvent } from '../../../server/reports/queue-log/call-lines.js';
import { AgentLines, type QlStateChange } from '../../../server/reports/queue-log/agent-lines.js';
import { formatLine } from '../../../server/reports/queue-log/queue-log-lines.js';

// Calls written by hand as the ACD records them, and the queue_log lines app_queue would
// have written for the same calls.

const T0 = Date.parse('2026-11-21T09:00:00Z');
const EPOCH = T0 / 1000;
const ID = '11111111-2222-3333-4444-555555555555';
const agents: Record<number, string> = { 7: '1001', 8: '1002' };
const agentName = (id: number | null | undefined) => (id && agents[id] ? `Agent/${agents[id]}` : 'NONE');

let seq = 0;
/** An event `sec` seconds after T0 in queue support. */
const ev = (sec: number, type: string, data: Record<string, unknown> | null = null, agentId: number | null = null): QlCallEvent =>
  ({ interactionId: ID, seq: ++seq, type, at: T0 + sec * 1000, queue: 'support', agentId, data, callerNumber: '8613800000001' });

function logOf(events: QlCallEvent[]): string[] {
  const calls = new CallLines(agentName);
  return events.flatMap((e) => calls.lines(e)).map((l) => formatLine(l).trimEnd());
}

const line = (sec: number, rest: string) => `${EPOCH + sec}|${ID}|support|${rest}`;

describe('call events as queue_log lines', () => {
  it('an answered call the caller ends: ENTERQUEUE, CONNECT with wait and ring time, COMPLETECALLER with talk time', () => {
    assert.deepEqual(logOf([
      ev(0, 'enter', { did: '5551000' }),
      ev(2, 'enter-queue', { priority: 0, score: 1, position: 1 }),
      ev(10, 'offer', { attempt: 1 }, 7),
      ev(14, 'connect', { waitMs: 12000 }, 7),
      ev(74, 'complete', { by: 'caller', outcome: 'answered' }, 7),
      ev(80, 'survey-score', { score: 4 }, 7),
    ]), [
      line(2, 'NONE|ENTERQUEUE||8613800000001|1'),
      line(14, 'Agent/1001|CONNECT|12||4'),
      line(74, 'Agent/1001|COMPLETECALLER|12|60|1'),
    ]);
  });

  it('the agent hanging up writes COMPLETEAGENT', () => {
    const log = logOf([ev(0, 'enter-queue', { position: 2 }), ev(5, 'offer', {}, 7), ev(6, 'connect', { waitMs: 6000 }, 7), ev(36, 'complete', { by: 'agent', outcome: 'answered' }, 7)]);
    assert.equal(log.at(-1), line(36, 'Agent/1001|COMPLETEAGENT|6|30|2'));
  });

  it('a caller who gives up while waiting: ABANDON with its place, first place and wait', () => {
    assert.deepEqual(logOf([
      ev(0, 'enter-queue', { position: 3 }),
      ev(45, 'abandon', { by: 'caller', outcome: 'abandoned', waitMs: 45200, position: 1 }),
    ]), [line(0, 'NONE|ENTERQUEUE||8613800000001|3'), line(45, 'NONE|ABANDON|1|3|45')]);
  });

  it('a hang-up in the greeting before the queue writes nothing', () => {
    assert.deepEqual(logOf([ev(0, 'greeting'), ev(2, 'abandon', { by: 'caller', outcome: 'abandoned-in-greeting' })]), []);
  });

  it('an overflow rule taking the caller out of the queue: EXITWITHTIMEOUT', () => {
    assert.deepEqual(logOf([
      ev(0, 'enter-queue', { position: 1 }),
      ev(60, 'overflow', { stage: 0, afterSec: 60, type: 'voicemail', mailbox: '100' }),
      ev(60, 'divert', { type: 'voicemail', mailbox: '100' }),
      ev(61, 'leave', { to: 'voicemail', target: '100' }),
    ]).slice(1), [line(60, 'NONE|EXITWITHTIMEOUT||1|60')]);
  });

  it('a queue that refuses the caller before it waits writes no exit: it never entered', () => {
    assert.deepEqual(logOf([ev(0, 'divert', { type: 'hangup' }), ev(0, 'end', { by: 'system', outcome: 'diverted-hangup' })]), []);
  });

  it('the exit key to voicemail: EXITWITHKEY with the key; to a callback only once the callback is confirmed', () => {
    assert.deepEqual(logOf([ev(0, 'enter-queue', { position: 1 }), ev(20, 'exit-key', { digit: '1', to: 'voicemail' })]).slice(1),
      [line(20, 'NONE|EXITWITHKEY|1||1|20')]);
    const viaCallback = logOf([
      ev(0, 'enter-queue', { position: 1 }),
      ev(10, 'exit-key', { digit: '*', to: 'callback' }),
      ev(10, 'divert', { type: 'callback' }),
      ev(25, 'callback-request', { number: '5551234', source: 'caller' }),
    ]);
    assert.deepEqual(viaCallback.slice(1), [line(25, 'NONE|EXITWITHKEY|*||1|25')]);
  });

  it('an offer nobody answers: RINGNOANSWER with the ring time in ms, then the next agent connects', () => {
    assert.deepEqual(logOf([
      ev(0, 'enter-queue', { position: 1 }),
      ev(1, 'offer', { attempt: 1 }, 7),
      ev(16, 'ring-no-answer', { reason: 'timeout' }, 7),
      ev(17, 'offer', { attempt: 2 }, 8),
      ev(20, 'connect', { waitMs: 20000 }, 8),
    ]).slice(1), [line(16, 'Agent/1001|RINGNOANSWER|15000'), line(20, 'Agent/1002|CONNECT|20||3')]);
  });

  it('a blind transfer to another agent: BLINDTRANSFER by the first agent, and no second completion', () => {
    const log = logOf([
      ev(0, 'enter-queue', { position: 1 }),
      ev(4, 'offer', {}, 7),
      ev(5, 'connect', { waitMs: 5000 }, 7),
      ev(65, 'transfer', { kind: 'blind', by: 'page', from: { agentId: 7 }, to: { type: 'agent', agentId: 8, number: '1002' } }, 7),
      ev(66, 'transfer-ringing', { kind: 'blind', to: { type: 'agent', agentId: 8, number: '1002' } }, 7),
      ev(70, 'transfer-connect', { kind: 'blind' }, 8),
      ev(130, 'complete', { by: 'caller', outcome: 'answered' }, 8),
    ]);
    assert.deepEqual(log.slice(2), [line(65, 'Agent/1001|BLINDTRANSFER|1002|agent|5|60|1')]);
  });

  it('an attended transfer completes with ATTENDEDTRANSFER; a transfer to a queue enters that queue again', () => {
    const attended = logOf([
      ev(0, 'enter-queue', { position: 1 }), ev(2, 'connect', { waitMs: 2000 }, 7),
      ev(30, 'transfer', { kind: 'attended', by: 'page', from: { agentId: 7 }, phase: 'consult' }, 7),
      ev(50, 'transfer-complete', { kind: 'attended', by: 'page', from: { agentId: 7 }, to: { type: 'agent', agentId: 8 } }, 8),
    ]);
    assert.deepEqual(attended.slice(2), [line(50, `Agent/1001|ATTENDEDTRANSFER|BRIDGE|call-${ID}|2|48|1`)]);
    const toQueue = logOf([
      ev(0, 'enter-queue', { position: 1 }), ev(2, 'connect', { waitMs: 2000 }, 7),
      ev(30, 'transfer', { kind: 'blind', by: 'page', from: { agentId: 7 }, to: { type: 'queue', queue: 'billing' } }, 7),
      { ...ev(30, 'enter-queue', { position: 1 }), queue: 'billing' },
    ]);
    assert.deepEqual(toQueue.slice(2), [line(30, 'Agent/1001|BLINDTRANSFER|billing|queue|2|28|1'), `${EPOCH + 30}|${ID}|billing|NONE|ENTERQUEUE||8613800000001|1`]);
  });

  it('forgets a call once it has left the queue, and keeps no field separator or line break from a caller id', () => {
    const calls = new CallLines(agentName);
    const odd = { ...ev(0, 'enter-queue', { position: 1 }), callerNumber: '555|1\n2' };
    assert.equal(formatLine(calls.lines(odd)[0]!), `${EPOCH}|${ID}|support|NONE|ENTERQUEUE||555_1_2|1\n`);
    assert.equal(calls.open, 1);
    calls.lines(ev(9, 'abandon', { outcome: 'abandoned', waitMs: 9000, position: 1 }));
    assert.equal(calls.open, 0);
  });
});

describe('agent state changes as queue_log lines', () => {
  const ch = (sec: number, from: string, to: string, reason: string | null = null): QlStateChange => ({ agentId: 7, at: T0 + sec * 1000, from, to, reason, phone: '1001' });
  const logOfAgent = (changes: QlStateChange[]) => {
    const a = new AgentLines((id) => `Agent/${agents[id]}`);
    return changes.flatMap((c) => a.lines(c)).map((l) => formatLine(l).trimEnd());
  };

  it('log-in, a pause with its reason, back to work, log-off with the time logged in', () => {
    assert.deepEqual(logOfAgent([
      ch(0, 'logged_out', 'ready'),
      ch(60, 'ready', 'reserved'),
      ch(61, 'reserved', 'ringing'),
      ch(600, 'ready', 'paused', 'lunch'),
      ch(2400, 'paused', 'ready'),
      ch(3600, 'ready', 'logged_out'),
    ]), [
      `${EPOCH}|NONE|NONE|Agent/1001|AGENTLOGIN|PJSIP/1001`,
      `${EPOCH + 600}|NONE|NONE|Agent/1001|PAUSE|lunch`,
      `${EPOCH + 2400}|NONE|NONE|Agent/1001|UNPAUSE|lunch`,
      `${EPOCH + 3600}|NONE|NONE|Agent/1001|AGENTLOGOFF|PJSIP/1001|3600`,
    ]);
  });

  it('an agent already paused when the export starts is unpaused with the reason it paused for', () => {
    const a = new AgentLines(() => 'Agent/1001', new Map([[7, { loginAt: T0 - 3_600_000, channel: 'PJSIP/1001', pauseReason: 'break' }]]));
    assert.deepEqual(a.lines(ch(30, 'paused', 'ready')).map((l) => formatLine(l).trimEnd()), [`${EPOCH + 30}|NONE|NONE|Agent/1001|UNPAUSE|break`]);
    assert.deepEqual(a.lines(ch(90, 'ready', 'logged_out')).map((l) => l.data), [['PJSIP/1001', 3690]]);
  });
});
