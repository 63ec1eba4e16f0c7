import { Type, type Static } from '@sinclair/typebox';
import { Customer, CustomerNote } from '../crm/schemas.js';

const Iso = Type.String({ format: 'date-time' });
const IsoOrNull = Type.Union([Iso, Type.Null()]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const EraseBody = Type.Object({
  confirm: Type.String({ maxLength: 256, description: "the customer's name, typed exactly: an erasure cannot be undone" }),
}, { additionalProperties: false });
export type EraseBody = Static<typeof EraseBody>;

/** Everything held about one customer (issue 6, PIPL): the export a customer may ask for. */
export const CustomerExport = Type.Object({
  exportedAt: Iso,
  exportedBy: Type.String(),
  customer: Customer,
  notes: Type.Array(CustomerNote, { description: 'every dated note, oldest first' }),
  interactions: Type.Array(Type.Object({
    id: Type.String(), direction: Type.String(), callerNumber: Type.String(), callerName: Nullable(Type.String()), did: Nullable(Type.String()),
    queue: Nullable(Type.String()), agentId: Type.Union([Type.Integer(), Type.Null()]), enteredAt: Iso, answeredAt: IsoOrNull, endedAt: IsoOrNull,
    outcome: Nullable(Type.String()), waitMs: Type.Union([Type.Integer(), Type.Null()]), talkMs: Type.Union([Type.Integer(), Type.Null()]),
    holdMs: Type.Union([Type.Integer(), Type.Null()]), disposition: Nullable(Type.String()), wrapNote: Nullable(Type.String()),
    followUp: Type.Boolean(), surveyScore: Type.Union([Type.Integer(), Type.Null()]), ivrPath: Type.Unknown(), attributes: Type.Unknown(),
  }), { description: 'filed under the customer or from any of their numbers, oldest first' }),
  callEvents: Type.Array(Type.Object({
    interactionId: Type.String(), seq: Type.Integer(), type: Type.String(), at: Iso, queue: Nullable(Type.String()),
    agentId: Type.Union([Type.Integer(), Type.Null()]), data: Type.Unknown(),
  })),
  callbacks: Type.Array(Type.Object({
    interactionId: Type.String(), queue: Type.String(), number: Type.String(), status: Type.String(), attempts: Type.Integer(),
    requestedAt: Iso, endedAt: IsoOrNull, lastResult: Nullable(Type.String()),
  })),
  recordings: Type.Array(Type.Object({
    id: Type.Integer(), interactionId: Type.String(), startedAt: Iso, durationMs: Type.Integer(), sizeBytes: Type.Integer(), sha256: Type.String(),
    deleted: Type.Boolean(), download: Type.String({ description: 'where an admin downloads the file (the download is audited)' }),
  }), { description: 'metadata; the files are downloaded one by one through the server' }),
});
export type CustomerExport = Static<typeof CustomerExport>;

/** What an erasure removed: counts, never the data (this is what the audit log keeps). */
export const EraseResult = Type.Object({
  customerId: Type.Integer(),
  erasedAt: Iso,
  deleted: Type.Object({ customer: Type.Integer(), numbers: Type.Integer(), notes: Type.Integer(), recordings: Type.Integer() }),
  anonymised: Type.Object({
    interactions: Type.Integer({ description: 'kept for the counts, without number, name, wrap-up note and IVR input' }),
    callEvents: Type.Integer(), callbacks: Type.Integer(), cdrs: Type.Integer(),
  }),
  files: Type.Object({
    deleted: Type.Integer(),
    missing: Type.Integer({ description: 'already gone from disk' }),
    failed: Type.Array(Type.Integer(), { description: 'recording ids whose file could not be deleted (the row is marked deleted; remove the file by hand)' }),
  }),
});
export type EraseResult = Static<typeof EraseResult>;
