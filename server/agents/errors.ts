import { AppError } from '../core/errors.js';

export const agentNotFound = (id: number | string) => new AppError(404, 'agent-not-found', `agent ${id} does not exist`);
export const invalidTransition = (from: string, to: string) =>
  new AppError(409, 'invalid-agent-transition', `an agent cannot go from ${from} to ${to}`);
export const notYourAgent = () => new AppError(403, 'forbidden', 'an agent may act only on its own agent');
export const unknownPauseReason = (reason: string) =>
  new AppError(400, 'unknown-pause-reason', `"${reason}" is not an active pause reason; see GET /api/v1/pause-reasons`);
export const pauseReasonNotFound = (id: number) => new AppError(404, 'pause-reason-not-found', `pause reason ${id} does not exist`);
export const pauseReasonTaken = (name: string, code: string) =>
  new AppError(409, 'pause-reason-taken', `another pause reason already uses the name "${name}" or the code ${code}`);
export const systemPauseReason = (name: string) =>
  new AppError(409, 'system-pause-reason', `"${name}" is set by the system: it can be relabelled but not removed, deactivated or renamed`);
export const unknownPhone = (extension: string) => new AppError(400, 'unknown-phone', `${extension} is not a desk phone of this system`);
export const phoneInUse = (extension: string, agentId: number) =>
  new AppError(409, 'phone-in-use', `agent ${agentId} is on a call on desk phone ${extension}`);
export const agentBusy = (agentId: number, state: string) =>
  new AppError(409, 'agent-busy', `agent ${agentId} is ${state}: log in again or out after the call`);
export const agentHasNoPin = (agentId: number) => new AppError(404, 'agent-pin-not-set', `agent ${agentId} has no PIN`);
export const agentNumberTaken = (number: string) => new AppError(409, 'agent-number-taken', `another agent already has the number ${number}`);
export const userNotAgent = (userId: number) =>
  new AppError(400, 'user-not-agent', `user ${userId} does not exist or does not have the role agent; add the user on the users page with role agent first`);
export const userLinked = (userId: number, agentId: number) => new AppError(409, 'user-already-linked', `user ${userId} already works as agent ${agentId}`);
export const agentNotLoggedOut = (agentId: number, state: string) =>
  new AppError(409, 'agent-not-logged-out', `agent ${agentId} is ${state}: log it out before removing it`);
export const agentHasHistory = (agentId: number) =>
  new AppError(409, 'agent-has-history', `agent ${agentId} has handled calls and reports name it: unlink its user instead of removing it`);
