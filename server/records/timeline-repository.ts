import type { Knex } from '../core/db.js';
import type { FieldCipher } from '../core/field-crypto.js';
import type { NoteRow } from './timeline.js';

// A read-only query module for an interaction's page: the rows around it that other rooms
// own (callbacks, customer notes, agent names), read directly like a report would, so the
// page costs a few indexed reads and no room grows read methods only this page needs.

export interface CallbackRow {
  status: string;
  number: string;
  attempts: number;
  requested_at: Date;
  last_result: string | null;
}

export class TimelineRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  async callbacks(interactionId: string): Promise<CallbackRow[]> {
    return this.db('callbacks').where({ interaction_id: interactionId }).select('status', 'number', 'attempts', 'requested_at', 'last_result');
  }

  /** The customer's notes written in [from, until). */
  async notes(customerId: number, from: Date, until: Date): Promise<NoteRow[]> {
    const rows = await this.db('customer_notes')
      .where({ customer_id: customerId })
      .andWhere('created_at', '>=', from)
      .andWhere('created_at', '<', until)
      .orderBy('id')
      .select('id', 'created_at', 'author_name', 'body');
    return (rows as NoteRow[]).map((r) => ({ ...r, id: Number(r.id), body: this.cipher.open(r.body, 'customer_notes.body') }));
  }

  async agentNames(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = (await this.db('agents').whereIn('id', ids).select('id', 'name')) as Array<{ id: number; name: string }>;
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }
}
