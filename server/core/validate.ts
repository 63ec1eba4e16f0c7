import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from './errors.js';

/**
 * A request body as a service takes it, checked against its TypeBox schema: every problem
 * at once, each with its path, as a 422 the pages and the API show the same way.
 */
export function checkedBody<S extends TSchema>(schema: S, body: unknown): Static<S> {
  if (Value.Check(schema, body)) return body as Static<S>;
  const details = [...Value.Errors(schema, body)].map((e) => ({ path: e.path || '/', message: e.message }));
  throw new AppError(422, 'invalid-body', 'the request body is not valid', details);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Puts back every given value whose kind (array or not) the defaulting changed. */
function keepGivenKinds(given: unknown, defaulted: unknown): unknown {
  if (given === undefined) return defaulted;
  if (Array.isArray(given) !== Array.isArray(defaulted)) return given;
  if (isPlainObject(given) && isPlainObject(defaulted)) {
    for (const key of Object.keys(given)) defaulted[key] = keepGivenKinds(given[key], defaulted[key]);
  } else if (Array.isArray(given) && Array.isArray(defaulted)) {
    given.forEach((item, i) => { defaulted[i] = keepGivenKinds(item, defaulted[i]); });
  }
  return defaulted;
}

/**
 * TypeBox's Value.Default, minus one trap: it merges an object given for an array field
 * into the field's default, so `{"overflow": {...}}` silently became `[]` and passed
 * Check. Here a value given with the wrong kind stays as given, for Check to refuse.
 */
export function withDefaults<S extends TSchema>(schema: S, input: unknown): unknown {
  return keepGivenKinds(input, Value.Default(schema, structuredClone(input)));
}
