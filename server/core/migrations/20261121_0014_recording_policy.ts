import type { Knex } from 'knex';

// The recording policy (issue 5): a DID may turn recording off (queues keep theirs in
// their `config` JSON with their other settings); retention marks a recording's row
// instead of deleting it, so the interaction still says a recording existed and why it
// is gone; and two alert kinds watch the recordings disk.

const OLD_KINDS = ['waiting_over', 'longest_wait_over', 'service_level_under', 'agent_paused_over', 'phone_unregistered'];
const NEW_KINDS = [...OLD_KINDS, 'recordings_disk_pct_under', 'recordings_disk_gb_under'];
const enumOf = (kinds: string[]) => kinds.map((k) => `'${k}'`).join(',');

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('dids', (t) => {
    t.boolean('recording').notNullable().defaultTo(true);
  });
  // The records migration (0013, built alongside) may have added deleted_at already, for
  // its pages to read; this one owns it either way.
  const hasDeletedAt = await db.schema.hasColumn('recordings', 'deleted_at');
  await db.schema.alterTable('recordings', (t) => {
    if (!hasDeletedAt) t.datetime('deleted_at', { precision: 3 }).nullable();
    // 'retention': the nightly job deleted the file; 'missing': the file was already gone.
    t.string('deleted_reason', 16).nullable();
    // Retention reads "still on disk and older than the cutoff", oldest first, in batches.
    t.index(['deleted_at', 'started_at', 'id'], 'recordings_retention');
  });
  await db.raw(`ALTER TABLE alert_rules MODIFY kind ENUM(${enumOf(NEW_KINDS)}) NOT NULL`);
}

export async function down(db: Knex): Promise<void> {
  await db('alert_rules').whereNotIn('kind', OLD_KINDS).delete();
  await db.raw(`ALTER TABLE alert_rules MODIFY kind ENUM(${enumOf(OLD_KINDS)}) NOT NULL`);
  await db.schema.alterTable('recordings', (t) => {
    t.dropIndex(['deleted_at', 'started_at', 'id'], 'recordings_retention');
    t.dropColumn('deleted_reason');
    t.dropColumn('deleted_at');
  });
  await db.schema.alterTable('dids', (t) => {
    t.dropColumn('recording');
  });
}
