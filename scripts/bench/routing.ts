// Routing benchmark: how long one pick-and-reserve takes, round trip included, as the
// number of agents and waiting calls grows. Uses Redis db 5 only, which it empties.
// Run: npx tsx scripts/bench/routing.ts [picks per cell]   (or make bench)
import { cpus, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { keys } from '../../server/live/keys.js';
import type { Strategy } from '../../server/acd/schemas.js';
import { RoutingStore, type ReadyMembership } from '../../server/acd/routing/routing-store.js';
import { readyScore } from '../../server/acd/routing/strategy.js';

const DB = 5;
const QUEUES = 50;
const STRATEGIES: Strategy[] = ['longest_idle', 'fewest_calls', 'best_skill', 'round_robin'];
const SIZES = [
  { agents: 200, calls: 1_000 },
  { agents: 2_000, calls: 10_000 },
  { agents: 5_000, calls: 25_000 },
];
const PICKS = Number(process.argv[2] ?? 3000);
const T0 = Date.now();

/** A seeded generator, so two runs build the same data and compare like with like. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const queueName = (i: number) => `bench-${String(i).padStart(2, '0')}`;
const strategyOf = (queue: string) => STRATEGIES[Number(queue.slice(-2)) % STRATEGIES.length] as Strategy;

interface World {
  memberships: Map<number, ReadyMembership[]>;
  callQueue: Map<string, string>;
  nextScore: number;
  seq: number;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function makeReady(redis: Redis, store: RoutingStore, id: number, m: ReadyMembership[]): Promise<void> {
  await redis.hset(keys.agent(id), 'state', 'ready', 'since', new Date().toISOString(), 'interactionId', '', 'pauseReason', '');
  await redis.sadd(keys.agentsReady(), String(id));
  await store.agentReady(id, m);
}

/** Agents in 2..6 random queues with random levels; calls mostly open to level 1. */
async function populate(redis: Redis, store: RoutingStore, agents: number, calls: number, rand: () => number): Promise<World> {
  const world: World = { memberships: new Map(), callQueue: new Map(), nextScore: T0, seq: 0 };
  for (let id = 1; id <= agents; id++) {
    const picked = new Set<number>();
    const count = 2 + Math.floor(rand() * 5);
    while (picked.size < count) picked.add(Math.floor(rand() * QUEUES));
    world.memberships.set(id, [...picked].map((q) => {
      const queue = queueName(q);
      const standing = { idleSinceMs: T0 - Math.floor(rand() * 3_600_000), callsToday: Math.floor(rand() * 30), lastOfferSeq: 0 };
      return { queue, level: 1 + Math.floor(rand() * 5), score: readyScore(strategyOf(queue), standing) };
    }));
  }
  await inBatches([...world.memberships], 500, ([id, m]) => makeReady(redis, store, id, m));
  const ids = Array.from({ length: calls }, (_, i) => `call-${i}`);
  for (const id of ids) world.callQueue.set(id, queueName(Math.floor(rand() * QUEUES)));
  await inBatches(ids, 1000, async (id) => {
    const r = rand();
    await store.enqueue(id, world.callQueue.get(id) as string, (world.nextScore += 100), r < 0.7 ? 1 : r < 0.9 ? 2 : 3);
    if (r > 0.9) await store.alsoQueue(id, queueName(Math.floor(rand() * QUEUES)));
  });
  return world;
}

/** Puts back what a pick took: the agent ready again, the call as a newcomer at the tail. */
async function restore(redis: Redis, store: RoutingStore, world: World, picked: { callId: string; agentId: number }): Promise<void> {
  const m = (world.memberships.get(picked.agentId) ?? []).map((x) => ({
    ...x,
    score: readyScore(strategyOf(x.queue), { idleSinceMs: Date.now(), callsToday: 31, lastOfferSeq: ++world.seq }),
  }));
  await makeReady(redis, store, picked.agentId, m);
  await store.remove(picked.callId);
  await store.enqueue(picked.callId, world.callQueue.get(picked.callId) as string, (world.nextScore += 100), 1);
}

async function timed(fn: () => Promise<unknown>): Promise<[number, unknown]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [Number(process.hrtime.bigint() - start) / 1000, result];
}

interface Stats { median: number; p99: number; max: number; hits: number }

function stats(samples: number[], hits: number): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median: at(0.5), p99: at(0.99), max: s[s.length - 1] as number, hits: hits / samples.length };
}

type Op = (world: World, rand: () => number) => Promise<unknown>;

