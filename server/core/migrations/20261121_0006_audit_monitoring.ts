import type { Knex } from 'knex';
import { utf8 } from './helpers.js';

// The audit log: one row per sensitive action (a supervisor listening in, forcing an
// agent's state; later every admin change). Append-only: rows are never updated or
// deleted, and the database itself refuses it, so not even a bug in our code can rewrite
// history. Monitoring sessions themselves are live state in Redis; their trace is here.

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('audit_log', (t) => {
    utf8(t);
    t.bigIncrements('id');
    // Written by the outbox when MariaDB was down: the uid makes a replay insert nothing twice.
    t.string('uid', 36).notNullable().unique();
    t.datetime('at', { precision: 3 }).notNullable();
    t.integer('actor_user_id').unsigned().nullable();
    t.string('actor_username', 64).notNullable();
    t.string('action', 64).notNullable();
    t.string('target_type', 32).notNullable();
    t.string('target_id', 64).notNullable();
    t.json('before_json').nullable();
    t.json('after_json').nullable();
    t.string('ip', 45).nullable();
    t.index(['at']);
    t.index(['actor_user_id', 'at']);
    t.index(['action', 'at']);
    t.index(['target_type', 'target_id', 'at']);
  });
  for (const op of ['UPDATE', 'DELETE']) {
    await db.raw(
      `CREATE TRIGGER audit_log_no_${op.toLowerCase()} BEFORE ${op} ON audit_log FOR EACH ROW ` +
        "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'",
    );
  }
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('audit_log');
}
