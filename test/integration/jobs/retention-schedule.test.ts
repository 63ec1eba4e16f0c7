// The nightly recording retention is started by node-cron from jobs.retentionCron, not by a
// person: with a schedule of every two seconds (node-cron reads a seconds field), an expired
// recording is deleted and the run is audited as the system, with no API call. Real MariaDB
// and Redis; recordings in the harness's temporary tree.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { asteriskHostPath } from '../../../server/core/config.js';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

const DAY = 86_400_000;
let h: Harness;

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await read();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('recording retention on its schedule', { timeout: 60000 }, () => {
  before(async () => {
    h = await routingHarness({ jobs: { enabled: true, retentionCron: '*/2 * * * * *' } });
    assert.equal((await h.api('POST', '/api/v1/queues', { name: 'cronq', skill: 'cronq', strategy: 'longest_idle', retentionDays: 7 })).statusCode, 201);
  });

  after(async () => {
    await h?.close();
  });

  it('deletes an expired recording by itself and audits the run as the system', async () => {
    const at = new Date(Date.now() - 30 * DAY);
    const id = randomUUID();
    await h.app.db('interactions').insert({ id, direction: 'inbound', caller_number: '5550100', queue: 'cronq', entered_at: at, answered_at: at });
    const path = h.app.recordings.pathFor(id, at);
    const file = asteriskHostPath(h.config, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, Buffer.alloc(2000));
    const [rowId] = await h.app.db('recordings').insert({ interaction_id: id, path, size_bytes: 2000, duration_ms: 1000, sha256: 'x'.repeat(64), started_at: at });

    const row = await waitFor('the scheduled run to mark the row', async () => {
      const r = await h.app.db('recordings').where({ id: rowId }).first();
      return r?.deleted_at ? r : undefined;
    }, 20000);
    assert.equal(row.deleted_reason, 'retention');
    assert.equal(existsSync(file), false, 'the file is gone');
    const audit = await h.app.db('audit_log').where({ action: 'recordings.retention' }).orderBy('id');
    assert.ok(audit.length >= 1, 'the run is audited');
    assert.equal(audit[0].actor_username, 'system');
  });
});
