import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    utf8(t);
    t.increments('id');
    t.string('username', 64).notNullable().unique();
    t.string('password_hash', 255).notNullable();
    t.enum('role', ['admin', 'supervisor', 'agent']).notNullable();
    t.string('display_name', 128).notNullable();
    t.string('locale', 8).notNullable().defaultTo('en');
    t.boolean('active').notNullable().defaultTo(true);
    timestamps(t, db);
  });
  await db.schema.createTable('queues', (t) => {
    utf8(t);
    t.increments('id');
    t.string('name', 64).notNullable().unique();
    t.integer('ring_timeout_s').notNullable().defaultTo(15);
    t.integer('wrap_up_s').notNullable().defaultTo(0);
    timestamps(t, db);
  });
  await db.schema.createTable('dids', (t) => {
    utf8(t);
    t.string('number', 32).primary();
    t.integer('queue_id').unsigned().notNullable().references('queues.id');
    timestamps(t, db);
  });
  await db.schema.createTable('agents', (t) => {
    utf8(t);
    t.increments('id');
    t.string('number', 16).notNullable().unique();
    t.string('name', 128).notNullable();
    t.string('extension', 16).notNullable();
    t.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL');
    timestamps(t, db);
  });
  await db.schema.createTable('queue_agents', (t) => {
    utf8(t);
    t.integer('queue_id').unsigned().notNullable().references('queues.id').onDelete('CASCADE');
    t.integer('agent_id').unsigned().notNullable().references('agents.id').onDelete('CASCADE');
    t.primary(['queue_id', 'agent_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['queue_agents', 'agents', 'dids', 'queues', 'users']) await db.schema.dropTableIfExists(table);
}
