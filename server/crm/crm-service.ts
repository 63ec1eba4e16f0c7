import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import type { Logger } from '../core/logger.js';
import type { InteractionService } from '../interactions/index.js';
import type { CustomerRepository, CustomerFields } from './customer-repository.js';
import type { HistoryRepository, Cursor } from './history-repository.js';
import { deliveredForms, matchForms, normaliseNumber, type NumberRule } from './phone-number.js';
import {
  CustomerPatch, NewCustomer, NewNote,
  type Author, type Customer, type CustomerDetail, type CustomerNote, type CustomerPage, type HistoryPage, type SearchQuery,
} from './schemas.js';
import {
  customerNotFound, historyNeedsSubject, interactionNotFound, invalidCursor, invalidCustomer, invalidNote, invalidPhoneNumber, noNumberToDial, type Problem,
} from './errors.js';

export interface CrmDeps {
  customers: CustomerRepository;
  history: HistoryRepository;
  interactions: Pick<InteractionService, 'update'>;
  numberRule: NumberRule;
  log: Logger;
}

export interface HistoryRequest {
  customerId?: number;
  number?: string;
  limit?: number;
  before?: string;
  /** The call in progress, which is not yet history. */
  excludeInteractionId?: string;
}

/** What the desk's screen pop shows for a caller id. */
export interface CallerCard {
  /** The caller id as the CRM stores it; undefined for anonymous or garbage. */
  number?: string;
  customer?: CustomerDetail;
  history: HistoryPage;
}

const LATEST_NOTES = 5;
const DEFAULT_HISTORY = 20;

function problemsOf(schema: TSchema, value: unknown): Problem[] {
  return [...Value.Errors(schema, value)].map((e) => ({ path: e.path, message: e.message }));
}

const trimmed = (s: string | null | undefined) => (typeof s === 'string' ? s.trim() : s);

/** Strings trimmed, empty optional text as null, tags without blanks or repeats; anything else left for the schema to refuse. */
function tidy<T extends Record<string, unknown>>(input: T): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...input };
  for (const key of ['name', 'notes'] as const) if (typeof out[key] === 'string') out[key] = trimmed(out[key] as string);
  for (const key of ['email', 'company'] as const) if (typeof out[key] === 'string') out[key] = trimmed(out[key] as string) || null;
  if (Array.isArray(out.tags) && out.tags.every((t) => typeof t === 'string')) out.tags = [...new Set((out.tags as string[]).map((t) => t.trim()).filter(Boolean))];
  return out as T;
}

const encodeCursor = (c: Cursor) => Buffer.from(`${c.at.getTime()}|${c.id}`).toString('base64url');

function decodeCursor(raw: string): Cursor {
  const [ms, id] = Buffer.from(raw, 'base64url').toString().split('|');
  const at = new Date(Number(ms));
  if (!id || !/^[0-9]+$/.test(ms ?? '') || Number.isNaN(at.getTime())) throw invalidCursor();
  return { at, id };
}

/**
 * Customers, found by the caller id on the call path, and what they called about before.
 * Every write checks its input here with the schemas the API documents, so the desk page,
 * the customers page and the JSON API refuse the same things with the same codes.
 */
export class CrmService {
  constructor(private readonly d: CrmDeps) {}

  /** The customer a caller id belongs to, or undefined: one indexed query. Anonymous never matches. */
  async lookup(callerNumber: string | null | undefined): Promise<Customer | undefined> {
    return this.d.customers.byNumber(matchForms(callerNumber, this.d.numberRule));
  }

  /** The stored form of a number, or undefined when it is none (for prefilling forms). */
  normalise(raw: string | null | undefined): string | undefined {
    return normaliseNumber(raw, this.d.numberRule);
  }

  async get(id: number): Promise<CustomerDetail> {
    const [customer, latestNotes] = await Promise.all([this.d.customers.get(id), this.d.customers.latestNotes(id, LATEST_NOTES)]);
    if (!customer) throw customerNotFound(id);
    return { ...customer, latestNotes };
  }

