import { Value } from '@sinclair/typebox/value';
import { withDefaults } from '../core/validate.js';
import type { Logger } from '../core/logger.js';
import type { LiveBus } from '../live/live-bus.js';
import type { FloorSnapshot } from '../wallboard/index.js';
import { AlertRepository } from './alert-repository.js';
import { alertChanges, firings, type DiskReading } from './conditions.js';
import { invalidRule, ruleNotFound } from './errors.js';
import type { AlertNotifier } from './notifier.js';
import { AlertRuleBody, isDiskKind, type AlertNotice, type AlertRule, type AlertView } from './schemas.js';

export interface AlertServiceDeps {
  repo: AlertRepository;
  bus: LiveBus;
  notifier: AlertNotifier;
  /** Queue names, to refuse a rule for a queue that does not exist. */
  queueNames(): Promise<string[]>;
  /** Free space where recordings are written; undefined when it cannot be read. */
  disk(): Promise<DiskReading | undefined>;
  log: Logger;
}

/** Alert rules, the alerts they raised, and one evaluation of the rules against the floor. */
export class AlertService {
  /** Evaluations run one after another: two overlapping ones would both raise the same alert. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly d: AlertServiceDeps) {}

  rules(): Promise<AlertRule[]> {
    return this.d.repo.rules();
  }

  async rule(id: number): Promise<AlertRule> {
    const r = await this.d.repo.rule(id);
    if (!r) throw ruleNotFound(id);
    return r;
  }

  async createRule(input: unknown): Promise<AlertRule> {
    const id = await this.d.repo.insertRule(await this.checked(input));
    this.d.log.info({ ruleId: id }, 'alert rule created');
    return this.rule(id);
  }

  async updateRule(id: number, input: unknown): Promise<AlertRule> {
    if (!(await this.d.repo.updateRule(id, await this.checked(input)))) throw ruleNotFound(id);
    this.d.log.info({ ruleId: id }, 'alert rule updated');
    return this.rule(id);
  }

  /** Its alerts stay as history (their rule id becomes null); an active one is ended by the next evaluation. */
  async deleteRule(id: number): Promise<void> {
    if (!(await this.d.repo.deleteRule(id))) throw ruleNotFound(id);
    this.d.log.info({ ruleId: id }, 'alert rule deleted');
  }

  private async checked(input: unknown): Promise<AlertRuleBody> {
    const defaulted = withDefaults(AlertRuleBody, input ?? {});
    const problems = [...Value.Errors(AlertRuleBody, defaulted)].map((e) => ({ path: e.path, message: e.message }));
    if (problems.length) throw invalidRule(`${problems[0]?.path || '/'} ${problems[0]?.message}`, { problems });
    const body = defaulted as AlertRuleBody;
    if (isDiskKind(body.kind) && body.queue !== null) throw invalidRule('/queue: a disk rule watches the recordings disk, not a queue: leave the queue empty');
    if (body.kind === 'recordings_disk_pct_under' && body.threshold > 100) throw invalidRule('/threshold: a percentage of free space is at most 100');
    if (body.queue !== null && !(await this.d.queueNames()).includes(body.queue)) throw invalidRule(`/queue: no queue named ${body.queue}`);
    return body;
  }

  /** An enabled rule to evaluate, or an active alert that may need ending. */
  async hasWork(): Promise<boolean> {
    return (await this.d.repo.rules()).some((r) => r.enabled) || (await this.d.repo.active()).length > 0;
  }

  active(): Promise<AlertView[]> {
    return this.d.repo.active();
  }

  history(limit = 200): Promise<AlertView[]> {
    return this.d.repo.history({ limit });
  }

  /** Stores what started and what ended since the last evaluation, and tells the world. */
  evaluate(snap: FloorSnapshot, now = Date.now()): Promise<void> {
    const run = this.chain.then(() => this.evaluateNow(snap, now));
    this.chain = run.catch((err: Error) => this.d.log.warn({ err: err.message }, 'alert evaluation failed'));
    return run;
  }

  private async evaluateNow(snap: FloorSnapshot, now: number): Promise<void> {
    const rules = await this.d.repo.rules();
    const active = await this.d.repo.active();
    if (!rules.length && !active.length) return;
    const byId = new Map(rules.map((r) => [r.id, r]));
    const watchDisk = rules.some((r) => r.enabled && isDiskKind(r.kind));
    const disk = watchDisk ? await this.d.disk() : undefined;
    // A disk that cannot be read right now says nothing: its enabled rules' alerts neither end nor change.
    const blind = (a: AlertView) => watchDisk && !disk && isDiskKind(a.kind) && a.ruleId !== null && !!byId.get(a.ruleId)?.enabled;
    const changes = alertChanges(active.filter((a) => !blind(a)).map(AlertRepository.asActive), firings(rules, snap, now, disk));
    const at = new Date(now);
    for (const f of changes.raise) {
      const alert = await this.d.repo.open(f, at);
      if (alert) await this.announce({ kind: 'raised', alert }, f.rule);
    }
    for (const u of changes.update) await this.d.repo.touch(u.id, u.value, u.peak);
    for (const a of changes.end) {
      const alert = await this.d.repo.close(a.id, at);
      if (alert) await this.announce({ kind: 'ended', alert }, a.ruleId === null ? undefined : byId.get(a.ruleId));
    }
  }

  private async announce(n: AlertNotice, rule: AlertRule | undefined): Promise<void> {
    this.d.log.info({ alertId: n.alert.id, rule: n.alert.ruleName, subject: n.alert.subject, kind: n.kind }, `alert ${n.kind}`);
    await this.d.bus.publish('alerts', n);
    this.d.notifier.send(n, { webhook: rule?.notifyWebhook ?? true, email: rule?.notifyEmail ?? true });
  }
}
