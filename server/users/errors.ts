import { AppError, conflict, notFound } from '../core/errors.js';

export const userNotFound = (id: number) => notFound('user-not-found', `no user with id ${id}`);
export const usernameTaken = (username: string) => conflict('username-taken', `the username ${username} is already in use`);
export const invalidUser = (details: unknown) => new AppError(400, 'invalid-user', 'the user is not valid', details);
