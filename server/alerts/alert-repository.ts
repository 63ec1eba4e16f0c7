import type { Knex } from '../core/db.js';
import type { ActiveAlert, Firing } from './conditions.js';
import type { AlertKind, AlertRule, AlertRuleBody, AlertView } from './schemas.js';

interface RuleRow {
  id: number;
  name: string;
  kind: AlertKind;
  queue: string | null;
  threshold: number;
  enabled: number | boolean;
  notify_webhook: number | boolean;
  notify_email: number | boolean;
  updated_at: Date;
}

interface AlertRow {
  id: number | string;
  rule_id: number | null;
  rule_name: string;
  kind: AlertKind;
  threshold: number;
  queue: string | null;
  subject: string;
  label: string;
  started_at: Date;
  ended_at: Date | null;
  peak_value: number;
  last_value: number;
}

const toRule = (r: RuleRow): AlertRule => ({
  id: r.id, name: r.name, kind: r.kind, queue: r.queue, threshold: Number(r.threshold), enabled: !!r.enabled,
  notifyWebhook: !!r.notify_webhook, notifyEmail: !!r.notify_email, updatedAt: r.updated_at.toISOString(),
});

const ruleRow = (b: AlertRuleBody) => ({
  name: b.name, kind: b.kind, queue: b.queue, threshold: b.threshold, enabled: b.enabled, notify_webhook: b.notifyWebhook, notify_email: b.notifyEmail,
});

const toAlert = (r: AlertRow): AlertView => ({
  id: Number(r.id), ruleId: r.rule_id, ruleName: r.rule_name, kind: r.kind, threshold: Number(r.threshold), queue: r.queue,
  subject: r.subject, label: r.label, startedAt: r.started_at.toISOString(), endedAt: r.ended_at ? r.ended_at.toISOString() : null,
  peakValue: Number(r.peak_value), lastValue: Number(r.last_value),
});

const isDuplicate = (err: unknown) => (err as { code?: string }).code === 'ER_DUP_ENTRY';

export class AlertRepository {
  constructor(private readonly db: Knex) {}

  async rules(): Promise<AlertRule[]> {
    return (await this.db<RuleRow>('alert_rules').orderBy('id')).map(toRule);
  }

  async rule(id: number): Promise<AlertRule | undefined> {
    const row = await this.db<RuleRow>('alert_rules').where({ id }).first();
    return row ? toRule(row) : undefined;
  }

  async insertRule(b: AlertRuleBody): Promise<number> {
    const [id] = await this.db('alert_rules').insert(ruleRow(b));
    return Number(id);
  }

  async updateRule(id: number, b: AlertRuleBody): Promise<boolean> {
    return (await this.db('alert_rules').where({ id }).update(ruleRow(b))) > 0;
  }

  async deleteRule(id: number): Promise<boolean> {
    return (await this.db('alert_rules').where({ id }).delete()) > 0;
  }

  async active(): Promise<AlertView[]> {
    return (await this.db<AlertRow>('alerts').whereNull('ended_at').orderBy('started_at')).map(toAlert);
  }

  /** Newest first; active ones among them. */
  async history(o: { limit: number; since?: Date }): Promise<AlertView[]> {
    const q = this.db<AlertRow>('alerts').orderBy('started_at', 'desc').orderBy('id', 'desc').limit(o.limit);
    if (o.since) q.where('started_at', '>=', o.since);
    return (await q).map(toAlert);
  }

  async get(id: number): Promise<AlertView | undefined> {
    const row = await this.db<AlertRow>('alerts').where({ id }).first();
    return row ? toAlert(row) : undefined;
  }

  /** Undefined when this rule and subject already have an active alert (another instance raised it). */
  async open(f: Firing, at: Date): Promise<AlertView | undefined> {
    try {
      const [id] = await this.db('alerts').insert({
        rule_id: f.rule.id, rule_name: f.rule.name, kind: f.rule.kind, threshold: f.rule.threshold, queue: f.rule.queue,
        subject: f.subject, label: f.label, started_at: at, peak_value: f.value, last_value: f.value, active_key: `${f.rule.id}:${f.subject}`,
      });
      return this.get(Number(id));
    } catch (err) {
      if (isDuplicate(err)) return undefined;
      throw err;
    }
  }

  async touch(id: number, value: number, peak: number): Promise<void> {
    await this.db('alerts').where({ id }).whereNull('ended_at').update({ last_value: value, peak_value: peak });
  }

  /** Undefined when it had already ended. */
  async close(id: number, at: Date): Promise<AlertView | undefined> {
    const n = await this.db('alerts').where({ id }).whereNull('ended_at').update({ ended_at: at, active_key: null });
    return n ? this.get(id) : undefined;
  }

  static asActive(a: AlertView): ActiveAlert {
    return { id: a.id, ruleId: a.ruleId, kind: a.kind, subject: a.subject, peakValue: a.peakValue };
  }
}
