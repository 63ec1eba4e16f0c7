import { Type, type Static } from '@sinclair/typebox';

export const LEVELS = ['standard', 'silver', 'gold', 'vip'] as const;
export type Level = (typeof LEVELS)[number];
export const LevelName = Type.Union(LEVELS.map((l) => Type.Literal(l)), { description: 'routing reads it as the call attribute `level`' });

export const LIMITS = { name: 128, tags: 20, tag: 32, notes: 4000, note: 4000, numbers: 10, email: 254, company: 128 } as const;

// What people type: the service trims strings before it checks these.
const Name = Type.String({ minLength: 1, maxLength: LIMITS.name });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.tag }), { maxItems: LIMITS.tags });
const Notes = Type.String({ maxLength: LIMITS.notes });
const Email = Type.Union([Type.String({ maxLength: LIMITS.email, pattern: '^[^\\s@]+@[^\\s@]+$' }), Type.Null()]);
const Company = Type.Union([Type.String({ maxLength: LIMITS.company }), Type.Null()]);
const Numbers = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: LIMITS.numbers, description: 'any common format; stored normalised' });

export const NewCustomer = Type.Object({
  name: Name,
  level: Type.Optional(LevelName),
  tags: Type.Optional(Tags),
  notes: Type.Optional(Notes),
  email: Type.Optional(Email),
  company: Type.Optional(Company),
  numbers: Type.Optional(Numbers),
}, { additionalProperties: false });
export type NewCustomer = Static<typeof NewCustomer>;

/** Only the fields given change; `numbers`, when given, replaces the customer's list. */
export const CustomerPatch = Type.Partial(NewCustomer, { additionalProperties: false, minProperties: 1 });
export type CustomerPatch = Static<typeof CustomerPatch>;

export const NewNote = Type.Object({ text: Type.String({ minLength: 1, maxLength: LIMITS.note }) }, { additionalProperties: false });
export type NewNote = Static<typeof NewNote>;

const Iso = Type.String({ format: 'date-time' });

export const CustomerNote = Type.Object({
  id: Type.Integer(),
  at: Iso,
  authorUserId: Type.Union([Type.Integer(), Type.Null()]),
  author: Type.String(),
  text: Type.String(),
});
export type CustomerNote = Static<typeof CustomerNote>;

export const Customer = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  level: LevelName,
  tags: Type.Array(Type.String()),
  notes: Type.String({ description: 'standing remarks, edited in place; dated notes are in latestNotes' }),
  email: Type.Union([Type.String(), Type.Null()]),
  company: Type.Union([Type.String(), Type.Null()]),
  numbers: Type.Array(Type.String(), { description: 'normalised: digits with a leading + when international' }),
  createdBy: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Iso,
  updatedAt: Iso,
});
export type Customer = Static<typeof Customer>;

export const CustomerDetail = Type.Composite([Customer, Type.Object({ latestNotes: Type.Array(CustomerNote, { description: 'newest first' }) })]);
export type CustomerDetail = Static<typeof CustomerDetail>;

export const CustomerPage = Type.Object({
  items: Type.Array(Customer),
  nextOffset: Type.Union([Type.Integer(), Type.Null()], { description: 'offset of the next page; null on the last' }),
});
export type CustomerPage = Static<typeof CustomerPage>;

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 128, description: 'part of a name, digits of a number, or a whole email or company name in any case (those two are encrypted at rest and matched by blind index)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const Recording = Type.Object({ id: Type.Integer(), durationMs: Type.Integer() });

export const HistoryItem = Type.Object({
  interactionId: Type.String(),
  at: Iso,
  direction: Type.String(),
  callerNumber: Type.String(),
  queue: Type.Union([Type.String(), Type.Null()]),
  agentId: Type.Union([Type.Integer(), Type.Null()]),
  agentName: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  waitMs: Type.Union([Type.Integer(), Type.Null()]),
  talkMs: Type.Union([Type.Integer(), Type.Null()]),
  disposition: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  followUp: Type.Boolean(),
  recordings: Type.Array(Recording, { description: 'ids only; playback goes through the server with a role check' }),
});
export type HistoryItem = Static<typeof HistoryItem>;

export const HistoryPage = Type.Object({
  items: Type.Array(HistoryItem, { description: 'newest first' }),
  nextBefore: Type.Union([Type.String(), Type.Null()], { description: 'pass as `before` for the next page; null on the last' }),
});
export type HistoryPage = Static<typeof HistoryPage>;

export const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  before: Type.Optional(Type.String({ maxLength: 128, description: 'the nextBefore of the previous page' })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

/** Who writes: stored with what they wrote. */
export interface Author {
  userId: number | null;
  name: string;
}
