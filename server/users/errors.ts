import { AppError, conflict, notFound } from '../core/errors.js';
import type { PasswordProblem } from './password-rules.js';

export const userNotFound = (id: number) => notFound('user-not-found', `no user with id ${id}`);
export const usernameTaken = (username: string) => conflict('username-taken', `the username ${username} is already in use`);
export const invalidUser = (details: unknown) => new AppError(400, 'invalid-user', 'the user is not valid', details);
/** The message lists every rule broken, so the form can be fixed in one go. */
export const weakPassword = (problems: PasswordProblem[]) =>
  new AppError(400, 'weak-password', problems.map((p) => p.message).join('; '), problems);
export const wrongCurrentPassword = () => new AppError(400, 'wrong-current-password', 'the current password is not right');
export const ownAccount = (what: string) => conflict('own-account', `you cannot ${what} your own account; ask another admin`);
export const totpNotForRole = () => new AppError(403, 'totp-not-for-role', 'two-step sign-in is offered to admins and supervisors');
export const totpNotStarted = () => conflict('totp-not-started', 'start the two-step sign-in set-up first');
export const totpAlreadyOn = () => conflict('totp-already-enabled', 'two-step sign-in is already on; an admin can reset it');
export const wrongTotpCode = () => new AppError(400, 'wrong-totp-code', 'the code is not right; check the time on the phone and try the current code');
