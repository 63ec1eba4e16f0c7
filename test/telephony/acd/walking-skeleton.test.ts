// A real call through real Asterisk: carrier sipp on 127.0.0.2, a sipp desk phone
// registered with digest auth, our server as a child process.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort } from '../../support/sipp.js';
import { createDb } from '../../../server/core/db.js';
import { asteriskHostPath } from '../../../server/core/config.js';

const config = testConfig();
const db = createDb(config);
const phone = config.phones[0]!;
let server: ServerHandle;
let deskPhone: ChildProcess;

const boot = async () => {
  server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]) });
  await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000).catch((err: Error) => {
    throw new Error(`${err.message}\n--- server log ---\n${server.log().slice(-3000)}`);
  });
};

const interactionFor = (caller: string) => db('interactions').where({ caller_number: caller }).orderBy('entered_at', 'desc').first();

describe('the walking skeleton: carrier to desk phone', { timeout: 240000 }, () => {
  before(async () => {
    await seededDatabase(config);
    await boot();
    const port = freshPort() + 30000;
    deskPhone = startPhone(port);
    await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
    await waitFor('phone registered in live state', async () => {
      const res = await fetch(`http://127.0.0.1:${config.http.port}/healthz`);
      return res.ok && server.log().includes('"registered":true');
    }, 15000).catch(() => undefined);
  });

  after(async () => {
    deskPhone?.kill();
    await server?.stop();
    await db.destroy();
  });

  it('answers, queues, rings the agent, bridges and records; after hang-up the interaction, CDRs and recording are in MariaDB', async () => {
    const caller = `86138${Date.now() % 1000000}`;
    const res = await carrierCall({ did: config.demo.did, caller, talkMs: 6000 });
    assert.equal(res.code, 0, `the carrier call did not complete: ${res.stderr.slice(-400)}`);

    const row = await waitFor('interaction ended', async () => {
      const r = await interactionFor(caller);
      return r?.ended_at ? r : undefined;
    });
    const agent = await db('agents').where({ extension: phone.extension }).first();
    assert.equal(row.outcome, 'answered');
    assert.equal(row.did, config.demo.did);
    assert.equal(row.queue, config.demo.queue);
    assert.equal(row.agent_id, agent.id);
    assert.ok(row.answered_at > row.entered_at && row.ended_at > row.answered_at, 'entry < answer < end');

    const events = await db('call_events').where({ interaction_id: row.id }).orderBy('seq').pluck('type');
    assert.deepEqual(events, ['enter', 'greeting', 'enter-queue', 'offer', 'connect', 'complete']);

    const rec = await waitFor('recording row', () => db('recordings').where({ interaction_id: row.id }).first());
    assert.ok(Math.abs(rec.duration_ms - row.talk_ms) < 1000, `recording ${rec.duration_ms} ms vs talk ${row.talk_ms} ms`);
    const file = readFileSync(asteriskHostPath(config, rec.path));
    assert.equal(file.length, Number(rec.size_bytes));
    assert.equal(createHash('sha256').update(file).digest('hex'), rec.sha256);
    assert.match(rec.path, /\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}\.wav$/);

    const cdrs = await waitFor('CDR rows', async () => {
      const rows = await db('cdrs').where({ src: caller });
      return rows.length ? rows : undefined;
    });
    assert.ok(cdrs.every((c: any) => c.linkedid === cdrs[0].linkedid), 'legs share one linkedid');
    assert.ok(cdrs.some((c: any) => c.disposition === 'ANSWERED' && c.dstchannel.startsWith(`PJSIP/${phone.extension}-`)));
  });

  it('a server killed with SIGKILL mid-call leaves the call up; after restart the call is closed and its CDR lands exactly once', async () => {
    const caller = `86139${Date.now() % 1000000}`;
    const call = carrierCall({ did: config.demo.did, caller, talkMs: 12000 });
    await waitFor('call connected', async () => (await interactionFor(caller))?.answered_at);
    await server.stop('SIGKILL');
    const res = await call;
    assert.equal(res.code, 0, 'the call survived the server and ended normally');
    await boot();
    const row = await waitFor('interaction closed after restart', async () => {
      const r = await interactionFor(caller);
      return r?.ended_at ? r : undefined;
    }, 30000);
    assert.equal(row.outcome, 'answered');
    const cdrs = await waitFor('CDR backfilled from the journal', async () => {
      const rows = await db('cdrs').where({ src: caller });
      return rows.length ? rows : undefined;
    }, 90000);
    const keys = cdrs.map((c: any) => `${c.uniqueid}/${c.sequence}`);
    assert.equal(new Set(keys).size, keys.length, 'no CDR leg twice');
  });

  it('with the Stasis app down the dialplan falls back to app_queue and the desk phone still answers', async () => {
    await server.stop();
    const caller = `86137${Date.now() % 1000000}`;
    const res = await carrierCall({ did: config.demo.did, caller, talkMs: 3000 });
    assert.equal(res.code, 0, `fallback call failed: ${res.stderr.slice(-400)}`);
    await boot();
    const cdrs = await waitFor('fallback CDR backfilled', async () => {
      const rows = await db('cdrs').where({ src: caller });
      return rows.some((r: any) => r.userfield === 'fallback' && r.disposition === 'ANSWERED') ? rows : undefined;
    }, 90000);
    assert.ok(cdrs.length >= 1);
    assert.equal(await interactionFor(caller), undefined, 'no interaction: the server never saw the call');
  });
});
