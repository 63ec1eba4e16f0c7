// The CRM's caller-id lookup, which runs on the call path when the desk phone rings, and the
// whole screen-pop card (lookup, latest notes, history with recordings) built from it.
//
// 100,000 customers (BENCH_CRM_CUSTOMERS) with one or two numbers each and 200,000 earlier
// interactions (BENCH_CRM_INTERACTIONS) from their numbers are written straight into the
// database; then CrmService.lookup and CrmService.card are timed in this process, MariaDB
// round trips included, for caller ids in the formats a trunk delivers (national, +, 00,
// bare international) and for unknown callers. Samples alternate hit and miss.
// Prints n, median, p99, min, max per case, and the lookup statement's EXPLAIN.
//
// No Asterisk, no server: MariaDB only. Run: npx tsx scripts/bench/crm-lookup.ts [samples]
// Uses CC_TEST_DB (default cc_bench), which it drops and re-creates.
import './lib/crm-bench-env.js';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { resetDatabase, testConfig } from '../../test/support/config.js';
import { createDb, migrateLatest, type Knex } from '../../server/core/db.js';
import { CustomerRepository } from '../../server/crm/customer-repository.js';
import { HistoryRepository } from '../../server/crm/history-repository.js';
import { CrmService } from '../../server/crm/crm-service.js';
import { machineLine, ms, summarize, table } from './lib/stats.js';
import { createFieldCipher } from '../../server/core/field-crypto.js';

const SAMPLES = Number(process.argv[2] ?? process.env.BENCH_CRM_SAMPLES ?? 2000);
const CUSTOMERS = Number(process.env.BENCH_CRM_CUSTOMERS ?? 100_000);
const INTERACTIONS = Number(process.env.BENCH_CRM_INTERACTIONS ?? 200_000);
const BATCH = 2000;
const rule = { countryCode: '86', nationalPrefix: '0', internationalPrefix: '00', nationalMinDigits: 8 };
/** Customer i's first number: a Chinese mobile, unique per i. */
const mobile = (i: number) => `+86138${String(i).padStart(8, '0')}`;
const TAGS = JSON.stringify(['bench', 'mandarin']);

async function fill(db: Knex): Promise<void> {
  for (let start = 0; start < CUSTOMERS; start += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, CUSTOMERS - start) }, (_, k) => start + k + 1);
    await db('customers').insert(ids.map((id) => ({ id, name: `Customer ${id}`, level: id % 10 ? 'standard' : 'gold', tags: TAGS, notes: 'bench' })));
    const numbers = ids.flatMap((id) => [{ customer_id: id, number: mobile(id) }, ...(id % 2 ? [{ customer_id: id, number: `+8610${String(id).padStart(8, '0')}` }] : [])]);
    await db('customer_numbers').insert(numbers);
    await db('customer_notes').insert(ids.filter((id) => id % 3 === 0).map((id) => ({ customer_id: id, author_name: 'Bench', body: `note for ${id}` })));
  }
  const t0 = Date.now() - 90 * 86400_000;
  for (let start = 0; start < INTERACTIONS; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, INTERACTIONS - start) }, (_, k) => {
      const n = start + k;
      const customer = (n % CUSTOMERS) + 1;
      return {
        id: randomUUID(), direction: 'inbound', caller_number: mobile(customer).replace('+86', ''), entered_at: new Date(t0 + n * 30_000),
        queue: 'support', outcome: 'answered', wait_ms: 5000, talk_ms: 60_000, customer_id: n % 4 === 0 ? customer : null,
      };
    });
    await db('interactions').insert(rows);
  }
  await db.raw('ANALYZE TABLE customers, customer_numbers, customer_notes, interactions');
}

async function time(samples: number, next: (i: number) => string, run: (callerId: string) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const callerId = next(i);
    const start = process.hrtime.bigint();
    await run(callerId);
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

const pick = () => 1 + Math.floor(Math.random() * CUSTOMERS);
const FORMS: Record<string, () => string> = {
  'national (138...)': () => mobile(pick()).replace('+86', ''),
  'international (+86 138 ...)': () => mobile(pick()).replace(/^(\+86)(\d{3})/, '$1 $2 '),
  '00 prefix (0086138...)': () => mobile(pick()).replace('+', '00'),
  'bare international (86138...)': () => mobile(pick()).replace('+', ''),
  'unknown caller': () => `+8615${String(pick()).padStart(9, '0')}`,
};

async function main(): Promise<void> {
  const config = testConfig({ crm: rule });
  await resetDatabase(config);
  const db = createDb(config);
  try {
    await migrateLatest(db);
    const filled = Date.now();
    await fill(db);
    console.log(`filled ${CUSTOMERS} customers, ${INTERACTIONS} interactions in ${((Date.now() - filled) / 1000).toFixed(1)} s`);
    const cipher = createFieldCipher(config);
    const crm = new CrmService({
      customers: new CustomerRepository(db, cipher), history: new HistoryRepository(db, cipher), interactions: { update: async () => {} }, numberRule: rule, log: pino({ level: 'warn' }),
    });
    const hit = await crm.lookup(mobile(4242).replace('+86', '0'));
    if (hit?.id !== 4242) throw new Error(`lookup found ${hit?.id}, not 4242`);
    await time(200, FORMS['national (138...)']!, (n) => crm.lookup(n)); // warm the pool and the buffer pool
    const rows: string[][] = [];
    for (const [name, next] of Object.entries(FORMS)) {
      const s = summarize(await time(SAMPLES, next, (n) => crm.lookup(n)))!;
      rows.push([`lookup, ${name}`, String(s.n), ms(s.median, 2), ms(s.p99, 2), ms(s.min, 2), ms(s.max, 2)]);
    }
    for (const [name, next] of [['known caller', FORMS['national (138...)']!], ['unknown caller', FORMS['unknown caller']!]] as const) {
      const s = summarize(await time(SAMPLES, next, (n) => crm.card(n, { historyLimit: 10 })))!;
      rows.push([`card (lookup + notes + 10 of history), ${name}`, String(s.n), ms(s.median, 2), ms(s.p99, 2), ms(s.min, 2), ms(s.max, 2)]);
    }
    console.log(table(['case', 'n', 'median ms', 'p99 ms', 'min ms', 'max ms'], rows));
    const explain = await db.raw('EXPLAIN ' + db('customers as c').join('customer_numbers as n', 'n.customer_id', 'c.id').whereIn('n.number', ['+8613800004242', '+13800004242']).select('c.id').toQuery());
    console.log('lookup plan:', (explain[0] as Array<Record<string, unknown>>).map((r) => `${r.table}: ${r.type} on ${r.key} (rows ${r.rows})`).join('; '));
    console.log(machineLine());
  } finally {
    await db.destroy();
  }
}

await main();
