import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';

/** The logger every room receives: Fastify's view of pino, so app.log and children fit. */
export type Logger = FastifyBaseLogger;

// Anything that can carry a credential is redacted wherever it appears in a log object.
export const REDACT_PATHS = [
  'password', '*.password', '*.*.password', 'secret', '*.secret', '*.*.secret',
  'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie',
  'res.headers["set-cookie"]', 'cookie', '*.cookie', 'token', '*.token', 'passwordHash', '*.passwordHash',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { svc: 'cc' } }, destination as pino.DestinationStream);
}