  /** Every dated note of a customer, oldest first (an export of what is held about them). */
  async allNotes(id: number): Promise<CustomerNote[]> {
    return (await this.d.customers.latestNotes(id, Number.MAX_SAFE_INTEGER)).reverse();
  }

  /** The forms a customer's numbers may have been delivered in, as interactions store caller ids. */
  deliveredForms(numbers: string[]): string[] {
    return [...new Set(numbers.flatMap((n) => deliveredForms(n, this.d.numberRule)))];
  }

  async search(query: SearchQuery): Promise<CustomerPage> {
    const limit = query.limit ?? 25;
    const offset = query.offset ?? 0;
    const q = query.q?.trim() ?? '';
    // Digits and phone punctuation only: a number search; anything else: names (email and company are sealed).
    const isNumber = q !== '' && /^[+0-9\s().\-/]+$/.test(q) && /[0-9]/.test(q);
    const rows = await this.d.customers.search({ text: isNumber ? undefined : q || undefined, digits: isNumber ? q.replace(/[^0-9]/g, '') : undefined, limit, offset });
    return { items: rows.slice(0, limit), nextOffset: rows.length > limit ? offset + limit : null };
  }

  async create(input: unknown, by: Author): Promise<CustomerDetail> {
    const candidate = tidy(input as NewCustomer);
    if (!Value.Check(NewCustomer, candidate)) throw invalidCustomer(problemsOf(NewCustomer, candidate));
    const numbers = this.numbersOf(candidate.numbers ?? []);
    const id = await this.d.customers.insert(fieldsOf(candidate) as CustomerFields & { name: string }, numbers, by.userId);
    this.d.log.info({ customerId: id, userId: by.userId, numbers: numbers.length }, 'customer created');
    return this.get(id);
  }

  async update(id: number, patch: unknown, by: Author): Promise<CustomerDetail> {
    const candidate = tidy(patch as CustomerPatch);
    if (!Value.Check(CustomerPatch, candidate)) throw invalidCustomer(problemsOf(CustomerPatch, candidate));
    const numbers = candidate.numbers === undefined ? undefined : this.numbersOf(candidate.numbers);
    if (!(await this.d.customers.update(id, fieldsOf(candidate), numbers))) throw customerNotFound(id);
    this.d.log.info({ customerId: id, userId: by.userId, fields: Object.keys(candidate) }, 'customer updated');
    return this.get(id);
  }

  /** Notes are appended, never edited: the screen pop shows the latest few. */
  async addNote(id: number, input: unknown, by: Author): Promise<CustomerNote> {
    const candidate = typeof (input as NewNote)?.text === 'string' ? { ...(input as NewNote), text: (input as NewNote).text.trim() } : input;
    if (!Value.Check(NewNote, candidate)) throw invalidNote(problemsOf(NewNote, candidate));
    if (!(await this.d.customers.exists(id))) throw customerNotFound(id);
    const note = await this.d.customers.addNote(id, by, candidate.text);
    this.d.log.info({ customerId: id, userId: by.userId, noteId: note.id }, 'customer note added');
    return note;
  }

  /** Earlier interactions, newest first: those linked to the customer and those from any of its numbers (or from one number). */
  async history(r: HistoryRequest): Promise<HistoryPage> {
    if (r.customerId === undefined && !r.number) throw historyNeedsSubject();
    let numbers: string[] = [];
    if (r.customerId !== undefined) {
      const customer = await this.d.customers.get(r.customerId);
      if (!customer) throw customerNotFound(r.customerId);
      numbers = customer.numbers;
    }
    return this.historyOf(r.customerId, numbers, r);
  }

