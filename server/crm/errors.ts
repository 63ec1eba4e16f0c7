import { AppError, badRequest, notFound } from '../core/errors.js';

export interface Problem {
  path: string;
  message: string;
}

export const customerNotFound = (id: number) => notFound('customer-not-found', `no customer with id ${id}`);
// 422 with every problem, like the other rooms whose services check their own input (flows, queues).
export const invalidCustomer = (problems: Problem[]) => new AppError(422, 'invalid-customer', 'the customer is not valid', { problems });
export const invalidPhoneNumber = (raw: string, path: string) =>
  new AppError(422, 'invalid-phone-number', `"${raw}" is not a phone number`, { problems: [{ path, message: 'not a phone number (3 to 20 digits, an optional leading +)' }] });
export const invalidNote = (problems: Problem[]) => new AppError(422, 'invalid-note', 'the note is not valid', { problems });
export const historyNeedsSubject = () => badRequest('history-needs-customer-or-number', 'ask for the history of a customer id or a number');
export const invalidCursor = () => badRequest('invalid-cursor', 'the before cursor is not one this server gave out');
export const interactionNotFound = (id: string) => notFound('interaction-not-found', `interaction ${id} does not exist`);
export const noNumberToDial = (why: string) => new AppError(422, 'no-number-to-dial', why);
