import type { Knex } from '../core/db.js';
import type { FieldCipher } from '../core/field-crypto.js';
import type { Author, Customer, CustomerNote, Level } from './schemas.js';

interface CustomerRow {
  id: number;
  name: string;
  level: Level;
  /** mysql2 parses the JSON column when MariaDB marks it as JSON, and gives its text otherwise. */
  tags: string | string[] | null;
  notes: string | null;
  email: string | null;
  company: string | null;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  /** The customer's numbers, comma-separated (numbers hold only digits and '+'), oldest first. */
  numbers: string | null;
}

interface NoteRow {
  id: number | string;
  customer_id: number;
  author_user_id: number | null;
  author_name: string;
  body: string;
  created_at: Date;
}

/** The columns a customer's write sets; numbers live in their own table. */
export interface CustomerFields {
  name?: string;
  level?: Level;
  tags?: string[];
  notes?: string;
  email?: string | null;
  company?: string | null;
}

function parseTags(raw: string | string[] | null): string[] {
  if (!raw) return [];
  const tags = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return Array.isArray(tags) ? tags.map(String) : [];
}

// Email, company, standing notes and note bodies are sealed at rest (field-crypto.ts, context
// `table.column`); name and numbers stay clear because the caller-id lookup and the search
// need them (docs/privacy-encryption.md).
const toCustomer = (c: FieldCipher, r: CustomerRow): Customer => ({
  id: r.id, name: r.name, level: r.level, tags: parseTags(r.tags), notes: c.openOrNull(r.notes, 'customers.notes') ?? '',
  email: c.openOrNull(r.email, 'customers.email'), company: c.openOrNull(r.company, 'customers.company'),
  numbers: r.numbers ? r.numbers.split(',') : [], createdBy: r.created_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

const toNote = (c: FieldCipher, r: NoteRow): CustomerNote => ({
  id: Number(r.id), at: r.created_at.toISOString(), authorUserId: r.author_user_id, author: r.author_name, text: c.open(r.body, 'customer_notes.body'),
});

function toColumns(c: FieldCipher, f: CustomerFields): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (f.name !== undefined) row.name = f.name;
  if (f.level !== undefined) row.level = f.level;
  // Text, not an array: mysql2 would expand an array into a list of values.
  if (f.tags !== undefined) row.tags = JSON.stringify(f.tags);
  if (f.notes !== undefined) row.notes = c.seal(f.notes, 'customers.notes');
  if (f.email !== undefined) Object.assign(row, sealed(c, 'email', f.email));
  if (f.company !== undefined) Object.assign(row, sealed(c, 'company', f.company));
  return row;
}

/** A searchable sealed column and its blind index ('' for an empty value, which no search matches). */
function sealed(c: FieldCipher, column: 'email' | 'company', plain: string | null): Record<string, string | null> {
  const context = `customers.${column}`;
  return { [column]: c.sealOrNull(plain, context), [`${column}_bidx`]: plain === null ? null : (c.blindIndex(plain, context) ?? '') };
}

/** `LIKE` text for a part of a value: the user's % and _ are matched as themselves. */
const contains = (part: string) => `%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class CustomerRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  /** Customer columns plus the numbers, in one statement. */
  private customers(trx: Knex = this.db) {
    const numbers = trx('customer_numbers as cn').whereRaw('cn.customer_id = c.id').select(trx.raw("GROUP_CONCAT(cn.number ORDER BY cn.id SEPARATOR ',')"));
    return trx<CustomerRow>('customers as c').select('c.*', numbers.as('numbers'));
  }

  /**
   * The customer one of these numbers belongs to, the earlier forms preferred, then the
   * most recently updated customer (a number two customers share, like a switchboard).
   * One statement: an index seek on customer_numbers(number) per form.
   */
  async byNumber(forms: string[]): Promise<Customer | undefined> {
    if (!forms.length) return undefined;
    const row = await this.customers()
      .join('customer_numbers as n', 'n.customer_id', 'c.id')
      .whereIn('n.number', forms)
      .orderByRaw(`FIELD(n.number, ${forms.map(() => '?').join(', ')})`, forms)
      .orderBy([{ column: 'c.updated_at', order: 'desc' }, { column: 'c.id', order: 'desc' }])
      .first();
    return row ? toCustomer(this.cipher, row as CustomerRow) : undefined;
  }

  async get(id: number, trx?: Knex): Promise<Customer | undefined> {
    const row = await this.customers(trx).where('c.id', id).first();
    return row ? toCustomer(this.cipher, row as CustomerRow) : undefined;
  }

  /**
   * Ordered by name; one more than `limit` so the caller knows whether a next page exists.
   * Text matches part of a name, or a whole email or company name in any case: those two
   * are sealed, so MariaDB compares their blind indexes, not the text.
   */
  async search(o: { text?: string; digits?: string; limit: number; offset: number }): Promise<Customer[]> {
    const q = this.customers();
    if (o.text || o.digits) {
      q.where((w) => {
        if (o.text) {
          w.orWhere('c.name', 'like', contains(o.text));
          const email = this.cipher.blindIndexCandidates(o.text, 'customers.email');
          const company = this.cipher.blindIndexCandidates(o.text, 'customers.company');
          if (email.length) w.orWhereIn('c.email_bidx', email).orWhereIn('c.company_bidx', company);
        }
        if (o.digits) w.orWhereIn('c.id', this.db('customer_numbers').where('number', 'like', contains(o.digits)).select('customer_id'));
      });
    }
    const rows = await q.orderBy([{ column: 'c.name' }, { column: 'c.id' }]).limit(o.limit + 1).offset(o.offset);
    return (rows as CustomerRow[]).map((r) => toCustomer(this.cipher, r));
  }

  async insert(f: CustomerFields & { name: string }, numbers: string[], createdBy: number | null): Promise<number> {
    return this.db.transaction(async (trx) => {
      const [id] = await trx('customers').insert({ ...toColumns(this.cipher, f), created_by: createdBy });
      await this.putNumbers(trx, Number(id), numbers);
      return Number(id);
    });
  }

  /** False when there is no such customer. Numbers, when given, replace the customer's list. */
  async update(id: number, f: CustomerFields, numbers: string[] | undefined): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      // The lock keeps two edits of one customer's numbers from interleaving their delete and insert.
      const found = await trx('customers').where({ id }).forUpdate().first('id');
      if (!found) return false;
      // updated_at is set explicitly: a change of numbers alone changes no column of the row.
      await trx('customers').where({ id }).update({ ...toColumns(this.cipher, f), updated_at: trx.raw('CURRENT_TIMESTAMP(3)') });
      if (numbers !== undefined) {
        await trx('customer_numbers').where({ customer_id: id }).whereNotIn('number', numbers.length ? numbers : ['']).delete();
        await this.putNumbers(trx, id, numbers);
      }
      return true;
    });
  }

  private async putNumbers(trx: Knex, customerId: number, numbers: string[]): Promise<void> {
    if (!numbers.length) return;
    await trx('customer_numbers').insert(numbers.map((number) => ({ customer_id: customerId, number }))).onConflict(['customer_id', 'number']).ignore();
  }

  async exists(id: number): Promise<boolean> {
    return !!(await this.db('customers').where({ id }).first('id'));
  }

  async addNote(customerId: number, author: Author, text: string): Promise<CustomerNote> {
    const [id] = await this.db('customer_notes').insert({ customer_id: customerId, author_user_id: author.userId, author_name: author.name, body: this.cipher.seal(text, 'customer_notes.body') });
    const row = await this.db<NoteRow>('customer_notes').where({ id }).first();
    return toNote(this.cipher, row as NoteRow);
  }

  /** Newest first. */
  async latestNotes(customerId: number, limit: number): Promise<CustomerNote[]> {
    const rows = await this.db<NoteRow>('customer_notes').where({ customer_id: customerId }).orderBy('id', 'desc').limit(limit);
    return rows.map((r) => toNote(this.cipher, r));
  }
}
