import { Type, type Static } from '@sinclair/typebox';
import { PERIOD_KINDS } from './period.js';

// The languages a report can be written in: the web catalogs' locales (web/i18n), named
// here because a domain room does not import the web layer.
export const REPORT_LANGUAGES = ['en', 'zh-CN'] as const;

export const ScheduleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  period: Type.Union(PERIOD_KINDS.map((k) => Type.Literal(k)), { description: 'daily: yesterday; weekly: last ISO week, sent on Mondays; monthly: last month, sent on the 1st' }),
  sendTime: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM in the contact center time zone' }),
  recipients: Type.Array(Type.String({ pattern: '^[^@\\s,;<>"]+@[^@\\s,;<>"]+\\.[^@\\s,;<>"]+$', maxLength: 254 }), { minItems: 1, maxItems: 20 }),
  language: Type.Union(REPORT_LANGUAGES.map((l) => Type.Literal(l)), { default: 'en' }),
  enabled: Type.Boolean({ default: true }),
}, { additionalProperties: false });
export type ScheduleBody = Static<typeof ScheduleBody>;

export const Schedule = Type.Object({
  id: Type.Integer(),
  ...ScheduleBody.properties,
  lastPeriod: Type.Union([Type.String(), Type.Null()], { description: 'the last period sent (2026-11-20, 2026-W47, 2026-11)' }),
  lastSentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
export type Schedule = Static<typeof Schedule>;
