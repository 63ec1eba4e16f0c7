import type { Knex } from 'knex';

// Blind indexes of the sealed customer fields people search by (field-crypto.ts blindIndex):
// MariaDB cannot look inside a sealed email or company name, but it can find the HMAC of
// the one being searched for. Rows already stored get theirs at the next boot
// (core/index.ts), since only the running server holds the data keys.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('customers', (t) => {
    t.string('email_bidx', 32).nullable().index('customers_email_bidx');
    t.string('company_bidx', 32).nullable().index('customers_company_bidx');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('customers', (t) => {
    t.dropIndex(['email_bidx'], 'customers_email_bidx');
    t.dropIndex(['company_bidx'], 'customers_company_bidx');
    t.dropColumn('email_bidx');
    t.dropColumn('company_bidx');
  });
}
