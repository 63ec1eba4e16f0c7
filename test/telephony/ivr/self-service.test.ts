// Self-service with a real caller: digits collected by DTMF, sent to an HTTP lookup (a
// small server in this test), the answer spoken back from Asterisk's prompts, and the
// fallback route when the lookup fails or is too slow.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { carrierCall } from '../../support/sipp.js';
import { putFlow, routeDidToFlow, patchQueue } from '../../support/routing-setup.js';
import { asteriskLog, played, callerChannel, missingSounds, serverErrors } from '../../support/logs.js';
import { createDb } from '../../../server/core/db.js';

const config = testConfig();
const db = createDb(config);
const DID = '5557000';
const LOOKUP_TIMEOUT_MS = 1500;
let server: ServerHandle;
let lookup: Server;
const asked: string[] = [];

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const number = (tag: string) => `8618${tag}${Date.now() % 100000}`;
const ended = (caller: string) => waitFor(`interaction of ${caller} ended`, async () => {
  const r = await db('interactions').where({ caller_number: caller }).first();
  return r?.ended_at ? r : undefined;
}, 40000);
const steps = async (id: string) => (await db('call_events').where({ interaction_id: id, type: 'ivr-step' }).orderBy('seq')).map((e: any) => json(e.data));
const route = (path: Array<{ step: string; result?: string }>) => path.map((p) => (p.result ? `${p.step}:${p.result}` : p.step));

/** The customer system: one known account, one that breaks, one that answers too late. */
function startLookup(): Promise<number> {
  lookup = createServer((req, res) => {
    const account = new URL(req.url ?? '/', 'http://x').searchParams.get('account') ?? '';
    asked.push(account);
    if (account === '50000000') {
      res.writeHead(500).end('database down');
    } else if (account === '70000000') {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"balance":"1.00"}'), LOOKUP_TIMEOUT_MS + 2000);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ balance: '42.50', orders: 7, ref: '4096', segment: 'gold' }));
    }
  });
  return new Promise((resolve) => lookup.listen(0, '127.0.0.1', () => resolve((lookup.address() as AddressInfo).port)));
}

describe('IVR self-service lookups on real Asterisk', { timeout: 200000 }, () => {
  before(async () => {
    await seededDatabase(config);
    const port = await startLookup();
    for (const q of [config.demo.queue, 'billing']) await patchQueue(db, q, { announceEverySec: 0 });
    await putFlow(db, 'balance', {
      start: 'ask',
      steps: {
        ask: { type: 'collect', prompt: [{ sound: 'beep' }], into: 'account', minDigits: 8, maxDigits: 8, terminator: '#', timeoutSec: 5, maxRetries: 1, next: 'fetch', failed: 'to-support' },
        fetch: { type: 'lookup', url: `http://127.0.0.1:${port}/accounts`, send: ['account'], timeoutMs: LOOKUP_TIMEOUT_MS, into: 'acct', next: 'say-balance', failed: 'sorry' },
        'say-balance': { type: 'say', from: 'acct.balance', as: 'amount', next: 'say-orders' },
        'say-orders': { type: 'say', from: 'acct.orders', as: 'number', next: 'say-ref' },
        'say-ref': { type: 'say', from: 'acct.ref', as: 'digits', next: 'to-billing' },
        sorry: { type: 'play', prompt: [{ sound: 'pbx-invalid' }], next: 'to-support' },
        'to-billing': { type: 'queue', queue: 'billing' },
        'to-support': { type: 'queue', queue: config.demo.queue },
      },
    });
    await routeDidToFlow(db, DID, 'balance');
    // Nobody answers: each caller ends waiting in the queue its lookup led to.
    server = startServer({ CC__DEMO__READY_AGENTS: '[]' });
    await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
  });

  after(async () => {
    await server?.stop();
    lookup?.close();
    await db.destroy();
  });

  it('an account number typed with # is looked up, its balance, orders and reference are spoken, and the call goes on to billing', async () => {
    const caller = number('0');
    const log = asteriskLog(config);
    const res = await carrierCall({ did: DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '12345678#' }, { pauseMs: 14000 }] });
    assert.equal(res.code, 0, res.stderr.slice(-300));
    const row = await ended(caller);
    assert.equal(asked.at(-1), '12345678');
    assert.equal(row.queue, 'billing');
    const path = json(row.ivr_path);
    assert.deepEqual(route(path), ['ask:ok', 'fetch:ok', 'say-balance:said', 'say-orders:said', 'say-ref:said', 'to-billing']);
    assert.equal(path[0].input, '****5678', 'the account is masked in the path');
    assert.deepEqual(route(await steps(row.id)), route(path), 'every step is a call event too');
    const attrs = json(row.attrs);
    assert.deepEqual([attrs.account, attrs['acct.balance'], attrs['acct.orders'], attrs['acct.segment']], ['12345678', '42.50', '7', 'gold']);
    const lines = log.lines();
    // "forty two dollars and fifty", "seven", "four zero nine six"
    assert.deepEqual(played(lines, callerChannel(lines, caller)), [
      'beep.gsm', 'digits/40.gsm', 'digits/2.gsm', 'digits/dollars.gsm', 'vm-and.gsm', 'digits/50.gsm',
      'digits/7.gsm', 'digits/4.gsm', 'digits/0.gsm', 'digits/9.gsm', 'digits/6.gsm',
    ]);
    assert.deepEqual(missingSounds(lines), []);
  });

  it('a lookup that answers 500 takes the fallback route to support', async () => {
    const caller = number('1');
    await carrierCall({ did: DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '50000000#' }, { pauseMs: 5000 }] });
    const row = await ended(caller);
    assert.equal(asked.at(-1), '50000000');
    assert.equal(row.queue, config.demo.queue);
    assert.deepEqual(route(json(row.ivr_path)), ['ask:ok', 'fetch:failed', 'sorry', 'to-support']);
    assert.equal(Object.keys(json(row.attrs)).filter((k) => k.startsWith('acct.')).length, 0, 'nothing stored from a failed lookup');
  });

  it('a lookup slower than its time limit takes the fallback route when the limit runs out', async () => {
    const caller = number('2');
    await carrierCall({ did: DID, caller, talkMs: 0, steps: [{ pauseMs: 1500 }, { dtmf: '70000000#' }, { pauseMs: 6000 }] });
    const row = await ended(caller);
    assert.equal(asked.at(-1), '70000000');
    const path = json(row.ivr_path);
    assert.deepEqual(route(path), ['ask:ok', 'fetch:failed', 'sorry', 'to-support']);
    const waited = Date.parse(path[1].at) - Date.parse(path[0].at);
    assert.ok(waited >= LOOKUP_TIMEOUT_MS - 100 && waited < LOOKUP_TIMEOUT_MS + 1000, `gave up after ${waited} ms`);
    assert.equal(row.queue, config.demo.queue);
    assert.deepEqual(serverErrors(server.log()), []);
  });
});
