import { randomInt } from 'node:crypto';
import { jsonColumn, type Knex } from '../core/db.js';
import type { CallEventRow } from '../interactions/index.js';
import type { FieldCipher } from '../core/field-crypto.js';
import { NUMBER_KEYS } from '../core/number-mask.js';

// Everything held about one customer, across the rooms that hold it (crm, interactions,
// acd callbacks, recordings, cdr). One module reads and erases it all, against STYLE.md's
// "a room through its index" habit, because an erasure must be one transaction: a room at
// a time would leave a half-erased customer behind whenever the second step failed.
// The customer's own row (name, notes, numbers) is read through the CRM service, which
// owns how those fields are stored; this module deletes those rows by id only.

/** Who an erasure or export is about: the customer, and the forms their numbers were delivered in. */
export interface Subject {
  customerId: number;
  /** Caller ids exactly as interactions and callbacks store them (crm deliveredForms). */
  callerForms: string[];
}

export interface InteractionRow {
  id: string; direction: string; caller_number: string; caller_name: string | null; did: string | null; queue: string | null;
  agent_id: number | null; linkedid: string | null; entered_at: Date; answered_at: Date | null; ended_at: Date | null; outcome: string | null;
  wait_ms: number | null; talk_ms: number | null; hold_ms: number | null; disposition: string | null; wrap_note: string | null;
  follow_up: number | boolean | null; csat_score: number | null; ivr_path: string | null; attrs: string | null; caller_key: string | null;
}

export interface Held {
  interactions: InteractionRow[];
  callEvents: Array<CallEventRow & { interaction_id: string }>;
  callbacks: Array<{ interaction_id: string; queue: string; number: string; status: string; attempts: number; requested_at: Date; ended_at: Date | null; last_result: string | null }>;
  recordings: Array<{ id: number | string; interaction_id: string; path: string; size_bytes: number; duration_ms: number; sha256: string; started_at: Date; deleted_at: Date | null }>;
}

export interface Erased {
  numbers: number;
  notes: number;
  interactions: number;
  callEvents: number;
  callbacks: number;
  cdrs: number;
  /** The interactions anonymised (their cached desk cards are dropped after the commit). */
  interactionIds: string[];
  /** Recordings marked deleted in the transaction; their files are removed after it commits. */
  recordings: Array<{ id: number; path: string }>;
}

/** Callbacks in these states may still dial the number: an erasure waits until they are over. */
const PENDING_CALLBACK = ['scheduled', 'waiting', 'offering', 'dialing', 'connected'];

/**
 * What replaces an erased caller id: "erased-" and 16 random digits, one per distinct
 * original caller key, so the repeat-caller key (interactions.caller_key, the digits) still
 * groups the same calls and a re-fold of the KPI summary counts the same repeats (FCR),
 * while nothing leads back to the number. 16 digits is longer than any E.164 number, so the
 * key never equals a real caller's.
 */
function pseudonym(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 16) digits += String(randomInt(0, 10));
  return `erased-${digits}`;
}

/** A call event's data with the numbers and the caller's name taken out. */
function scrubbed(data: unknown): unknown {
  const parsed = jsonColumn(data);
  return JSON.parse(JSON.stringify(parsed), (key, v: unknown) => (key && (NUMBER_KEYS.has(key) || key === 'callerName') ? 'erased' : v));
}

