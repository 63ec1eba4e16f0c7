import type { Knex } from 'knex';
import type { Config } from './config.js';

/**
 * The demo configuration: one queue, the demo DID routed to it, and one agent per
 * configured desk phone in that queue. Only adds what is missing; never edits or removes.
 */
export async function seedDemo(db: Knex, config: Config): Promise<string> {
  const { queue, did } = config.demo;
  await db('queues').insert({ name: queue, ring_timeout_s: config.routing.ringTimeoutSec, wrap_up_s: config.routing.wrapUpSec }).onConflict('name').ignore();
  const q = await db('queues').where({ name: queue }).first('id');
  await db('dids').insert({ number: did, queue_id: q.id }).onConflict('number').ignore();
  for (const phone of config.phones) {
    await db('agents').insert({ number: phone.extension, name: phone.name, extension: phone.extension }).onConflict('number').ignore();
    const agent = await db('agents').where({ number: phone.extension }).first('id');
    await db('queue_agents').insert({ queue_id: q.id, agent_id: agent.id }).onConflict(['queue_id', 'agent_id']).ignore();
  }
  return `demo: queue ${queue}, DID ${did}, ${config.phones.length} agents`;
}
