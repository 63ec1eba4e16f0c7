import { AppError } from '../core/errors.js';

export const agentNotFound = (id: number | string) => new AppError(404, 'agent-not-found', `agent ${id} does not exist`);
export const invalidTransition = (from: string, to: string) =>
  new AppError(409, 'invalid-agent-transition', `an agent cannot go from ${from} to ${to}`);
