import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Route options for bodies their service checks itself (flows, queues, skills). The
 * schemas still document the route in OpenAPI, but Fastify's Ajv neither checks nor
 * rewrites the body or the reply: Ajv refuses defaults inside unions (strict mode) and
 * would silently drop unknown keys (removeAdditional). The services check with TypeBox
 * and answer 422 with every problem, the same way for the API and the pages.
 * Params and query strings are still checked here, with TypeBox.
 */
// Typed loosely on purpose: Fastify types each route's compiler by that route's schema.
const validatorCompiler = ({ schema, httpPart }: { schema: unknown; httpPart?: string }) => {
  if (httpPart === 'body') return (data: unknown) => ({ value: data });
  const typed = schema as TSchema;
  return (data: unknown) => {
    const value = Value.Convert(typed, data);
    if (Value.Check(typed, value)) return { value };
    const validation = [...Value.Errors(typed, value)].map((e) => ({ instancePath: e.path, message: e.message }));
    const error = Object.assign(new Error(`${httpPart}${validation[0]?.instancePath ?? ''} ${validation[0]?.message ?? 'is not valid'}`), { validation });
    return { error };
  };
};

export const docsOnlyBody = {
  validatorCompiler,
  serializerCompiler: () => (data: unknown) => JSON.stringify(data),
};
