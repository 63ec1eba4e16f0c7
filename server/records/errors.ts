import { AppError, badRequest, notFound } from '../core/errors.js';

export const invalidTime = (field: string, value: string) =>
  badRequest('invalid-time', `${field} is not a date or time: '${value}' (use ISO, e.g. 2026-11-21 or 2026-11-21T09:30, UTC unless a zone is given)`, { field });
export const reversedRange = (from: Date, to: Date) =>
  badRequest('invalid-time-range', `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
export const reversedTalk = (min: number, max: number) =>
  badRequest('invalid-talk-range', `minTalk (${min} s) must not be more than maxTalk (${max} s)`);
export const invalidNumber = (value: string) =>
  badRequest('invalid-number', `number must be digits, optionally with a leading + and spaces, dashes, dots or brackets: '${value}'`);
export const invalidCursor = () => badRequest('invalid-cursor', 'before is not a cursor this search gave out');
export const interactionNotFound = (id: string) => notFound('interaction-not-found', `no interaction ${id}`);
export const recordingNotFound = (id: number) => notFound('recording-not-found', `no recording ${id}`);

/** The answers of a recording that cannot be played: they say why, and the attempt is logged first. */
export const recordingDeleted = (id: number, at: Date) =>
  new AppError(410, 'recording-deleted', `recording ${id} is no longer available: deleted by retention on ${at.toISOString().slice(0, 10)}`, { deletedAt: at.toISOString() });
export const recordingMissing = (id: number) =>
  notFound('recording-file-missing', `recording ${id} is indexed but its file is missing on disk`);
