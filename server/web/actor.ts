import type { FastifyRequest } from 'fastify';
import type { Actor } from '../users/index.js';
import { currentUser } from './plugins/auth.js';

/** The signed-in user as the audit log names them, with the address they came from. */
export function actorOf(request: FastifyRequest): Actor {
  const user = currentUser(request);
  return { userId: user.id, username: user.username, ip: request.ip };
}