export class PrivacyRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  /** The interactions of the customer: filed under them, or from any of their numbers. */
  private interactionsOf(q: Knex, s: Subject): Knex.QueryBuilder {
    return q('interactions').where((w) => {
      w.where('customer_id', s.customerId);
      if (s.callerForms.length) w.orWhereIn('caller_number', s.callerForms);
    });
  }

  private callbacksOf(q: Knex, s: Subject, interactionIds: string[]): Knex.QueryBuilder {
    return q('callbacks').where((w) => {
      w.whereIn('interaction_id', interactionIds.length ? interactionIds : ['']);
      if (s.callerForms.length) w.orWhereIn('number', s.callerForms);
    });
  }

  /** Everything held about the customer outside their own row (for an export). */
  async held(s: Subject): Promise<Held> {
    const rows = (await this.interactionsOf(this.db, s).orderBy([{ column: 'entered_at' }, { column: 'id' }]).select('*')) as InteractionRow[];
    // Wrap notes are sealed at rest (core/field-crypto.ts); the customer gets them readable.
    const interactions = rows.map((r) => ({ ...r, wrap_note: this.cipher.openOrNull(r.wrap_note, 'interactions.wrap_note') }));
    const ids = interactions.map((i) => i.id);
    const some = ids.length ? ids : [''];
    const [callEvents, callbacks, recordings] = await Promise.all([
      this.db('call_events').whereIn('interaction_id', some).orderBy([{ column: 'interaction_id' }, { column: 'seq' }]).select('interaction_id', 'seq', 'type', 'at', 'queue', 'agent_id', 'data'),
      this.callbacksOf(this.db, s, ids).orderBy('requested_at').select('interaction_id', 'queue', 'number', 'status', 'attempts', 'requested_at', 'ended_at', 'last_result'),
      this.db('recordings').whereIn('interaction_id', some).orderBy([{ column: 'started_at' }, { column: 'id' }]).select('id', 'interaction_id', 'path', 'size_bytes', 'duration_ms', 'sha256', 'started_at', 'deleted_at'),
    ]);
    return { interactions, callEvents, callbacks, recordings } as Held;
  }

  /**
   * Erases the customer in one transaction: their row, numbers and notes deleted; their
   * interactions, call events, callbacks and CDRs kept for the counts but without number,
   * name, wrap-up note or IVR input; their recordings marked deleted ('erased'). Undefined
   * when the customer does not exist (any more). Throws `pending` when a callback to them may still dial.
   */
  async erase(s: Subject, at: Date, pending: () => Error): Promise<Erased | undefined> {
    return this.db.transaction(async (trx) => {
      // The lock makes a second erasure of the same customer wait, then find nothing.
      if (!(await trx('customers').where({ id: s.customerId }).forUpdate().first('id'))) return undefined;
      const interactions = (await this.interactionsOf(trx, s).forUpdate().select('id', 'caller_key', 'linkedid')) as Array<Pick<InteractionRow, 'id' | 'caller_key' | 'linkedid'>>;
      const ids = interactions.map((i) => i.id);
      if (await this.callbacksOf(trx, s, ids).whereIn('status', PENDING_CALLBACK).first('id')) throw pending();
      const erased: Erased = { numbers: 0, notes: 0, interactions: 0, callEvents: 0, callbacks: 0, cdrs: 0, interactionIds: ids, recordings: [] };
      erased.interactions = await this.anonymiseInteractions(trx, interactions);
      erased.callEvents = await this.scrubEvents(trx, ids);
      erased.callbacks = await this.callbacksOf(trx, s, ids).update({ number: 'erased' });
      erased.cdrs = await this.scrubCdrs(trx, s, interactions.map((i) => i.linkedid).filter((l): l is string => !!l));
      erased.recordings = ((await trx('recordings').whereIn('interaction_id', ids.length ? ids : ['']).whereNull('deleted_at').select('id', 'path')) as Array<{ id: number | string; path: string }>)
        .map((r) => ({ id: Number(r.id), path: r.path }));
      if (erased.recordings.length) await trx('recordings').whereIn('id', erased.recordings.map((r) => r.id)).update({ deleted_at: at, deleted_reason: 'erased' });
      erased.notes = await trx('customer_notes').where({ customer_id: s.customerId }).delete();
      erased.numbers = await trx('customer_numbers').where({ customer_id: s.customerId }).delete();
      await trx('customers').where({ id: s.customerId }).delete();
      return erased;
    });
  }

  private async anonymiseInteractions(trx: Knex, rows: Array<{ id: string; caller_key: string | null }>): Promise<number> {
    const byKey = new Map<string | null, string[]>();
    for (const r of rows) byKey.set(r.caller_key, [...(byKey.get(r.caller_key) ?? []), r.id]);
    let n = 0;
    for (const [key, ids] of byKey) {
      // No key (anonymous, withheld) stays no key: a plain "erased" has no digits.
      const number = key === null ? 'erased' : pseudonym();
      n += await trx('interactions').whereIn('id', ids).update({ caller_number: number, caller_name: null, wrap_note: null, ivr_path: null, attrs: null, customer_id: null });
    }
    return n;
  }

  private async scrubEvents(trx: Knex, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows = (await trx('call_events').whereIn('interaction_id', ids).whereNotNull('data').select('id', 'data')) as Array<{ id: number | string; data: unknown }>;
    let n = 0;
    for (const r of rows) {
      const before = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
      const after = JSON.stringify(scrubbed(r.data));
      if (after !== before) n += await trx('call_events').where({ id: r.id }).update({ data: after });
    }
    return n;
  }

  /** The carrier's records of the same calls: caller id name and the number in source or destination. */
  private async scrubCdrs(trx: Knex, s: Subject, linkedids: string[]): Promise<number> {
    if (!linkedids.length) return 0;
    const forms = s.callerForms.length ? s.callerForms : [''];
    return trx('cdrs').whereIn('linkedid', linkedids).update({
      clid: null,
      src: trx.raw('IF(src IN (?), ?, src)', [forms, 'erased']),
      dst: trx.raw('IF(dst IN (?), ?, dst)', [forms, 'erased']),
    });
  }
}
