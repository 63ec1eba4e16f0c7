// Recording retention against real MariaDB and Redis, with recordings in a temporary
// dated tree: per-queue days, a file already missing, a path outside the recordings
// directory, batches smaller than the work, a second run that finds nothing new, the
// audit entry of each run, and the admin-only API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { asteriskHostPath } from '../../../server/core/config.js';
import { keys } from '../../../server/live/keys.js';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

const DAY = 86_400_000;
let h: Harness;
let outside: string;
const rows = new Map<string, { id: number; file: string }>();

/** An answered interaction in `queue` with a recording `ageDays` old, its file written unless told not to. */
async function recording(label: string, queue: string, ageDays: number, o: { file?: boolean; path?: string } = {}): Promise<void> {
  const at = new Date(Date.now() - ageDays * DAY);
  const id = randomUUID();
  await h.app.db('interactions').insert({ id, direction: 'inbound', caller_number: '5550100', queue, entered_at: at, answered_at: at });
  const path = o.path ?? h.app.recordings.pathFor(id, at);
  const file = o.path ?? asteriskHostPath(h.config, path);
  if (o.file !== false) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, Buffer.alloc(1000 + rows.size));
  }
  const [rowId] = await h.app.db('recordings').insert({ interaction_id: id, path, size_bytes: 1000 + rows.size, duration_ms: 1000, sha256: 'x'.repeat(64), started_at: at });
  rows.set(label, { id: Number(rowId), file });
}

const row = (label: string) => h.app.db('recordings').where({ id: rows.get(label)!.id }).first();
const fileOf = (label: string) => rows.get(label)!.file;

describe('recording retention', { timeout: 60000 }, () => {
  before(async () => {
    // Batches of two, so five expired recordings in one queue take three batches.
    h = await routingHarness({ jobs: { enabled: false, retentionBatchSize: 2 } });
    for (const [name, retentionDays] of [['short', 7], ['long', 30], ['keep', null]] as const) {
      const res = await h.api('POST', '/api/v1/queues', { name, skill: name, strategy: 'longest_idle', retentionDays });
      assert.equal(res.statusCode, 201, res.body);
    }
    for (let i = 0; i < 5; i++) await recording(`short-old-${i}`, 'short', 10 + i);
    await recording('short-young', 'short', 3);
    await recording('short-missing', 'short', 8, { file: false });
    await recording('long-mid', 'long', 10);
    await recording('long-old', 'long', 40);
    await recording('keep-ancient', 'keep', 400);
    // A row naming a file outside the recordings directory is never followed there.
    outside = await mkdtemp(join(tmpdir(), 'cc-not-recordings-'));
    await recording('outside', 'short', 20, { path: join(outside, 'precious.wav') });
  });

  after(async () => {
    await h?.close();
    if (outside) await rm(outside, { recursive: true, force: true });
  });

  it('is refused to anyone but an admin', async () => {
    const cookie = await h.signInAs('supervisor');
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/recordings/retention/run', headers: { cookie, 'content-type': 'application/json' }, payload: '{}' });
    assert.equal(res.statusCode, 403);
    assert.equal((await row('short-old-0')).deleted_at, null);
  });

  it('says there was no run yet', async () => {
    const res = await h.api('GET', '/api/v1/recordings/retention');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json(), null);
  });

  it('deletes files past their queue\'s days, marks their rows, and keeps every row', async () => {
    const before = (await h.app.db('recordings').count({ n: '*' }))[0]!.n;
    const res = await h.api('POST', '/api/v1/recordings/retention/run', {});
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.equal(r.deleted, 6, 'five old short recordings and the old long one');
    assert.equal(r.missing, 1);
    assert.equal(r.failed, 1, 'the row outside the recordings directory');
    assert.deepEqual(r.queues.map((q: { queue: string; days: number; deleted: number }) => [q.queue, q.days, q.deleted]).sort(), [['long', 30, 1], ['short', 7, 5]]);
    assert.equal(r.bytesFreed > 6000, true);
    assert.equal((await h.app.db('recordings').count({ n: '*' }))[0]!.n, before, 'no row deleted');
    for (const label of ['short-old-0', 'short-old-4', 'long-old']) {
      assert.equal(existsSync(fileOf(label)), false, `${label} file deleted`);
      const got = await row(label);
      assert.equal(got.deleted_reason, 'retention', label);
      assert.ok(got.deleted_at instanceof Date);
    }
    assert.equal((await row('short-missing')).deleted_reason, 'missing');
    for (const label of ['short-young', 'long-mid', 'keep-ancient', 'outside']) {
      assert.equal(existsSync(fileOf(label)), true, `${label} file kept`);
      assert.equal((await row(label)).deleted_at, null, `${label} row unmarked`);
    }
    // The day folder of a deleted file goes once empty; the tree above it stays.
    assert.equal(existsSync(dirname(fileOf('long-old'))), false);
    assert.equal(existsSync(dirname(dirname(fileOf('long-old')))), true);
  });

  it('writes one audit entry per run with its counts, and shows it as the last run', async () => {
    const audit = await h.app.db('audit_log').where({ action: 'recordings.retention' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_username, 'routing-admin');
    const after = typeof audit[0].after_json === 'string' ? JSON.parse(audit[0].after_json) : audit[0].after_json;
    assert.equal(after.deleted, 6);
    const last = (await h.api('GET', '/api/v1/recordings/retention')).json();
    assert.equal(last.by, 'routing-admin');
    assert.equal(last.result.deleted, 6);
    assert.equal(last.result.missing, 1);
  });

  it('finds nothing new on a second run, and audits that run too', async () => {
    const r = (await h.api('POST', '/api/v1/recordings/retention/run', {})).json();
    assert.deepEqual([r.deleted, r.missing, r.failed], [0, 0, 1]);
    assert.equal((await row('short-missing')).deleted_reason, 'missing', 'the first mark stays');
    assert.equal((await h.app.db('audit_log').where({ action: 'recordings.retention' })).length, 2);
  });

  it('follows a queue\'s new days at the next run', async () => {
    const q = (await h.api('GET', '/api/v1/queues/long')).json();
    delete q.id;
    delete q.updatedAt;
    assert.equal((await h.api('PUT', '/api/v1/queues/long', { ...q, retentionDays: 5 })).statusCode, 200);
    const r = (await h.api('POST', '/api/v1/recordings/retention/run', {})).json();
    assert.equal(r.deleted, 1);
    assert.equal(existsSync(fileOf('long-mid')), false);
    assert.equal((await row('long-mid')).deleted_reason, 'retention');
  });

  it('answers 409 while another run holds the lock, and changes nothing', async () => {
    await recording('late', 'short', 9);
    await h.app.redis.set(keys.jobLock('recording-retention'), 'another-instance', 'PX', 10000);
    try {
      const res = await h.api('POST', '/api/v1/recordings/retention/run', {});
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().error.code, 'retention-running');
      assert.equal(existsSync(fileOf('late')), true);
    } finally {
      await h.app.redis.del(keys.jobLock('recording-retention'));
    }
  });

  it('runs from the queues page, which shows the result', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie: h.cookie } });
    assert.match(page.body, /id="retention-last"/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await h.app.inject({
      method: 'POST', url: '/admin/recordings/retention/run',
      headers: { cookie: h.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(existsSync(fileOf('late')), false);
    const after = await h.app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie: h.cookie } });
    assert.match(after.body, /1 files deleted/);
  });
});
