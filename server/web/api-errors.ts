import { Type } from '@sinclair/typebox';

/** The body of every /api error (plugins/errors.ts writes it), for the routes' OpenAPI schemas. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable kebab-case id, e.g. agent-not-found' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});

/** The response schemas of the error statuses a route may answer. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
}
