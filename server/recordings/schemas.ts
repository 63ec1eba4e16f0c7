import { Type, type Static } from '@sinclair/typebox';

const counts = {
  deleted: Type.Integer({ description: 'files deleted, rows marked deleted_reason retention' }),
  missing: Type.Integer({ description: 'files already gone, rows marked deleted_reason missing' }),
  failed: Type.Integer({ description: 'files that could not be deleted (rows left as they were, tried again next run)' }),
  bytesFreed: Type.Integer(),
};

/** What one retention run did, in total and per queue; also the audit entry's `after`. */
export const RetentionResult = Type.Object({
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.String({ format: 'date-time' }),
  ...counts,
  queues: Type.Array(Type.Object({ queue: Type.String(), days: Type.Integer(), ...counts })),
});
export type RetentionResult = Static<typeof RetentionResult>;

export const RetentionLastRun = Type.Object({
  at: Type.String({ description: 'when its audit entry was written' }),
  by: Type.String({ description: 'who ran it: system (nightly) or the admin who asked' }),
  result: RetentionResult,
});
export type RetentionLastRun = Static<typeof RetentionLastRun>;
