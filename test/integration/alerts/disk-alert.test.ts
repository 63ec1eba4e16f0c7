// The recordings-disk alert with the real fs.statfs of the recordings directory (a
// temporary Asterisk root, so the directory does not exist yet and its nearest parent
// is read): a threshold above the free space raises one alert, pushed to the live topic
// and the webhook like every alert; a threshold below it ends it. Bad rules are refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { statfs } from 'node:fs/promises';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
let hookServer: http.Server;
const hooks: Array<{ kind: string; alert: { subject: string; kind: string } }> = [];

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('recordings disk alert', { timeout: 60000 }, () => {
  before(async () => {
    hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const port = (hookServer.address() as { port: number }).port;
    h = await routingHarness({ alerts: { evaluateEverySec: 1, webhookUrl: `http://127.0.0.1:${port}/hook`, emailTo: [] } });
  });

  after(async () => {
    await h?.close();
    hookServer?.closeAllConnections();
    await new Promise((r) => hookServer?.close(r));
  });

  it('refuses a disk rule naming a queue, or more than 100 % free', async () => {
    const withQueue = await h.api('POST', '/api/v1/alert-rules', { name: 'disk', kind: 'recordings_disk_pct_under', queue: 'support', threshold: 10 });
    assert.equal(withQueue.statusCode, 422, withQueue.body);
    assert.match(withQueue.json().error.message, /\/queue/);
    const over = await h.api('POST', '/api/v1/alert-rules', { name: 'disk', kind: 'recordings_disk_pct_under', threshold: 150 });
    assert.equal(over.statusCode, 422, over.body);
    assert.match(over.json().error.message, /\/threshold/);
    assert.equal((await h.app.alerts.rules()).length, 0, 'nothing stored');
  });

  it('reads the real free space of the recordings disk', async () => {
    const read = await h.app.recordings.diskSpace();
    assert.ok(read, 'statfs answered');
    const s = await statfs(h.soundsDir.replace(/\/var\/lib\/asterisk\/sounds$/, ''));
    assert.equal(read.totalBytes, s.blocks * s.bsize, 'the same file system');
    assert.ok(read.freeBytes > 0 && read.freeBytes < read.totalBytes);
  });

  it('raises one alert while free space is under the threshold, and ends it once the threshold is under the free space', async () => {
    const notices: Array<{ kind: string; alert: { subject: string } }> = [];
    await h.app.live.subscribe('alerts', (p) => notices.push(p as (typeof notices)[number]));
    const created = await h.api('POST', '/api/v1/alert-rules', { name: 'Recordings disk', kind: 'recordings_disk_pct_under', threshold: 100 });
    assert.equal(created.statusCode, 201, created.body);
    const rule = created.json();
    const raised = await waitFor('disk alert raised', async () => (await h.app.alerts.active())[0]);
    assert.equal(raised.subject, 'disk:recordings');
    assert.equal(raised.kind, 'recordings_disk_pct_under');
    const disk = (await h.app.recordings.diskSpace())!;
    assert.ok(Math.abs(raised.lastValue - (disk.freeBytes / disk.totalBytes) * 100) < 1, `value ${raised.lastValue} is the free percent`);
    assert.match(raised.label, /var\/spool\/asterisk\/recording\/cc$/);
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await h.app.db('alerts')).length, 1, 'one episode, however many evaluations');

    const { id, updatedAt, ...body } = rule;
    assert.ok(id && updatedAt);
    assert.equal((await h.api('PUT', `/api/v1/alert-rules/${rule.id}`, { ...body, threshold: 0 })).statusCode, 200);
    const ended = await waitFor('disk alert ended', async () => (await h.app.db('alerts').whereNotNull('ended_at'))[0]);
    assert.equal(ended.subject, 'disk:recordings');
    await waitFor('live notices', async () => notices.length >= 2);
    assert.deepEqual(notices.map((n) => [n.kind, n.alert.subject]), [['raised', 'disk:recordings'], ['ended', 'disk:recordings']]);
    await waitFor('webhook calls', async () => hooks.length >= 2);
    assert.deepEqual(hooks.map((n) => [n.kind, n.alert.kind]), [['raised', 'recordings_disk_pct_under'], ['ended', 'recordings_disk_pct_under']]);
  });

  it('watches free GB the same way', async () => {
    const res = await h.api('POST', '/api/v1/alert-rules', { name: 'Recordings GB', kind: 'recordings_disk_gb_under', threshold: 1_000_000 });
    assert.equal(res.statusCode, 201, res.body);
    const raised = await waitFor('GB alert raised', async () => (await h.app.alerts.active()).find((a) => a.kind === 'recordings_disk_gb_under'));
    const disk = (await h.app.recordings.diskSpace())!;
    assert.ok(Math.abs(raised.lastValue - disk.freeBytes / 1e9) < 1, `value ${raised.lastValue} is free GB`);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/alert-rules/${res.json().id}`, headers: { cookie: h.cookie, 'x-csrf-token': h.csrf } });
    assert.equal(del.statusCode, 204, del.body);
    await waitFor('GB alert ended with its rule', async () => (await h.app.alerts.active()).length === 0);
  });
});
