import { badRequest } from '../core/errors.js';

export const invalidDate = (field: string, value: string) => badRequest('kpi-invalid-date', `${field} must be a calendar date YYYY-MM-DD, got '${value}'`);
export const reversedRange = (from: string, to: string) => badRequest('kpi-range-reversed', `from (${from}) is after to (${to})`);
export const rangeTooLong = (days: number, max: number, grain: string) =>
  badRequest('kpi-range-too-long', `${days} days by ${grain} is too long a report: at most ${max} days`, { days, max, grain });
export const invalidChoice = (field: string, value: string, allowed: readonly string[]) =>
  badRequest('kpi-invalid-parameter', `${field} must be one of ${allowed.join(', ')}, got '${value}'`);
