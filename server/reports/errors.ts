import { AppError, badRequest, notFound } from '../core/errors.js';

export const scheduleNotFound = (id: number) => notFound('report-schedule-not-found', `no report schedule ${id}`);
export const invalidSchedule = (message: string, details?: unknown) => new AppError(422, 'invalid-report-schedule', message, details);
export const noDataYet = (key: string) => notFound('report-no-data-yet', `the period ${key} has not started: there is no data yet`);
export const unknownTable = (name: string) => notFound('report-table-not-found', `no report table ${JSON.stringify(name.slice(0, 40))}: use totals, queues, agents or intervals`);

export const invalidDate = (field: string, value: string) => badRequest('kpi-invalid-date', `${field} must be a calendar date YYYY-MM-DD, got '${value}'`);
export const reversedRange = (from: string, to: string) => badRequest('kpi-range-reversed', `from (${from}) is after to (${to})`);
export const rangeTooLong = (days: number, max: number, grain: string) =>
  badRequest('kpi-range-too-long', `${days} days by ${grain} is too long a report: at most ${max} days`, { days, max, grain });
export const invalidChoice = (field: string, value: string, allowed: readonly string[]) =>
  badRequest('kpi-invalid-parameter', `${field} must be one of ${allowed.join(', ')}, got '${value}'`);
