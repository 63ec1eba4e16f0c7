import type { Knex } from 'knex';
import type { Config } from './config.js';

// The seed writes rows directly: core uses no room, and the seed runs from scripts with
// a bare knex. What it writes must still be what the rooms would accept (the integration
// tests read the demo back through the API and the flow validator).

/** The second demo queue, reached from the demo menu's option 2. */
export const DEMO_BILLING_QUEUE = 'billing';
export const DEMO_FLOW = 'main';
/** How many of the configured desk phones also take billing calls. */
const BILLING_AGENTS = 2;

const queueConfig = (skill: string) => ({
  skill, minLevel: 1, strategy: 'longest_idle', maxMisses: 2, overflow: [], priority: {}, announceEverySec: 60, serviceLevelSec: 20,
});

/** Open all day every day in the configured zone, so the demo always answers; then a two-way menu. */
export function demoFlow(config: Config): Record<string, unknown> {
  return {
    name: DEMO_FLOW,
    description: 'Demo: opening hours, then a menu to support or billing',
    language: 'en',
    start: 'hours',
    steps: {
      hours: {
        type: 'hours',
        schedule: { timezone: config.timezone, weekly: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }], holidays: [] },
        open: 'menu',
        closed: 'closed',
      },
      closed: { type: 'hangup', prompt: [{ tts: 'We are closed. Please call again during our opening hours. Goodbye.' }] },
      menu: {
        type: 'menu',
        prompt: [{ tts: 'Press 1 for support, 2 for billing.' }],
        options: { 1: 'topic-support', 2: 'to-billing' },
        timeoutSec: 5,
        maxRetries: 2,
        default: 'to-support',
      },
      'topic-support': { type: 'set', attrs: { topic: 'support' }, next: 'to-support' },
      'to-support': { type: 'queue', queue: config.demo.queue },
      'to-billing': { type: 'queue', queue: DEMO_BILLING_QUEUE },
    },
  };
}

async function ensureQueue(db: Knex, config: Config, name: string, skill: string): Promise<number> {
  const { ringTimeoutSec, wrapUpSec } = config.routing;
  await db('queues')
    .insert({ name, ring_timeout_s: ringTimeoutSec, wrap_up_s: wrapUpSec, config: JSON.stringify(queueConfig(skill)) })
    .onConflict('name')
    .ignore();
  return (await db('queues').where({ name }).first('id')).id;
}

/** Adds the skill unless the agent holds it already (an admin's level is kept), and the queue membership it gives. */
async function grant(db: Knex, agentId: number, queueId: number, skill: string, level: number): Promise<void> {
  await db('agent_skills').insert({ agent_id: agentId, skill, level }).onConflict(['agent_id', 'skill']).ignore();
  await db('queue_agents').insert({ queue_id: queueId, agent_id: agentId }).onConflict(['queue_id', 'agent_id']).ignore();
}

/**
 * Writes the demo DID when it is missing: to `demo.flow` when set and that flow exists,
 * else straight to the demo queue. An existing DID is left as it is (an admin may have
 * routed it elsewhere); the answer says where it goes now.
 */
async function routeDid(db: Knex, config: Config, queueId: number): Promise<string> {
  const { did, flow } = config.demo;
  const target = flow ? await db('ivr_flows').where({ name: flow }).first('id') : undefined;
  await db('dids').insert(target ? { number: did, flow_id: target.id, queue_id: null } : { number: did, queue_id: queueId }).onConflict('number').ignore();
  const row = await db('dids')
    .leftJoin('ivr_flows', 'ivr_flows.id', 'dids.flow_id')
    .leftJoin('queues', 'queues.id', 'dids.queue_id')
    .where('dids.number', did)
    .first('ivr_flows.name as flow', 'queues.name as queue');
  const missing = flow && !target ? ` (flow ${flow} does not exist)` : '';
  return `${row?.flow ? `flow ${row.flow}` : `queue ${row?.queue ?? 'none'}`}${missing}`;
}

/**
 * The demo configuration: queues support and billing, one agent per configured desk
 * phone, their skills, the flow `main`, and the demo DID. Safe at every boot: it only
 * adds what is missing and never changes or removes what an admin has edited.
 */
export async function seedDemo(db: Knex, config: Config): Promise<string> {
  const supportId = await ensureQueue(db, config, config.demo.queue, 'support');
  const billingId = await ensureQueue(db, config, DEMO_BILLING_QUEUE, 'billing');
  for (const [i, phone] of config.phones.entries()) {
    await db('agents').insert({ number: phone.extension, name: phone.name, extension: phone.extension }).onConflict('number').ignore();
    const agent = await db('agents').where({ number: phone.extension }).first('id');
    await grant(db, agent.id, supportId, 'support', 3);
    if (i < BILLING_AGENTS) await grant(db, agent.id, billingId, 'billing', 2);
  }
  await db('ivr_flows').insert({ name: DEMO_FLOW, body: JSON.stringify(demoFlow(config)), version: 1 }).onConflict('name').ignore();
  const route = await routeDid(db, config, supportId);
  return `demo: queues ${config.demo.queue} and ${DEMO_BILLING_QUEUE}, DID ${config.demo.did} to ${route}, ${config.phones.length} agents, flow ${DEMO_FLOW}`;
}
