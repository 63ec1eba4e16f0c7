import { AppError } from '../core/errors.js';

export const phoneNotFound = (id: number) => new AppError(404, 'phone-not-found', `desk phone ${id} does not exist`);
export const badExtension = (why: string) => new AppError(400, 'bad-extension', why);
export const badMac = (mac: string) =>
  new AppError(400, 'bad-mac', `"${mac.slice(0, 32)}" is not a phone's MAC address (12 hex digits, e.g. 00:15:65:ab:cd:01)`);
export const badBlfKeys = (why: string) => new AppError(400, 'bad-blf-keys', why);
export const unknownBlfAgent = (numbers: string[]) =>
  new AppError(400, 'unknown-blf-agent', `no agent has the number ${numbers.join(', ')}; BLF keys show agents`);
export const extensionTaken = (extension: string, by: string) =>
  new AppError(409, 'extension-taken', `extension ${extension} is already ${by}`);
export const macTaken = (mac: string) => new AppError(409, 'mac-taken', `another desk phone already has the MAC ${mac}`);
export const applyFailed = (why: string) =>
  new AppError(503, 'phones-not-applied', `the desk phones were saved but Asterisk did not take them: ${why}; they apply at the next change or restart`);
