import { AppError } from '../core/errors.js';

export const trunkNotFound = (id: number) => new AppError(404, 'trunk-not-found', `trunk ${id} does not exist`);
export const badTrunk = (code: string, why: string, details?: unknown) => new AppError(400, code, why, details);
export const nameTaken = (name: string, by: string) => new AppError(409, 'trunk-name-taken', `the name ${name} is already ${by}`);
export const matchTaken = (entry: string, by: string) =>
  new AppError(409, 'trunk-match-taken', `${entry} already identifies ${by}: a call from there could not be told apart`);
export const outboundInUse = (name: string, what: string) =>
  new AppError(409, 'trunk-carries-outbound', `trunk ${name} carries the outgoing calls: ${what} would leave callbacks and click-to-dial with no way out; make another trunk the outbound one (or untick "outbound") first`);
export const applyFailed = (why: string) =>
  new AppError(503, 'trunks-not-applied', `the trunks were saved but Asterisk did not take them: ${why}; they apply at the next change or restart`);
