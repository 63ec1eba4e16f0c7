// Every column stored sealed (field-crypto.ts), in one list: the repositories that own these
// tables seal and open them with the context `table.column`, and scripts/encrypt-existing.ts
// walks this list to seal rows written before encryption or re-seal them after a key change.
// A new sealed column is added here and in its repository.
export interface SealedTable {
  table: string;
  /** The primary key, walked in order to take the table a batch at a time. */
  key: string;
  columns: string[];
  /**
   * Columns MariaDB would touch on any update (updated_at) that sealing must leave alone:
   * the caller-id lookup prefers the most recently updated customer.
   */
  unchanged?: string[];
  /** Sealed column -> its blind-index column (field-crypto.ts blindIndex), kept in step with the value. */
  indexed?: Record<string, string>;
}

export const SEALED_TABLES: readonly SealedTable[] = [
  { table: 'customers', key: 'id', columns: ['email', 'company', 'notes'], unchanged: ['updated_at'], indexed: { email: 'email_bidx', company: 'company_bidx' } },
  { table: 'customer_notes', key: 'id', columns: ['body'] },
  { table: 'interactions', key: 'id', columns: ['wrap_note'] },
  { table: 'users', key: 'id', columns: ['totp_secret', 'totp_pending_secret'], unchanged: ['updated_at'] },
  { table: 'trunks', key: 'id', columns: ['password'], unchanged: ['updated_at'] },
];

export const sealContext = (table: string, column: string) => `${table}.${column}`;
