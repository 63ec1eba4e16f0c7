import { AppError } from '../../core/errors.js';

// Stable codes the desk page and API clients match on.
export const callNotFound = (id: string) => new AppError(404, 'call-not-found', `no call ${id} in progress`);
export const notYourCall = () => new AppError(403, 'not-your-call', 'this call is not on your desk phone');
export const wrongState = (state: string, action: string) => new AppError(409, 'wrong-call-state', `cannot ${action} a call that is ${state}`);
export const badNumber = (why: string) => new AppError(400, 'bad-number', why);
export const agentUnavailable = (number: string, state: string) => new AppError(409, 'agent-unavailable', `agent ${number} is ${state}, not ready`);
export const unknownAgent = (number: string) => new AppError(404, 'agent-not-found', `no agent with number ${number}`);
export const unknownQueue = (queue: string) => new AppError(404, 'queue-not-found', `no queue ${queue}`);
export const noAgentForUser = () => new AppError(403, 'no-agent', 'your user is not linked to an agent');
export const badTarget = (why: string) => new AppError(400, 'bad-target', why);
