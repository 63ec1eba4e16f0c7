// Callers who press the wrong things: keys no menu offers, '*' and '#' hammered, a number
// far longer than the prompt asked for. Each ends on the route the flow names for
// mistakes, the path records what was pressed, and the server logs no error.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { carrierCall } from '../../support/sipp.js';
import { putFlow, routeDidToFlow, patchQueue } from '../../support/routing-setup.js';
import { asteriskLog, played, callerChannel, missingSounds, serverErrors } from '../../support/logs.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const DID = '5559000';
let server: ServerHandle;

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const number = (tag: string) => `8610${tag}${Date.now() % 100000}`;
const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 40000);
type Entry = { step: string; input?: string; result?: string };
const route = (path: Entry[]) => path.map((p) => (p.result ? `${p.step}:${p.result}` : p.step));
const eventsOf = async (id: string) => (await db('call_events').where({ interaction_id: id }).orderBy('seq')).map((e: any) => ({ type: e.type as string, data: json(e.data) }));

describe('garbage DTMF on real Asterisk', { timeout: 200000 }, () => {
  before(async () => {
    await seededDatabase(config);
    for (const q of [config.demo.queue, 'billing']) await patchQueue(db, q, { announceEverySec: 0 });
    const invalid = [{ sound: 'pbx-invalid' }];
    await putFlow(db, 'fussy', {
      start: 'top',
      steps: {
        top: { type: 'menu', prompt: [{ sound: 'beep' }], options: { 1: 'acct', 2: 'to-billing' }, timeoutSec: 3, maxRetries: 2, invalidPrompt: invalid, default: 'to-support' },
        acct: { type: 'collect', prompt: [{ sound: 'beep' }], into: 'account', minDigits: 4, maxDigits: 6, terminator: '#', timeoutSec: 4, maxRetries: 1, invalidPrompt: invalid, next: 'to-billing', failed: 'to-support' },
        'to-billing': { type: 'queue', queue: 'billing' },
        'to-support': { type: 'queue', queue: config.demo.queue },
      },
    });
    await routeDidToFlow(db, DID, 'fussy');
    server = startServer({ CC__DEMO__READY_AGENTS: '[]' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
  });

  after(async () => {
    await server?.stop();
    await db.destroy();
  });

  it('a key the menu does not offer, then * and #, use up the tries and take the default route; keys hammered in the queue change nothing', async () => {
    const caller = number('0');
    const log = asteriskLog(config);
    const res = await carrierCall({ did: DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '7*#' }, { pauseMs: 4000 }, { dtmf: '*#*#0#*9' }, { pauseMs: 1500 }] });
    assert.equal(res.code, 0, res.stderr.slice(-300));
    const row = await ended(caller);
    assert.equal(row.outcome, 'abandoned');
    assert.equal(row.queue, config.demo.queue);
    const path = json(row.ivr_path) as Entry[];
    assert.deepEqual(route(path), ['top:invalid', 'top:invalid', 'top:default', 'to-support']);
    assert.deepEqual(path.slice(0, 3).map((p) => p.input), ['7', '*', '#']);
    const types = (await eventsOf(row.id)).map((e) => e.type).filter((t) => t !== 'ivr-step');
    assert.deepEqual(types, ['enter', 'ivr-enter', 'enter-queue', 'abandon']);
    const lines = log.lines();
    assert.equal(played(lines, callerChannel(lines, caller)).filter((f) => f === 'pbx-invalid.gsm').length, 2, 'the invalid prompt before each retry');
    assert.deepEqual(missingSounds(lines), []);
  });

  it('* and # instead of an account number are refused twice, and the call takes the failed route with nothing stored', async () => {
    const caller = number('1');
    await carrierCall({ did: DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '1' }, { pauseMs: 1000 }, { dtmf: '*#' }, { pauseMs: 2500 }, { dtmf: '#' }, { pauseMs: 2500 }] });
    const row = await ended(caller);
    const path = json(row.ivr_path) as Entry[];
    assert.deepEqual(route(path), ['top:option:1', 'acct:invalid', 'acct:failed', 'to-support']);
    assert.deepEqual(path.slice(1, 3).map((p) => p.input), ['*', '']);
    assert.equal(json(row.attrs).account, undefined);
    assert.equal(row.queue, config.demo.queue);
  });

  it('a 25-digit number typed into a 4-to-6-digit prompt is refused, not cut to its first six digits; the caller then enters a good one', async () => {
    const caller = number('2');
    const long = '1234567890123456789012345';
    await carrierCall({ did: DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '1' }, { pauseMs: 1000 }, { dtmf: `${long}#` }, { pauseMs: 2500 }, { dtmf: '4321#' }, { pauseMs: 2500 }] });
    const row = await ended(caller);
    const path = json(row.ivr_path) as Entry[];
    assert.deepEqual(route(path), ['top:option:1', 'acct:invalid', 'acct:ok', 'to-billing']);
    assert.equal(path[1]?.input, `${'*'.repeat(long.length - 4)}2345`, 'the whole entry, masked');
    assert.equal(json(row.attrs).account, '4321');
    assert.equal(row.queue, 'billing');
    assert.equal(row.outcome, 'abandoned');
    assert.deepEqual(serverErrors(server.log()), []);
  });
});
