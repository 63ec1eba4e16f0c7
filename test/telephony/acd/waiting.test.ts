// While a caller waits: position and wait announcements every few seconds, played for
// real on the caller's channel, with a wait estimate only when there is one to give; and
// the exit key that takes the caller to voicemail, where a message is really left.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { testConfig, seededDatabase, TEST_REDIS_DB } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { putFlow, routeDidToFlow, patchQueue, setSkills } from '../../support/routing-setup.js';
import { asteriskLog, played, callerChannel, serverErrors } from '../../support/logs.js';
import { apiSession } from '../../support/api.js';
import { createDb } from '../../../server/core/db.js';
import { asteriskHostPath } from '../../../server/core/config.js';
import { keys } from '../../../server/live/keys.js';

const config = testConfig();
const db = createDb(config);
const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB });
// The last desk phone: the menu and routing tests use the first three.
const agent = config.phones.at(-1)!;
const QUEUE = config.demo.queue;
const DID = '5556000';
const MAILBOX = '100';
const EVERY_SEC = 4;
// Lengths of Asterisk's English prompts (sox stat): announcements take longer than the interval.
const YOU_ARE_NEXT_MS = 5380;
const inbox = asteriskHostPath(config, `/var/spool/asterisk/voicemail/cc/${MAILBOX}/INBOX`);
let server: ServerHandle;
let deskPhone: ChildProcess;
let agentId: number;
const ourMessages: string[] = [];

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const number = (tag: string) => `8617${tag}${Date.now() % 100000}`;
const row = (caller: string) => db('interactions').where({ caller_number: caller }).first();
const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await row(caller);
  return r?.ended_at ? r : undefined;
}, 40000);
const answered = (caller: string) => waitFor(`${caller} answered`, async () => (await row(caller))?.answered_at, 20000);
const events = async (id: string) => (await db('call_events').where({ interaction_id: id }).orderBy('seq')).map((e: any) => ({ ...e, data: json(e.data) }));
const announcements = async (id: string) => (await events(id)).filter((e) => e.type === 'announce');

