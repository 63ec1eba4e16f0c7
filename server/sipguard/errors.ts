import { AppError } from '../core/errors.js';

export const badAddress = (a: string) => new AppError(400, 'bad-address', `"${a.slice(0, 45)}" is not an IPv4 or IPv6 address`);
export const neverBanned = (a: string) => new AppError(409, 'never-banned', `${a} is loopback, a trunk address or in sipGuard.neverBan: it is never banned`);
export const banNotFound = (id: number) => new AppError(404, 'ban-not-found', `no active ban ${id}`);
