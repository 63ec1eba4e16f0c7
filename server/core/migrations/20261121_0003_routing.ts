import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// IVR flows, prompts, skill-group queues and agent skills. Existing rows are kept:
// tables only gain columns, and queue membership so far (queue_agents) becomes skills.

/** Level given to agents who were members of a queue before skills existed: the middle of 1..5. */
const BACKFILL_LEVEL = 3;

// Kept here rather than shared with the queue repository: a migration is a frozen
// snapshot and must behave the same however the runtime code changes later.
/** A skill name from a queue name (queue names allow capitals, skills do not). */
function skillFromQueueName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 40) || 'general';
}

async function createFlowsAndPrompts(db: Knex): Promise<void> {
  await db.schema.createTable('ivr_flows', (t) => {
    utf8(t);
    t.increments('id');
    t.string('name', 64).notNullable().unique();
    // MariaDB's JSON is LONGTEXT with a json_valid() check.
    t.json('body').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t, db);
  });
  await db.schema.createTable('prompts', (t) => {
    utf8(t);
    t.increments('id');
    t.string('name', 128).notNullable();
    t.enum('kind', ['upload', 'tts']).notNullable();
    t.string('language', 8).notNullable().defaultTo('en');
    t.text('text').nullable();
    // tts: hash of (language, text), the cache key; upload: hash of the uploaded bytes.
    t.string('sha256', 64).notNullable();
    t.string('path', 255).notNullable();
    t.integer('duration_ms').notNullable().defaultTo(0);
    timestamps(t, db);
    // One row per spoken text and per distinct uploaded sound, however many requests race.
    t.unique(['kind', 'sha256']);
  });
}

async function createSkills(db: Knex): Promise<void> {
  await db.schema.createTable('agent_skills', (t) => {
    utf8(t);
    t.integer('agent_id').unsigned().notNullable().references('agents.id').onDelete('CASCADE');
    t.string('skill', 40).notNullable();
    t.integer('level').notNullable().checkBetween([1, 5]);
    t.primary(['agent_id', 'skill']);
    t.index(['skill', 'level']);
  });
}

/** Queues keep ring_timeout_s and wrap_up_s as columns (the ACD reads them); `config` holds the rest of QueueBody. */
async function extendQueues(db: Knex): Promise<void> {
  await db.schema.alterTable('queues', (t) => {
    t.json('config').nullable();
  });
  const queues: Array<{ id: number; name: string }> = await db('queues').select('id', 'name');
  for (const q of queues) {
    const skill = skillFromQueueName(q.name);
    const config = { skill, minLevel: 1, strategy: 'longest_idle', maxMisses: 2, overflow: [], priority: {}, announceEverySec: 60, serviceLevelSec: 20 };
    await db('queues').where({ id: q.id }).update({ config: JSON.stringify(config) });
    const members: Array<{ agent_id: number }> = await db('queue_agents').where({ queue_id: q.id }).select('agent_id');
    if (members.length) {
      await db('agent_skills')
        .insert(members.map((m) => ({ agent_id: m.agent_id, skill, level: BACKFILL_LEVEL })))
        .onConflict(['agent_id', 'skill'])
        .ignore();
    }
  }
}

async function extendDidsAndInteractions(db: Knex): Promise<void> {
  await db.schema.alterTable('dids', (t) => {
    t.integer('queue_id').unsigned().nullable().alter();
    // No cascade: the flow service refuses to delete a flow a DID still uses.
    t.integer('flow_id').unsigned().nullable().references('ivr_flows.id');
  });
  await db.raw('ALTER TABLE dids ADD CONSTRAINT dids_has_route CHECK (queue_id IS NOT NULL OR flow_id IS NOT NULL)');
  await db.schema.alterTable('interactions', (t) => {
    t.json('ivr_path').nullable();
    t.json('attrs').nullable();
  });
}

export async function up(db: Knex): Promise<void> {
  await createFlowsAndPrompts(db);
  await createSkills(db);
  await extendQueues(db);
  await extendDidsAndInteractions(db);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => {
    t.dropColumn('ivr_path');
    t.dropColumn('attrs');
  });
  await db.raw('ALTER TABLE dids DROP CONSTRAINT dids_has_route');
  await db.schema.alterTable('dids', (t) => {
    t.dropForeign(['flow_id']);
    t.dropColumn('flow_id');
  });
  // queue_id stays nullable: DIDs routed only to a flow would otherwise block the rollback.
  await db.schema.alterTable('queues', (t) => t.dropColumn('config'));
  for (const table of ['agent_skills', 'prompts', 'ivr_flows']) await db.schema.dropTableIfExists(table);
}
