import type { Knex } from 'knex';

// Post-call survey (issue 5): the caller's score, 1 to 5, on the interaction. Null when the
// queue asks for none or the caller gave none. The same score is a 'survey-score' call event,
// which the KPI engine reads for CSAT; this column is for the interaction's own page and search.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => {
    t.tinyint('csat_score').unsigned().nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => t.dropColumn('csat_score'));
}
