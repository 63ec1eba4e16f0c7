import { Type, type Static } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const Disposition = Type.Object({
  id: Type.Integer(),
  queue: Type.Union([Type.String(), Type.Null()], { description: 'null: offered in every queue' }),
  code: Type.String(),
  label: Type.String(),
  active: Type.Boolean(),
  sort: Type.Integer(),
});
export type Disposition = Static<typeof Disposition>;

export const DispositionInput = Type.Object({
  queue: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), Type.Null()])),
  code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'letters, digits, - and _' }),
  label: Type.String({ minLength: 1, maxLength: 128 }),
  active: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
}, { additionalProperties: false });
export type DispositionInput = Static<typeof DispositionInput>;

export const DispositionPatch = Type.Partial(Type.Omit(DispositionInput, ['queue', 'code']), { additionalProperties: false });
export type DispositionPatch = Static<typeof DispositionPatch>;

export const WrapUpInput = Type.Object({
  disposition: Type.Optional(Type.String({ maxLength: 32 })),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
  followUp: Type.Optional(Type.Boolean()),
  /** Ends the wrap-up: the agent is ready for the next call. */
  done: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type WrapUpInput = Static<typeof WrapUpInput>;

export const CustomerNote = Type.Object({ at: Type.String(), author: Nullable(Type.String()), text: Type.String() });
export const CustomerCard = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  level: Nullable(Type.String()),
  company: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  /** Standing remarks about the customer, edited in place. */
  remarks: Type.String(),
  /** Dated notes, newest first. */
  notes: Type.Array(CustomerNote),
});
export type CustomerCard = Static<typeof CustomerCard>;

export const HistoryEntry = Type.Object({
  interactionId: Type.String(),
  at: Type.String(),
  direction: Type.String(),
  queue: Nullable(Type.String()),
  agentName: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  waitMs: Type.Union([Type.Integer(), Type.Null()]),
  talkMs: Type.Union([Type.Integer(), Type.Null()]),
  disposition: Nullable(Type.String()),
  note: Nullable(Type.String()),
  recordings: Type.Array(Type.Object({ id: Type.Integer(), durationMs: Type.Union([Type.Integer(), Type.Null()]) })),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const IvrStep = Type.Object({ flow: Type.String(), step: Type.String(), input: Type.Optional(Type.String()), result: Type.Optional(Type.String()) });

/** The screen pop: everything the agent sees about a call while the phone rings. */
export const ScreenPopCard = Type.Object({
  interactionId: Type.String(),
  direction: Type.String(),
  callerNumber: Type.String(),
  callerName: Nullable(Type.String()),
  did: Nullable(Type.String()),
  queue: Nullable(Type.String()),
  enteredAt: Type.String(),
  queuedAt: Nullable(Type.String()),
  ivrPath: Type.Array(IvrStep),
  /** What the caller keyed or the IVR set (language, account number, topic). */
  attributes: Type.Record(Type.String(), Type.String()),
  customer: Type.Union([CustomerCard, Type.Null()]),
  history: Type.Array(HistoryEntry),
  dispositions: Type.Array(Disposition),
});
export type ScreenPopCard = Static<typeof ScreenPopCard>;
