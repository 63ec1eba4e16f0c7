// The CSV export of a million interactions streams: the rows are generated in MariaDB
// (INSERT ... SELECT from a sequence) and exported over real HTTP by a server in a child
// process whose V8 heap is capped at 96 MB, while the test only counts lines. The file is
// about 135 MB: an export that buffered it (or its rows) would die of an out-of-memory
// error; a streaming one finishes, and its RSS is reported.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

const ROWS = 1_000_000;
const HEAP_MB = 96;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let h: Harness;
let server: ChildProcess;
let base: string;
let cookie: string;
/** The child's latest memory sample and the peak since `peak` was last reset. */
const memory = { rssMb: 0, heapMb: 0, peakRssMb: 0, peakHeapMb: 0 };

/** The app, as main.ts builds it, in a child with a small heap; it prints its port and then its memory. */
function startServer(): Promise<string> {
  const code = `
    import { buildApp } from '${ROOT}server/app.ts';
    import { testConfig } from '${ROOT}test/support/config.ts';
    const app = await buildApp(testConfig({ log: { level: 'error' } }), { telephony: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    console.log('port=' + app.server.address().port);
    setInterval(() => { const m = process.memoryUsage(); console.log('rss=' + m.rss + ' heap=' + m.heapUsed); }, 100);`;
  server = spawn(process.execPath, ['--import', 'tsx', `--max-old-space-size=${HEAP_MB}`, '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    server.once('exit', (status) => reject(new Error(`export server exited with ${status}`)));
    server.stdout?.setEncoding('utf8').on('data', (text: string) => {
      for (const m of text.matchAll(/rss=(\d+) heap=(\d+)/g)) {
        memory.rssMb = Number(m[1]) / 1048576;
        memory.heapMb = Number(m[2]) / 1048576;
        memory.peakRssMb = Math.max(memory.peakRssMb, memory.rssMb);
        memory.peakHeapMb = Math.max(memory.peakHeapMb, memory.heapMb);
      }
      const port = /port=(\d+)/.exec(text)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
  });
}

async function signIn(username: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const anon = /cc_session=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: `cc_session=${anon}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  const sid = /cc_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(sid, 'signed in');
  return `cc_session=${sid}`;
}

describe('exporting a million interactions', () => {
  before(async () => {
    h = await routingHarness();
    await h.app.users.create({ username: 'export-super', password: 'a long password 1', role: 'supervisor', displayName: 'Export' });
    const started = Date.now();
    // seq_1_to_N is MariaDB's Sequence engine: a million rows without a million statements.
    // Every 1000th caller name is a formula, so neutralising is exercised at scale too.
    await h.app.db.raw(`
      INSERT INTO interactions (id, direction, caller_number, caller_name, queue, agent_id, entered_at, outcome, wait_ms, talk_ms, disposition)
      SELECT CONCAT('00000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'inbound', CONCAT('+4477', LPAD(seq, 8, '0')),
             IF(seq % 1000 = 0, '=cmd|'' /C calc''!A0', CONCAT('Caller ', seq)), IF(seq % 2 = 0, 'support', 'billing'), NULL,
             TIMESTAMPADD(SECOND, seq, '2026-01-01 00:00:00'), IF(seq % 10 = 0, 'abandoned', 'answered'), seq % 60000, seq % 600000, NULL
      FROM seq_1_to_${ROWS}`);
    console.log(`# generated ${ROWS} interactions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Port 0: this test talks to no Asterisk, so it takes no shared port and needs no lock.
    base = await startServer();
    cookie = await signIn('export-super', 'a long password 1');
  });

  after(async () => {
    server?.kill();
    await h?.close();
  });

  it('streams every row with flat memory', async () => {
    const res = await fetch(`${base}/api/v1/interactions.csv?from=2026-01-01&to=2027-01-01`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.ok(res.body);
    const atStart = { ...memory };
    Object.assign(memory, { peakRssMb: memory.rssMb, peakHeapMb: memory.heapMb });
    const started = Date.now();
    let lines = 0;
    let bytes = 0;
    let formulas = 0;
    let tail = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      const text = tail + decoder.decode(chunk, { stream: true });
      const parts = text.split('\r\n');
      tail = parts.pop() ?? '';
      lines += parts.length;
      for (const p of parts) if (p.includes(",'=cmd|' /C calc'!A0,")) formulas += 1;
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`# exported ${lines} lines, ${(bytes / 1048576).toFixed(1)} MB in ${seconds.toFixed(1)} s; server RSS ${atStart.rssMb.toFixed(0)} MB before, peak ${memory.peakRssMb.toFixed(0)} MB during the export; heap ${atStart.heapMb.toFixed(0)} MB before, peak ${memory.peakHeapMb.toFixed(0)} MB (cap ${HEAP_MB} MB)`);
    assert.equal(tail, '');
    assert.equal(lines, ROWS + 1, 'the header and every row');
    assert.equal(formulas, ROWS / 1000, 'every formula cell neutralised');
    assert.ok(bytes > 100 * 1048576, 'the file is larger than the memory allowed to grow');
    assert.equal(server.exitCode, null, 'the export server is still up');
    assert.ok(memory.peakRssMb - atStart.rssMb < bytes / 1048576 / 2, 'the server never held half the file');
  });
});
