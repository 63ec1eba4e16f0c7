// Real callers pressing real RFC 2833 keys through IVR menus on real Asterisk.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { putFlow, routeDidToFlow, setSkills } from '../../support/routing-setup.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const phone = config.phones[0]!;
const MENU_DID = '5552000';
const CLOSED_DID = '5552001';
let server: ServerHandle;
let deskPhone: ChildProcess;

const beep = [{ sound: 'beep' }];
const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 40000);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

describe('IVR menus with real DTMF', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await putFlow(db, 'menus', {
      start: 'top',
      steps: {
        top: { type: 'menu', prompt: beep, options: { 1: 'cards', 2: 'to-support' }, timeoutSec: 3, maxRetries: 1, invalidPrompt: [{ sound: 'option-is-invalid' }], default: 'to-support' },
        cards: { type: 'menu', prompt: beep, options: { 1: 'lost-card', 2: 'to-support' }, timeoutSec: 3, maxRetries: 1, default: 'to-support' },
        'lost-card': { type: 'set', attrs: { topic: 'lost-card' }, next: 'to-billing' },
        'to-billing': { type: 'queue', queue: 'billing' },
        'to-support': { type: 'queue', queue: config.demo.queue },
      },
    });
    await putFlow(db, 'closed', {
      start: 'hours',
      steps: {
        // Open one minute a week, on a day that is never today: always closed during the test.
        hours: { type: 'hours', schedule: { timezone: 'UTC', weekly: [{ days: [((new Date().getUTCDay() + 2) % 7) + 1], from: '03:00', to: '03:01' }], holidays: [] }, open: 'to-support', closed: 'bye' },
        bye: { type: 'hangup', prompt: [{ sound: 'beep' }] },
        'to-support': { type: 'queue', queue: config.demo.queue },
      },
    });
    await routeDidToFlow(db, MENU_DID, 'menus');
    await routeDidToFlow(db, CLOSED_DID, 'closed');
    await setSkills(db, phone.extension, { support: 3, billing: 2 });
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]) });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    const port = freshPort() + 33000;
    deskPhone = startPhone(port);
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
  });

  after(async () => {
    deskPhone?.kill();
    await server?.stop();
    await db.destroy();
  });

  it('pressing 1 then 1 walks a two-level menu into the billing queue with topic lost-card, and an agent answers', async () => {
    const caller = `86150${Date.now() % 1000000}`;
    const res = await carrierCall({ did: MENU_DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '1' }, { pauseMs: 1500 }, { dtmf: '1' }, { pauseMs: 6000 }] });
    assert.equal(res.code, 0, res.stderr.slice(-400));
    const row = await ended(caller);
    assert.equal(row.queue, 'billing');
    assert.equal(row.outcome, 'answered');
    assert.equal(json(row.attrs).topic, 'lost-card');
    const path = json(row.ivr_path) as Array<{ step: string; result?: string }>;
    assert.deepEqual(path.filter((p) => p.result).map((p) => `${p.step}:${p.result}`), ['top:option:1', 'cards:option:1']);
    const events = await db('call_events').where({ interaction_id: row.id }).orderBy('seq').pluck('type');
    assert.deepEqual(events.filter((t: string) => t !== 'ivr-step'), ['enter', 'ivr-enter', 'enter-queue', 'offer', 'connect', 'complete']);
  });

  it('a wrong key plays the invalid prompt and retries; silence after that takes the default route', async () => {
    const caller = `86151${Date.now() % 1000000}`;
    const res = await carrierCall({ did: MENU_DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '9' }, { pauseMs: 14000 }] });
    assert.equal(res.code, 0, res.stderr.slice(-400));
    const row = await ended(caller);
    const path = json(row.ivr_path) as Array<{ step: string; input?: string; result?: string }>;
    assert.deepEqual(path.map((p) => `${p.step}:${p.result}`), ['top:invalid', 'top:default', 'to-support:undefined']);
    assert.equal(path[0]?.input, '9');
    assert.equal(row.queue, config.demo.queue);
  });

  it('out of hours the caller hears the closed message and the call ends as an IVR hang-up', async () => {
    const caller = `86152${Date.now() % 1000000}`;
    // Our side hangs up first, so the carrier's scenario (which expects to send BYE) ends in error: expected.
    await carrierCall({ did: CLOSED_DID, caller, talkMs: 0, steps: [{ pauseMs: 5000 }] });
    const row = await ended(caller);
    assert.equal(row.outcome, 'ivr-hangup');
    assert.equal(row.queue, null);
    const path = json(row.ivr_path) as Array<{ step: string; result?: string }>;
    assert.equal(path[0]?.result, 'closed');
  });
});
