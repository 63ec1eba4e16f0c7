import { badRequest, conflict, notFound } from '../core/errors.js';

export const confirmationMismatch = () =>
  badRequest('confirmation-mismatch', "type the customer's name exactly as shown to confirm the erasure");
export const callbackPending = (customerId: number) =>
  conflict('callback-pending', `a callback to customer ${customerId} may still dial their number: cancel it or wait until it is over, then erase`);
export const customerGone = (id: number) => notFound('customer-not-found', `no customer with id ${id}`);
