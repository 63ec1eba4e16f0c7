// Recordings played and downloaded only through the server, against real MariaDB and a real
// WAV written by sox into the (redirected) recordings directory: byte ranges for seeking, a
// role check, every play or download in the access log and the audit log, a recording
// deleted by retention or missing on disk answering JSON that says so (and still logged),
// and no path leading outside the recordings directory.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const cookies: Record<string, string> = {};
const interactionId = randomUUID();
let wav: Buffer;
const rec: Record<string, number> = {};

const get = (url: string, who: string, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'GET', url, headers: { ...(cookies[who] ? { cookie: cookies[who] } : {}), ...headers } });
const accessRows = () => h.app.db('recording_access').orderBy('id');
/** The audit log is written through the outbox: wait until the row is there. */
async function auditRows(action: string, n: number) {
  for (let i = 0; i < 50; i++) {
    const rows = await h.app.db('audit_log').where({ action }).orderBy('id');
    if (rows.length >= n) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  return h.app.db('audit_log').where({ action }).orderBy('id');
}

async function addRecording(key: string, asteriskPath: string, o: Record<string, unknown> = {}) {
  const [id] = await h.app.db('recordings').insert({ interaction_id: interactionId, agent_id: null, path: asteriskPath, size_bytes: 1, duration_ms: 2000, sha256: 'x'.repeat(64), started_at: new Date('2026-03-10T10:00:10Z'), ...o });
  rec[key] = Number(id);
}

describe('recordings through the server', () => {
  before(async () => {
    h = await routingHarness();
    cookies.super = await h.signInAs('supervisor');
    cookies.quality = await h.signInAs('quality');
    cookies.agent = await h.signInAs('agent');
    cookies.reports = await h.signInAs('reports');
    cookies.admin = h.cookie;
    const dir = h.config.asterisk.recordingsDir;
    const hostDir = join(h.config.asterisk.root, dir, '2026/03/10');
    mkdirSync(hostDir, { recursive: true });
    // Two seconds of a 440 Hz tone, 8 kHz 16-bit mono: what MixMonitor writes.
    execFileSync('sox', ['-n', '-r', '8000', '-b', '16', '-c', '1', join(hostDir, `${interactionId}.wav`), 'synth', '2', 'sine', '440']);
    wav = readFileSync(join(hostDir, `${interactionId}.wav`));
    await h.app.db('interactions').insert({ id: interactionId, direction: 'inbound', caller_number: '5550100', entered_at: new Date('2026-03-10T10:00:00Z'), outcome: 'answered', talk_ms: 2000 });
    await addRecording('ok', `${dir}/2026/03/10/${interactionId}.wav`, { size_bytes: wav.length });
    await addRecording('deleted', `${dir}/2026/03/10/gone.wav`, { deleted_at: new Date('2026-06-08T02:00:00Z') });
    await addRecording('missing', `${dir}/2026/03/10/never-written.wav`);
    await addRecording('traversal', `${dir}${'/..'.repeat(12)}/etc/passwd`);
    // A symlink inside the tree that leads out of it.
    const outside = join(tmpdir(), `cc-outside-${interactionId}.wav`);
    writeFileSync(outside, wav);
    symlinkSync(outside, join(hostDir, 'link.wav'));
    await addRecording('symlink', `${dir}/2026/03/10/link.wav`);
  });

  after(async () => {
    rmSync(join(tmpdir(), `cc-outside-${interactionId}.wav`), { force: true });
    await h?.close();
  });

  it('plays the whole file as audio/wav, and logs the play with who, which and from where', async () => {
    const res = await get(`/recordings/${rec.ok}/play`, 'quality');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'audio/wav');
    assert.equal(res.headers['accept-ranges'], 'bytes');
    assert.equal(Number(res.headers['content-length']), wav.length);
    assert.ok(res.rawPayload.equals(wav));
    const [row] = await accessRows();
    const quality = await h.app.db('users').where({ role: 'quality' }).first();
    assert.equal(row.user_id, quality.id);
    assert.equal(row.username, quality.username);
    assert.equal(Number(row.recording_id), rec.ok);
    assert.equal(row.interaction_id, interactionId);
    assert.equal(row.action, 'play');
    assert.equal(row.result, 'ok');
    assert.equal(row.ip, '127.0.0.1');
    const [audit] = await auditRows('recording.play', 1);
    assert.equal(audit.target_type, 'recording');
    assert.equal(audit.target_id, String(rec.ok));
    assert.equal(audit.actor_user_id, quality.id);
    assert.deepEqual(typeof audit.after_json === 'string' ? JSON.parse(audit.after_json) : audit.after_json, { interactionId, result: 'ok', sensitiveRead: true });
  });

  it('answers byte ranges so the player can seek; a seek within a logged play adds no row, a new play from 0 does', async () => {
    const before = (await accessRows()).length;
    const part = await get(`/recordings/${rec.ok}/play`, 'quality', { range: 'bytes=100-199' });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 100-199/${wav.length}`);
    assert.ok(part.rawPayload.equals(wav.subarray(100, 200)));
    const tail = await get(`/recordings/${rec.ok}/play`, 'quality', { range: 'bytes=-10' });
    assert.equal(tail.statusCode, 206);
    assert.ok(tail.rawPayload.equals(wav.subarray(wav.length - 10)));
    assert.equal((await accessRows()).length, before, 'seeks are part of the play already logged');
    const past = await get(`/recordings/${rec.ok}/play`, 'quality', { range: `bytes=${wav.length}-` });
    assert.equal(past.statusCode, 416);
    assert.equal(past.headers['content-range'], `bytes */${wav.length}`);
    const again = await get(`/recordings/${rec.ok}/play`, 'quality', { range: 'bytes=0-' });
    assert.equal(again.statusCode, 206);
    assert.equal((await accessRows()).length, before + 1);
    // Someone who never started a play is logged even when they ask for the middle.
    const sneaky = await get(`/recordings/${rec.ok}/play`, 'super', { range: 'bytes=1-' });
    assert.equal(sneaky.statusCode, 206);
    assert.equal((await accessRows()).length, before + 2);
  });

  it('downloads as an attachment, logged as a download', async () => {
    const res = await get(`/recordings/${rec.ok}/download`, 'admin');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-disposition'], `attachment; filename="${interactionId}-${rec.ok}.wav"`);
    assert.ok(res.rawPayload.equals(wav));
    const last = (await accessRows()).at(-1);
    assert.equal(last.action, 'download');
    assert.equal(last.result, 'ok');
    assert.equal((await auditRows('recording.download', 1)).length, 1);
  });

  it('is refused to agents, report viewers and strangers, and nothing is logged for them', async () => {
    const before = (await accessRows()).length;
    for (const who of ['agent', 'reports']) {
      assert.equal((await get(`/recordings/${rec.ok}/play`, who)).statusCode, 403, who);
      assert.equal((await get(`/recordings/${rec.ok}/download`, who)).statusCode, 403, who);
    }
    const stranger = await get(`/recordings/${rec.ok}/play`, 'nobody');
    assert.equal(stranger.statusCode, 302);
    assert.equal((await accessRows()).length, before);
  });

  it('a recording deleted by retention answers 410 with the date, missing files 404, both logged and shown on the page', async () => {
    const before = (await accessRows()).length;
    const gone = await get(`/recordings/${rec.deleted}/play`, 'super');
    assert.equal(gone.statusCode, 410);
    assert.match(gone.headers['content-type'] as string, /^application\/json/);
    assert.deepEqual(gone.json(), { error: { code: 'recording-deleted', message: `recording ${rec.deleted} is no longer available: deleted by retention on 2026-06-08`, details: { deletedAt: '2026-06-08T02:00:00.000Z' } } });
    const missing = await get(`/recordings/${rec.missing}/download`, 'super');
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { error: { code: string } }).error.code, 'recording-file-missing');
    const rows = (await accessRows()).slice(before);
    assert.deepEqual(rows.map((r) => [Number(r.recording_id), r.action, r.result]), [[rec.deleted, 'play', 'deleted'], [rec.missing, 'download', 'missing']]);
    const unknown = await get('/recordings/999999/play', 'super');
    assert.equal(unknown.statusCode, 404);
    assert.equal((unknown.json() as { error: { code: string } }).error.code, 'recording-not-found');

    const page = await get(`/interactions/${interactionId}`, 'super');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<li data-recording-id="${rec.ok}" data-state="available">[^]*?<audio controls preload="none" src="/recordings/${rec.ok}/play"`));
    assert.match(page.body, new RegExp(`<li data-recording-id="${rec.deleted}" data-state="deleted">[^]*?Recording no longer available: deleted by retention on 2026-06-08\\.`));
    assert.match(page.body, new RegExp(`<li data-recording-id="${rec.missing}" data-state="missing">[^]*?Recording file missing on disk\\.`));
    const api = (await get(`/api/v1/interactions/${interactionId}`, 'super')).json() as { recordings: Array<{ id: number; state: string }> };
    assert.deepEqual(api.recordings.map((r) => [r.id, r.state]), [[rec.ok, 'available'], [rec.deleted, 'deleted'], [rec.missing, 'missing'], [rec.traversal, 'missing'], [rec.symlink, 'missing']]);
  });

  it('never sends a file outside the recordings directory, whatever the row says', async () => {
    for (const key of ['traversal', 'symlink']) {
      const res = await get(`/recordings/${rec[key]}/download`, 'admin');
      assert.equal(res.statusCode, 404, key);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'recording-file-missing');
      assert.doesNotMatch(res.body, /root:|RIFF/);
    }
  });

  it('admins read the access log, filtered; nobody else does', async () => {
    const all = await get('/api/v1/recordings/access-log', 'admin');
    assert.equal(all.statusCode, 200, all.body);
    const page = all.json() as { total: number; items: Array<{ recordingId: number; action: string; result: string; username: string; interactionId: string }> };
    assert.equal(page.total, (await accessRows()).length);
    assert.equal(page.items[0]?.recordingId, rec.symlink, 'newest first');
    const downloads = (await get(`/api/v1/recordings/access-log?action=download&recordingId=${rec.ok}`, 'admin')).json() as typeof page;
    assert.equal(downloads.total, 1);
    assert.equal(downloads.items[0]?.interactionId, interactionId);
    const quality = await h.app.db('users').where({ role: 'quality' }).first();
    const byUser = (await get(`/api/v1/recordings/access-log?user=${quality.username}`, 'admin')).json() as typeof page;
    assert.ok(byUser.total >= 2 && byUser.items.every((i) => i.username === quality.username));
    assert.equal((await get('/api/v1/recordings/access-log', 'super')).statusCode, 403);
    assert.equal((await get('/api/v1/recordings/access-log', 'quality')).statusCode, 403);
    assert.equal((await get('/api/v1/recordings/access-log?action=listen', 'admin')).statusCode, 400);
    assert.equal((await get('/api/v1/recordings/access-log?from=yesterday', 'admin')).statusCode, 400);
    const adminPage = await get(`/interactions/${interactionId}`, 'admin');
    const section = adminPage.body.slice(adminPage.body.indexOf('<table id="access-log"'));
    assert.equal((section.match(/<tr><td><time/g) ?? []).length, page.total, 'the interaction page lists every access for admins');
    assert.match(section, /<td data-value="deleted">Deleted by retention<\/td>/);
    assert.doesNotMatch((await get(`/interactions/${interactionId}`, 'super')).body, /id="access-log"/);
  });
});
