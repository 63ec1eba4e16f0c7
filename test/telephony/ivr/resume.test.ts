// A caller in an IVR menu when the server dies: the channel stays in Stasis, and the
// restarted server starts the caller's flow again, same interaction, path kept.
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
const RESUME_DID = '5552010';
// How long the caller stays silent in the menu: the kill, the restart and the resume all
// happen inside it, then the caller presses 1. The test checks the resume came first.
const SILENCE_MS = 30000;
let server: ServerHandle;
let deskPhone: ChildProcess;

const boot = async () => {
  server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]) });
  await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000).catch((err: Error) => {
    throw new Error(`${err.message}\n--- server log ---\n${server.log().slice(-3000)}`);
  });
};
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const eventsOf = (id: string) => db('call_events').where({ interaction_id: id }).orderBy('seq').select('type', 'data');

describe('IVR resume after a server restart', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await putFlow(db, 'resumable', {
      start: 'mark',
      steps: {
        mark: { type: 'set', attrs: { topic: 'resumed' }, next: 'menu' },
        // Long enough to outlast the restart; silence ends the call, so only a key reaches the queue.
        menu: { type: 'menu', prompt: [{ sound: 'beep' }], options: { 1: 'to-billing' }, timeoutSec: 40, maxRetries: 0, default: 'bye' },
        'to-billing': { type: 'queue', queue: 'billing' },
        bye: { type: 'hangup' },
      },
    });
    await routeDidToFlow(db, RESUME_DID, 'resumable');
    await setSkills(db, phone.extension, { support: 3, billing: 2 });
    await boot();
    const port = freshPort() + 36000;
    deskPhone = startPhone(port);
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
  });

  after(async () => {
    deskPhone?.kill();
    await server?.stop();
    await db.destroy();
  });

  it('given a caller waiting in a menu, SIGKILL and restart: its key after the restart takes it to the queue, same interaction', async () => {
    const caller = `86160${Date.now() % 1000000}`;
    const startedAt = Date.now();
    const call = carrierCall({ did: RESUME_DID, caller, talkMs: 0, steps: [{ pauseMs: SILENCE_MS }, { dtmf: '1' }, { pauseMs: 6000 }] });
    const first = await waitFor('caller in the menu', async () => {
      const row = await db('interactions').where({ caller_number: caller }).first();
      return row && (await eventsOf(row.id)).some((e) => e.type === 'ivr-step') ? row : undefined;
    }, 30000).catch((err: Error) => {
      throw new Error(`${err.message}\n--- server log ---\n${server.log().slice(-4000)}`);
    });
    await server.stop('SIGKILL');
    await boot();
    await waitFor('flow started again', async () => (await eventsOf(first.id)).filter((e) => e.type === 'ivr-enter').length === 2, 20000);
    assert.ok(Date.now() - startedAt < SILENCE_MS - 2000, `resumed ${Date.now() - startedAt} ms after the call began: before the caller's key`);

    const res = await call;
    assert.equal(res.code, 0, res.stderr.slice(-400));
    const rows = await db('interactions').where({ caller_number: caller });
    assert.equal(rows.length, 1, 'one interaction: the same id went on');
    const row = await waitFor('interaction ended', async () => {
      const r = await db('interactions').where({ id: first.id }).first();
      return r?.ended_at ? r : undefined;
    }, 40000);
    assert.equal(row.queue, 'billing');
    const types = (await eventsOf(first.id)).map((e) => e.type).filter((t: string) => t !== 'ivr-step');
    assert.equal(row.outcome, 'answered', `events ${types.join(', ')}\n--- server log ---\n${server.log().slice(-6000)}`);
    assert.equal(json(row.attrs).topic, 'resumed');
    const path = json(row.ivr_path) as Array<{ step: string; result?: string }>;
    // The step walked before the kill stays on the path; the flow then ran again from its top.
    assert.deepEqual(path.map((p) => `${p.step}:${p.result ?? ''}`), ['mark:', 'mark:', 'menu:option:1', 'to-billing:']);
    assert.deepEqual(types, ['enter', 'ivr-enter', 'recovered', 'ivr-enter', 'enter-queue', 'offer', 'connect', 'complete']);
  });
});