  private async historyOf(customerId: number | undefined, numbers: string[], r: HistoryRequest): Promise<HistoryPage> {
    const limit = r.limit ?? DEFAULT_HISTORY;
    const asked = this.normalise(r.number);
    const callerNumbers = [...new Set([...numbers, ...(asked ? [asked] : [])].flatMap((n) => deliveredForms(n, this.d.numberRule)))];
    const before = r.before ? decodeCursor(r.before) : undefined;
    const rows = await this.d.history.interactions({ customerId, callerNumbers, before, excludeInteractionId: r.excludeInteractionId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const recordings = await this.d.history.recordings(page.map((i) => i.interactionId));
    const last = page[page.length - 1];
    return {
      items: page.map((i) => ({ ...i, recordings: recordings.get(i.interactionId) ?? [] })),
      nextBefore: rows.length > limit && last ? encodeCursor({ at: new Date(last.at), id: last.interactionId }) : null,
    };
  }

  /**
   * The screen pop for a ringing call: the customer found by caller id (with numbers and
   * latest notes) and the history, read side by side. With no customer the history is the
   * number's own (earlier calls from it), so the agent still sees them on the new-customer form.
   */
  async card(callerNumber: string | null | undefined, o: { interactionId?: string; historyLimit?: number } = {}): Promise<CallerCard> {
    const number = this.normalise(callerNumber);
    if (!number) return { history: { items: [], nextBefore: null } };
    const request: HistoryRequest = { number: callerNumber ?? undefined, limit: o.historyLimit, excludeInteractionId: o.interactionId };
    const found = await this.lookup(callerNumber);
    if (!found) return { number, history: await this.historyOf(undefined, [], request) };
    const [latestNotes, history] = await Promise.all([this.d.customers.latestNotes(found.id, LATEST_NOTES), this.historyOf(found.id, found.numbers, request)]);
    return { number, customer: { ...found, latestNotes }, history };
  }

  /**
   * Adds a number to a customer (the caller id of the call the desk filed under them), so an
   * agent who sees numbers masked never has to type or read it. A number already there is kept once.
   */
  async addNumber(id: number, raw: string): Promise<CustomerDetail> {
    const number = this.normalise(raw);
    if (!number) throw invalidPhoneNumber(raw, '/number');
    const customer = await this.d.customers.get(id);
    if (!customer) throw customerNotFound(id);
    if (!customer.numbers.includes(number)) await this.d.customers.update(id, {}, [...customer.numbers, number]);
    this.d.log.info({ customerId: id }, 'caller number added to customer');
    return this.get(id);
  }

  /**
   * The number to dial for a reference (click to dial and callbacks by roles that see numbers
   * masked): a customer's number (the first, or the one at `numberIndex`) or the caller of an
   * earlier interaction. The number stays on the server; the agent never reads it.
   */
  async numberToDial(ref: { customerId?: number; numberIndex?: number; interactionId?: string }): Promise<string> {
    if (ref.customerId !== undefined) {
      const customer = await this.d.customers.get(ref.customerId);
      if (!customer) throw customerNotFound(ref.customerId);
      const number = customer.numbers[ref.numberIndex ?? 0];
      if (!number) throw noNumberToDial(`customer ${ref.customerId} has no number${ref.numberIndex ? ` at index ${ref.numberIndex}` : ''}`);
      return number;
    }
    if (ref.interactionId === undefined) throw noNumberToDial('name a customer or an interaction to call back');
    const caller = await this.d.history.callerNumberOf(ref.interactionId);
    if (caller === undefined) throw interactionNotFound(ref.interactionId);
    const number = this.normalise(caller);
    if (!number) throw noNumberToDial(`the caller of interaction ${ref.interactionId} left no number`);
    return number;
  }

  /** Marks the interaction as this customer's, so its history follows the customer across numbers. */
  async linkInteraction(interactionId: string, customerId: number): Promise<void> {
    await this.d.interactions.update(interactionId, { customerId });
  }

  /** Normalised, without repeats (two ways of writing one number are one number). */
  private numbersOf(raw: string[]): string[] {
    const out = new Set<string>();
    raw.forEach((n, i) => {
      const normalised = this.normalise(n);
      if (!normalised) throw invalidPhoneNumber(n, `/numbers/${i}`);
      out.add(normalised);
    });
    return [...out];
  }
}

function fieldsOf(c: CustomerPatch): CustomerFields {
  return { name: c.name, level: c.level, tags: c.tags, notes: c.notes, email: c.email, company: c.company };
}
