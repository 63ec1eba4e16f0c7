// MariaDB stopped in the middle of a real call: nothing of the call may be lost. The
// interaction reaches MariaDB through the Redis outbox, the CDR through the journal.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { service } from '../../support/services.js';
import { createDb } from '../../../server/core/db.js';
import { asteriskHostPath } from '../../../server/core/config.js';

const config = testConfig();
const phone = config.phones[0]!;
let db = createDb(config);
let server: ServerHandle;
let deskPhone: ChildProcess;

const journalLegs = (caller: string) =>
  readFileSync(asteriskHostPath(config, config.asterisk.cdrJournal), 'utf8').split('\n').filter((l) => l.split(',')[4] === `"${caller}"`);

describe('MariaDB stopped during a call', { timeout: 300000 }, () => {
  before(async () => {
    await seededDatabase(config);
    server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]), CC__JOBS__ENABLED: 'true' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
    const port = freshPort() + 31000;
    deskPhone = startPhone(port);
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
  });

  after(async () => {
    await service('start', 'mariadb');
    deskPhone?.kill();
    await server?.stop();
    await db.destroy();
  });

  it('loses no CDR and no interaction: after MariaDB is back there is exactly one CDR row per journal leg', async () => {
    const caller = `86136${Date.now() % 1000000}`;
    const call = carrierCall({ did: config.demo.did, caller, talkMs: 10000 });
    await waitFor('call connected', async () => (await db('interactions').where({ caller_number: caller }).first())?.answered_at, 20000);
    await db.destroy();
    await service('stop', 'mariadb');
    const h = await waitFor('healthz reports MariaDB down', async () => {
      const r = await healthz().catch(() => undefined);
      return r && !r.body.components.mariadb.up ? r : undefined;
    }, 20000);
    assert.equal(h.status, 503);

    const res = await call;
    assert.equal(res.code, 0, 'the call went on and ended normally while MariaDB was down');
    await new Promise((r) => setTimeout(r, 2000));
    await service('start', 'mariadb');
    db = createDb(config);

    const row = await waitFor('interaction closed from the outbox', async () => {
      const r = await db('interactions').where({ caller_number: caller }).first();
      return r?.ended_at ? r : undefined;
    }, 60000);
    assert.equal(row.outcome, 'answered');
    const events = await db('call_events').where({ interaction_id: row.id }).orderBy('seq').pluck('type');
    assert.deepEqual(events, ['enter', 'greeting', 'enter-queue', 'offer', 'connect', 'complete']);

    const rec = await waitFor('recording indexed from the outbox', () => db('recordings').where({ interaction_id: row.id }).first(), 30000);
    assert.ok(Math.abs(rec.duration_ms - row.talk_ms) < 1000, `recording ${rec.duration_ms} ms vs talk ${row.talk_ms} ms`);

    const legs = journalLegs(caller);
    assert.ok(legs.length >= 1, 'Asterisk journaled the call');
    const cdrs = await waitFor('CDR backfilled from the journal', async () => {
      const rows = await db('cdrs').where({ src: caller });
      return rows.length >= legs.length ? rows : undefined;
    }, 120000);
    assert.equal(cdrs.length, legs.length, 'exactly one row per leg');
    const keys = cdrs.map((c: any) => `${c.uniqueid}/${c.sequence}`);
    assert.equal(new Set(keys).size, keys.length);
  });
});
