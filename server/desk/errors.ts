import { AppError } from '../core/errors.js';

export const interactionNotFound = (id: string) => new AppError(404, 'interaction-not-found', `interaction ${id} does not exist`);
export const notYourCall = (id: string) => new AppError(403, 'not-your-call', `interaction ${id} was not handled by you`);
export const unknownDisposition = (code: string, queue: string | null) =>
  new AppError(422, 'unknown-disposition', `disposition ${code} is not offered${queue ? ` in queue ${queue}` : ''}`);
export const dispositionRequired = (queue: string) => new AppError(422, 'disposition-required', `queue ${queue} asks for a disposition before the wrap-up is done`);
export const dispositionNotFound = (id: number) => new AppError(404, 'disposition-not-found', `disposition ${id} does not exist`);
export const dispositionExists = (code: string) => new AppError(409, 'disposition-exists', `disposition ${code} already exists for that queue`);
export const noAgentForUser = () => new AppError(403, 'no-agent-for-user', 'your account is not linked to an agent');
