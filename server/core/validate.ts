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
