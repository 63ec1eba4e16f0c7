import { Type, type Static } from '@sinclair/typebox';

export const DISK_KINDS = ['recordings_disk_pct_under', 'recordings_disk_gb_under'] as const;
export const ALERT_KINDS = ['waiting_over', 'longest_wait_over', 'service_level_under', 'agent_paused_over', 'phone_unregistered', ...DISK_KINDS] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const isDiskKind = (k: AlertKind): k is (typeof DISK_KINDS)[number] => (DISK_KINDS as readonly string[]).includes(k);
export const AlertKindName = Type.Union(ALERT_KINDS.map((k) => Type.Literal(k)), {
  description: 'waiting_over: callers waiting > threshold; longest_wait_over: seconds; service_level_under: percent (today, inclusive); agent_paused_over: minutes; '
    + 'phone_unregistered: no threshold; recordings_disk_pct_under: free space on the recordings disk, percent; recordings_disk_gb_under: the same in GB (10^9 bytes). '
    + 'Disk rules take no queue.',
});

export const AlertRuleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  kind: AlertKindName,
  queue: Type.Union([Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), Type.Null()], { default: null, description: 'null: every queue (agent rules: every agent)' }),
  threshold: Type.Number({ minimum: 0, maximum: 1_000_000, default: 0 }),
  enabled: Type.Boolean({ default: true }),
  notifyWebhook: Type.Boolean({ default: true }),
  notifyEmail: Type.Boolean({ default: true }),
}, { additionalProperties: false });
export type AlertRuleBody = Static<typeof AlertRuleBody>;

export const AlertRule = Type.Object({ id: Type.Integer(), ...AlertRuleBody.properties, updatedAt: Type.String({ format: 'date-time' }) });
export type AlertRule = Static<typeof AlertRule>;

export const AlertView = Type.Object({
  id: Type.Integer(),
  ruleId: Type.Union([Type.Integer(), Type.Null()], { description: 'null once the rule was deleted' }),
  ruleName: Type.String(),
  kind: AlertKindName,
  threshold: Type.Number(),
  queue: Type.Union([Type.String(), Type.Null()]),
  subject: Type.String({ description: 'queue:<name>, agent:<id> or disk:recordings' }),
  label: Type.String({ description: 'the queue name, or the agent number and name' }),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  peakValue: Type.Number({ description: 'the worst value while active (highest, or lowest for service_level_under)' }),
  lastValue: Type.Number(),
});
export type AlertView = Static<typeof AlertView>;

/** Payload on the live 'alerts' topic, and what the webhook receives. */
export interface AlertNotice {
  kind: 'raised' | 'ended';
  alert: AlertView;
}