describe('waiting in a queue on real Asterisk', { timeout: 240000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await patchQueue(db, QUEUE, { announceEverySec: EVERY_SEC, exitKey: { digit: '9', to: 'voicemail', mailbox: MAILBOX }, wrapUpSec: 0, ringTimeoutSec: 10 });
    await putFlow(db, 'straight-in', { start: 'q', steps: { q: { type: 'queue', queue: QUEUE } } });
    await routeDidToFlow(db, DID, 'straight-in');
    agentId = await setSkills(db, agent.extension, { support: 3 });
    // One agent only, so the tests decide who serves the queue.
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([agent.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    const port = freshPort() + 33000;
    deskPhone = startPhone(port);
    await registerPhone({ extension: agent.extension, password: agent.password, contactPort: port });
  });

  after(async () => {
    for (const f of ourMessages) rmSync(f, { force: true });
    deskPhone?.kill();
    await server?.stop();
    await db.destroy();
    redis.disconnect();
  });

  it('with the agent busy and no handle times yet, the caller hears its position every 4 s of music, and no made-up wait', async () => {
    const busy = number('0');
    const waiting = number('1');
    const first = carrierCall({ did: DID, caller: busy, talkMs: 22000 });
    await answered(busy);
    const log = asteriskLog(config);
    // 4 s of music, 5.4 s "first in line", 4 s of music, the second announcement.
    const res = await carrierCall({ did: DID, caller: waiting, talkMs: 15500 });
    assert.equal(res.code, 0, res.stderr.slice(-300));
    const r = await ended(waiting);
    assert.equal(r.outcome, 'abandoned');
    const evs = await events(r.id);
    const enteredQueue = evs.find((e) => e.type === 'enter-queue')!.at.getTime();
    const said = evs.filter((e) => e.type === 'announce');
    assert.equal(said.length, 2, `${said.length} announcements in 15 s`);
    for (const a of said) assert.deepEqual(a.data, { position: 1, minutes: null });
    // The interval is music between announcements: counted from the end of the last one.
    const [firstAt, secondAt] = [said[0].at.getTime() - enteredQueue, said[1].at.getTime() - said[0].at.getTime()];
    assert.ok(firstAt >= EVERY_SEC * 1000 - 100 && firstAt < EVERY_SEC * 1000 + 1500, `first after ${firstAt} ms`);
    assert.ok(secondAt >= YOU_ARE_NEXT_MS + EVERY_SEC * 1000 - 100 && secondAt < YOU_ARE_NEXT_MS + EVERY_SEC * 1000 + 1500, `second ${secondAt} ms after the first`);
    const lines = log.lines();
    const channel = callerChannel(lines, waiting)!;
    assert.deepEqual(played(lines, channel), ['queue-youarenext.gsm', 'queue-youarenext.gsm'], 'position only: no wait is announced without handle times');
    // Between the two announcements the music comes back.
    const plays = lines.flatMap((l, i) => (l.includes(`<${channel}> Playing 'queue-youarenext`) ? [i] : []));
    assert.ok(lines.slice(plays[0], plays[1]).some((l) => l.includes(`Started music on hold, class 'default', on channel '${channel}'`)), 'music on hold resumed');
    assert.equal((await first).code, 0);
    assert.equal((await ended(busy)).outcome, 'answered');
  });

  it('with handle times of 2, 3 and 4 minutes and one agent busy, the next caller hears about 3 minutes and the one behind it about 6', async () => {
    await redis.del(keys.queueHandleTimes(QUEUE));
    await redis.rpush(keys.queueHandleTimes(QUEUE), '120', '180', '240');
    const busy = number('2');
    const next = number('3');
    const behind = number('4');
    const first = carrierCall({ did: DID, caller: busy, talkMs: 22000 });
    await answered(busy);
    const log = asteriskLog(config);
    // Each hears one announcement of about 10 s, starting 4 s after it joined.
    const a = carrierCall({ did: DID, caller: next, talkMs: 15000 });
    await waitFor('first waiting caller queued', async () => (await row(next))?.queued_at, 10000);
    const b = carrierCall({ did: DID, caller: behind, talkMs: 14500 });
    await Promise.all([a, b]);
    const [n, bh] = [await ended(next), await ended(behind)];
    assert.deepEqual((await announcements(n.id)).map((e) => e.data), [{ position: 1, minutes: 3 }]);
    assert.deepEqual((await announcements(bh.id)).map((e) => e.data), [{ position: 2, minutes: 6 }]);
    const lines = log.lines();
    const [heardNext, heardBehind] = [next, behind].map((c) => played(lines, callerChannel(lines, c)).join(' '));
    // "...first in line... The estimated hold time is currently 3 minutes." and
    // "You are currently caller number 2 waiting to speak with a representative. The estimated hold time is currently 6 minutes."
    assert.equal(heardNext, 'queue-youarenext.gsm queue-holdtime.gsm digits/3.gsm queue-minutes.gsm');
    assert.equal(heardBehind, 'queue-thereare.gsm digits/2.gsm queue-callswaiting.gsm queue-holdtime.gsm digits/6.gsm queue-minutes.gsm');
    await first;
    await ended(busy);
  });

  it('when the only agent is paused, handle times alone do not make a wait estimate', async () => {
    const api = await apiSession(config.demo.adminUser, 'test-admin-password');
    await waitFor('agent free again', async () => (await redis.hget(keys.agent(agentId), 'state')) === 'ready', 10000);
    const pause = await api('POST', `/api/v1/agents/${agentId}/state`, { state: 'paused', reason: 'lunch' });
    assert.equal(pause.status, 200, await pause.text());
    assert.ok((await redis.llen(keys.queueHandleTimes(QUEUE))) >= 3);
    const caller = number('5');
    const log = asteriskLog(config);
    await carrierCall({ did: DID, caller, talkMs: 7000 });
    const r = await ended(caller);
    assert.deepEqual((await announcements(r.id)).map((e) => e.data), [{ position: 1, minutes: null }]);
    const lines = log.lines();
    assert.deepEqual(played(lines, callerChannel(lines, caller)), ['queue-youarenext.gsm'], 'nobody serves the queue: no estimate');
  });

  it('pressing the exit key while waiting takes the caller to voicemail, where its message is left', async () => {
    const caller = number('6');
    const log = asteriskLog(config);
    // The key, about 12 s of "the person at extension 1 0 0 is unavailable... after the tone", then ~5 s of message.
    const res = await carrierCall({ did: DID, caller, talkMs: 0, steps: [{ pauseMs: 2500 }, { dtmf: '9' }, { pauseMs: 17500 }] });
    assert.equal(res.code, 0, res.stderr.slice(-300));
    const r = await ended(caller);
    assert.equal(r.outcome, 'voicemail');
    assert.equal(r.queue, QUEUE);
    const evs = await events(r.id);
    const types = evs.map((e) => e.type);
    assert.deepEqual(types.slice(types.indexOf('enter-queue')), ['enter-queue', 'exit-key', 'leave', 'end']);
    assert.deepEqual(evs.find((e) => e.type === 'exit-key')!.data, { digit: '9', to: 'voicemail' });
    assert.deepEqual(evs.find((e) => e.type === 'leave')!.data, { to: 'voicemail', target: MAILBOX });
    assert.equal(evs.at(-1).data.outcome, 'voicemail');
    const message = await waitFor('voicemail message saved', async () => {
      if (!existsSync(inbox)) return undefined;
      return readdirSync(inbox).filter((f) => f.endsWith('.txt')).map((f) => join(inbox, f)).find((f) => readFileSync(f, 'utf8').includes(`<${caller}>`));
    }, 15000);
    ourMessages.push(...readdirSync(inbox).filter((f) => f.startsWith(message.slice(inbox.length + 1, -4))).map((f) => join(inbox, f)));
    const duration = Number(/^duration=(\d+)/m.exec(readFileSync(message, 'utf8'))?.[1]);
    assert.ok(duration >= 3, `message of ${duration} s`);
    assert.ok(existsSync(message.replace(/\.txt$/, '.wav')), 'the recording is beside its envelope');
    const lines = log.lines();
    assert.ok(played(lines, callerChannel(lines, caller)).includes('beep.gsm'), 'voicemail beeped before recording');
    assert.deepEqual(serverErrors(server.log()), []);
  });
});
