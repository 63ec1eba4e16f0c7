// Flows, queues and skills written straight into the test database before the server
// boots: telephony tests are about calls, and the admin API has its own tests.
import type { Knex } from 'knex';

export async function putFlow(db: Knex, name: string, body: Record<string, unknown>): Promise<number> {
  await db('ivr_flows').insert({ name, body: JSON.stringify({ name, language: 'en', ...body }), version: 1 }).onConflict('name').merge(['body']);
  return (await db('ivr_flows').where({ name }).first('id')).id;
}

export async function routeDidToFlow(db: Knex, did: string, flow: string): Promise<void> {
  const { id } = await db('ivr_flows').where({ name: flow }).first('id');
  await db('dids').insert({ number: did, flow_id: id, queue_id: null }).onConflict('number').merge(['flow_id', 'queue_id']);
}

/** Ring timeout and wrap-up live in their own columns; the rest of the queue's settings in `config`. */
export async function patchQueue(db: Knex, name: string, patch: Record<string, unknown>): Promise<void> {
  const { ringTimeoutSec, wrapUpSec, ...rest } = patch;
  const row = await db('queues').where({ name }).first();
  const config = typeof row.config === 'string' ? JSON.parse(row.config) : row.config;
  await db('queues').where({ name }).update({
    config: JSON.stringify({ ...config, ...rest }),
    ...(ringTimeoutSec === undefined ? {} : { ring_timeout_s: ringTimeoutSec }),
    ...(wrapUpSec === undefined ? {} : { wrap_up_s: wrapUpSec }),
  });
}

export async function setSkills(db: Knex, extension: string, skills: Record<string, number>): Promise<number> {
  const { id } = await db('agents').where({ extension }).first('id');
  await db('agent_skills').where({ agent_id: id }).delete();
  for (const [skill, level] of Object.entries(skills)) await db('agent_skills').insert({ agent_id: id, skill, level });
  return id;
}
