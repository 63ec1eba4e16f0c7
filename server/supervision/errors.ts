import { AppError } from '../core/errors.js';

export const callNotFound = (id: string) => new AppError(404, 'call-not-found', `no live call ${id}`);
export const callNotConnected = (id: string, state: string) =>
  new AppError(409, 'call-not-connected', `call ${id} is ${state}: only a call connected to an agent can be monitored`);
export const monitorNotFound = (id: number) => new AppError(404, 'monitor-not-found', `no monitoring session ${id}`);
export const monitorEnded = (id: number) => new AppError(409, 'monitor-ended', `monitoring session ${id} has ended`);
export const ownPhone = () => new AppError(409, 'monitor-own-phone', "the supervisor's phone is the monitored agent's own phone");
export const supervisorBusy = (extension: string) =>
  new AppError(409, 'supervisor-phone-busy', `desk phone ${extension} is already ringing or connected for another monitoring`);
export const phoneUnreachable = (extension: string, why: string) =>
  new AppError(409, 'supervisor-phone-unreachable', `desk phone ${extension} could not be called: ${why}`);
export const telephonyDown = () => new AppError(503, 'telephony-unavailable', 'this server does not hold the Asterisk connection right now; try again');
export const agentOnCall = (id: number, state: string) =>
  new AppError(409, 'agent-on-call', `agent ${id} is ${state}: a forced pause or log-out is refused during a call; try again when the call has ended`);
export const agentLoggedOut = (id: number) => new AppError(409, 'agent-logged-out', `agent ${id} is logged out`);
export const noTarget = () => new AppError(400, 'monitor-target-missing', 'name the call: interactionId or agentId');
export const agentNotOnCall = (id: number) => new AppError(409, 'agent-not-on-call', `agent ${id} is not on a call now`);