/** Total EVALSHA calls and microseconds Redis has spent in them, from INFO commandstats. */
async function scriptTime(redis: Redis): Promise<[number, number]> {
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(await redis.info('commandstats'));
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/**
 * Times `op` PICKS times, round trip included, and separately the time Redis itself spent
 * running the script (load on this machine inflates the first, hardly the second). The
 * INFO reads sit outside the timed part; a sample is kept only when exactly one script ran
 * in between, so another client's scripts cannot pollute it.
 */
async function measure(redis: Redis, store: RoutingStore, world: World, rand: () => number, op: Op): Promise<[Stats, Stats]> {
  const samples: number[] = [];
  const inRedis: number[] = [];
  let hits = 0;
  for (let i = 0; i < PICKS + 200; i++) {
    const [c0, u0] = await scriptTime(redis);
    const [us, picked] = await timed(() => op(world, rand));
    const [c1, u1] = await scriptTime(redis);
    // The first 200 warm up the connection and the JIT.
    if (i >= 200) {
      samples.push(us);
      if (c1 - c0 === 1) inRedis.push(u1 - u0);
      if (picked) hits++;
    }
    if (picked) await restore(redis, store, world, picked as { callId: string; agentId: number });
  }
  return [stats(samples, hits), stats(inRedis.length ? inRedis : [0], 0)];
}

/** A queue where every agent's phone is busy: the pick checks its bound of agents and finds no one. */
async function busyQueue(redis: Redis, store: RoutingStore): Promise<void> {
  await redis.hset(keys.device('PJSIP/bench-busy'), 'registered', '1', 'deviceState', 'INUSE');
  for (let i = 0; i < 500; i++) {
    const id = 900_000 + i;
    await redis.hset(keys.agent(id), 'state', 'ready');
    await store.agentReady(id, [{ queue: 'bench-busy', level: 1 + (i % 5), score: i }], keys.device('PJSIP/bench-busy'));
  }
  for (let i = 0; i < 50; i++) await store.enqueue(`busy-${i}`, 'bench-busy', T0 + i, 1);
}

const fmt = (s: Stats) => `${s.median.toFixed(0)} / ${s.p99.toFixed(0)} / ${s.max.toFixed(0)}`;

function add(table: Map<string, string[]>, name: string, cell: string, under?: string): void {
  const row = under ? `${name}#${under}` : name;
  table.set(row, [...(table.get(row) ?? []), cell]);
}

async function main(): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, db: DB });
  const store = new RoutingStore(redis);
  const ops: Array<[string, Op]> = [
    ['redis PING (round trip only)', () => redis.ping().then(() => undefined)],
    ['pickForQueue', (_w, rand) => { const q = queueName(Math.floor(rand() * QUEUES)); return store.pickForQueue(q, strategyOf(q)); }],
    ['pickForAgent', (w, rand) => {
      const id = 1 + Math.floor(rand() * w.memberships.size);
      return store.pickForAgent(id, (w.memberships.get(id) ?? []).map((m) => m.queue));
    }],
    ['pickForQueue, all phones busy', () => store.pickForQueue('bench-busy', 'longest_idle')],
  ];
  const table = new Map<string, string[]>();
  for (const size of SIZES) {
    await redis.flushdb();
    const rand = rng(42);
    const built = Date.now();
    const world = await populate(redis, store, size.agents, size.calls, rand);
    await busyQueue(redis, store);
    console.error(`built ${size.agents} agents / ${size.calls} calls in ${Date.now() - built} ms`);
    for (const [name, op] of ops) {
      const [s, lua] = await measure(redis, store, world, rand, op);
      const isPick = !name.startsWith('redis');
      add(table, name, `${fmt(s)}${isPick ? ` ${Math.round(s.hits * 100)}%` : ''}`);
      if (isPick) add(table, '  of which Lua in Redis', fmt(lua), name);
    }
  }
  await redis.flushdb();
  redis.disconnect();
  const w = 32;
  const header = SIZES.map((s) => `${s.agents} ag / ${s.calls} calls`.padEnd(w)).join('');
  // Round trips on a busy machine are mostly scheduling: say how busy it was.
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\n${cpus().length} CPUs, load average ${load} (1/5/15 min) at the end of the run`);
  console.log(`Routing picks, ${PICKS} timed per cell, µs median / p99 / max (round trip included), % = picks that reserved a pair`);
  console.log(`${''.padEnd(32)}${header}`);
  for (const [row, cells] of table) console.log(`${row.split('#')[0]?.padEnd(32)}${cells.map((c) => c.padEnd(w)).join('')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
