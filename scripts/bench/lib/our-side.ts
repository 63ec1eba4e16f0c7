// Our side of a telephony benchmark: the bench database (CC_TEST_DB, cc_bench by default)
// seeded through the admin REST API, the real server as a child process, and the bench
// phones registered for real, so the device tracker sees them as it sees any desk phone.
import './bench-env.js';
import { existsSync, rmSync } from 'node:fs';
import type { Knex } from 'knex';
import { testConfig, seededDatabase } from '../../../test/support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../../test/support/server-process.js';
import { apiSession } from '../../../test/support/api.js';
import { registerPhone } from '../../../test/support/sipp.js';
import { createDb } from '../../../server/core/db.js';
import { asteriskHostPath, type Config } from '../../../server/core/config.js';
import type { BenchPhone } from './bench-asterisk.js';
import { sleep } from './stats.js';

export type Api = Awaited<ReturnType<typeof apiSession>>;

export interface OurSide {
  config: Config;
  db: Knex;
  server: ServerHandle;
  api: Api;
  /** Agent id by extension. */
  agents: Map<string, number>;
  setState(agentId: number, state: 'ready' | 'paused'): Promise<void>;
  stop(): Promise<void>;
}

/** A DID, its flow and the queue the flow ends in. */
export interface OurRoute {
  queue: Record<string, unknown> & { name: string; skill: string };
  flow: Record<string, unknown> & { name: string };
  did: string;
  /** The agents (by extension) given the queue's skill; every phone's agent when left out. */
  extensions?: string[];
}

export interface OurSetup extends OurRoute {
  phones: BenchPhone[];
  /** Further routes beside the first, each with its own agents. */
  more?: OurRoute[];
}

/** Registers phones in small parallel batches; each one's calls go to `contactPort`. */
export async function registerAll(phones: BenchPhone[], contactPort: number, expires?: number): Promise<void> {
  for (let i = 0; i < phones.length; i += 8) {
    await Promise.all(phones.slice(i, i + 8).map((p) => registerPhone({ extension: p.extension, password: p.password, contactPort, expires })));
  }
}

async function call(api: Api, method: string, path: string, body: unknown, ok: number): Promise<unknown> {
  const res = await api(method, path, body);
  const text = await res.text();
  if (res.status !== ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 400)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The queue, skills, flow and DID through the same admin API an administrator uses. */
async function seedThroughApi(api: Api, s: OurRoute, agents: Map<string, number>): Promise<void> {
  await call(api, 'POST', '/api/v1/queues', s.queue, 201);
  const holders = s.extensions ? s.extensions.map((e) => agents.get(e) as number) : [...agents.values()];
  for (const id of holders) await call(api, 'PUT', `/api/v1/agents/${id}/skills`, { [s.queue.skill]: 3 }, 200);
  await call(api, 'POST', '/api/v1/ivr/flows', s.flow, 201);
  await call(api, 'PUT', `/api/v1/dids/${s.did}`, { flow: s.flow.name }, 200);
}

/**
 * A fresh bench database with the phones' agents, the server started on it, then the
 * queue, skills, flow and DID created through the API. The phones must be registered
 * before this is called: the server reads registrations when it connects to AMI.
 */
export async function startOurSide(s: OurSetup): Promise<OurSide> {
  const config = testConfig();
  await seededDatabase(config);
  const db = createDb(config);
  for (const p of s.phones) await db('agents').insert({ number: p.extension, name: `Bench ${p.extension}`, extension: p.extension });
  const rows: Array<{ id: number; extension: string }> = await db('agents').whereIn('extension', s.phones.map((p) => p.extension)).select('id', 'extension');
  const agents = new Map(rows.map((r) => [r.extension, r.id]));
  const server = startServer({ CC__DEMO__READY_AGENTS: '[]' });
  try {
    await waitFor('bench server healthy', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\n${server.log().slice(-2000)}`, { cause: err });
  }
  let api: Api;
  try {
    api = await apiSession(config.demo.adminUser, 'test-admin-password');
    for (const route of [s, ...(s.more ?? [])]) await seedThroughApi(api, route, agents);
    await waitFor('bench phones registered as the server sees them', async () => {
      const list = (await call(api, 'GET', '/api/v1/agents', undefined, 200)) as Array<{ extension: string; registered: boolean }>;
      return list.filter((a) => agents.has(a.extension) && a.registered).length === agents.size;
    }, 30000);
  } catch (err) {
    await server.stop();
    await db.destroy();
    throw new Error(`${(err as Error).message}\nserver log:\n${server.log().slice(-3000)}`, { cause: err });
  }
  // Queue settings reach the call path through a cache refreshed every 5 s (acd/queue-cache.ts).
  await sleep(5500);
  const setState = async (agentId: number, state: 'ready' | 'paused') => {
    await call(api, 'POST', `/api/v1/agents/${agentId}/state`, state === 'paused' ? { state, reason: 'bench' } : { state }, 200);
  };
  return {
    config, db, server, api, agents, setState,
    stop: async () => {
      await removeRecordings(config, db).catch(() => undefined);
      await server.stop();
      await db.destroy();
    },
  };
}

/** Our recordings of bench calls (MixMonitor files in a dated tree) are removed after the run. */
async function removeRecordings(config: Config, db: Knex): Promise<void> {
  const rows: Array<{ id: string; answered_at: Date | null }> = await db('interactions').whereNotNull('answered_at').select('id', 'answered_at');
  for (const r of rows) {
    const day = new Date(r.answered_at as Date).toISOString().slice(0, 10).replace(/-/g, '/');
    const file = asteriskHostPath(config, `${config.asterisk.recordingsDir}/${day}/${r.id}.wav`);
    if (existsSync(file)) rmSync(file);
  }
}
