import { AppError, notFound } from '../core/errors.js';

export const scheduleNotFound = (id: number) => notFound('report-schedule-not-found', `no report schedule ${id}`);
export const invalidSchedule = (message: string, details?: unknown) => new AppError(422, 'invalid-report-schedule', message, details);
export const noDataYet = (key: string) => notFound('report-no-data-yet', `the period ${key} has not started: there is no data yet`);
export const unknownTable = (name: string) => notFound('report-table-not-found', `no report table ${JSON.stringify(name.slice(0, 40))}: use totals, queues, agents or intervals`);
