import { AppError, notFound } from '../core/errors.js';

export const ruleNotFound = (id: number) => notFound('alert-rule-not-found', `no alert rule ${id}`);
export const invalidRule = (message: string, details?: unknown) => new AppError(422, 'invalid-alert-rule', message, details);
