import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// Alert rules an admin sets (per queue or for every queue), and the alerts they raised:
// one row per episode, from the moment its condition started until it cleared.
// Queue KPI thresholds (service-level target, short abandons) live in the queue's
// `config` JSON with the rest of its settings, so they need no column here.

export const ALERT_KINDS = ['waiting_over', 'longest_wait_over', 'service_level_under', 'agent_paused_over', 'phone_unregistered'] as const;

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('alert_rules', (t) => {
    utf8(t);
    t.increments('id');
    t.string('name', 128).notNullable();
    t.enum('kind', [...ALERT_KINDS]).notNullable();
    // NULL: every queue (and, for agent rules, every agent).
    t.string('queue', 64).nullable();
    t.double('threshold').notNullable().defaultTo(0);
    t.boolean('enabled').notNullable().defaultTo(true);
    t.boolean('notify_webhook').notNullable().defaultTo(true);
    t.boolean('notify_email').notNullable().defaultTo(true);
    timestamps(t, db);
  });
  await db.schema.createTable('alerts', (t) => {
    utf8(t);
    t.bigIncrements('id');
    // History outlives its rule: the rule's name, kind and threshold are copied.
    t.integer('rule_id').unsigned().nullable().references('alert_rules.id').onDelete('SET NULL');
    t.string('rule_name', 128).notNullable();
    t.string('kind', 32).notNullable();
    t.double('threshold').notNullable();
    t.string('queue', 64).nullable();
    // `queue:<name>` or `agent:<id>`, and what a person reads for it.
    t.string('subject', 128).notNullable();
    t.string('label', 255).notNullable();
    t.datetime('started_at', { precision: 3 }).notNullable().index();
    t.datetime('ended_at', { precision: 3 }).nullable();
    t.double('peak_value').notNullable();
    t.double('last_value').notNullable();
    // `<rule>:<subject>` while the alert is active, NULL once it ended: the unique index
    // lets each rule and subject have one active alert at most, whichever instance
    // evaluates, while ended alerts (NULL) pile up freely as history.
    t.string('active_key', 200).nullable().unique();
    timestamps(t, db);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('alerts');
  await db.schema.dropTableIfExists('alert_rules');
}
