import type { FloorSnapshot } from '../wallboard/index.js';
import { isDiskKind, type AlertKind, type AlertRule } from './schemas.js';

/** A rule whose condition holds for one subject right now. */
export interface Firing {
  rule: AlertRule;
  subject: string;
  label: string;
  value: number;
}

/** The recordings disk as fs.statfs saw it, for the disk rules. */
export interface DiskReading {
  path: string;
  freeBytes: number;
  totalBytes: number;
}

/** For service levels and free disk space a lower value is worse; for every other kind a higher one. */
export const lowerIsWorse = (kind: AlertKind) => kind === 'service_level_under' || isDiskKind(kind);
export const worse = (kind: AlertKind, a: number, b: number) => (lowerIsWorse(kind) ? Math.min(a, b) : Math.max(a, b));

function queueFirings(rule: AlertRule, snap: FloorSnapshot, now: number): Firing[] {
  const out: Firing[] = [];
  for (const q of snap.queues) {
    if (rule.queue !== null && rule.queue !== q.name) continue;
    const at = (value: number | null, holds: (v: number) => boolean) => {
      if (value !== null && holds(value)) out.push({ rule, subject: `queue:${q.name}`, label: q.name, value });
    };
    if (rule.kind === 'waiting_over') at(q.waiting, (v) => v > rule.threshold);
    if (rule.kind === 'longest_wait_over') at(q.oldestQueuedAt ? Math.max(0, Math.round((now - Date.parse(q.oldestQueuedAt)) / 1000)) : null, (v) => v > rule.threshold);
    // Inclusive service level (KPIS.md): abandons count against it, short abandons do not.
    if (rule.kind === 'service_level_under') {
      const sl = q.today.serviceLevelInclusive;
      at(sl === null ? null : Math.round(sl * 1000) / 10, (v) => v < rule.threshold);
    }
  }
  return out;
}

function agentFirings(rule: AlertRule, snap: FloorSnapshot, now: number): Firing[] {
  const out: Firing[] = [];
  for (const a of snap.agents) {
    if (rule.queue !== null && !a.queues.includes(rule.queue)) continue;
    const fire = (value: number) => out.push({ rule, subject: `agent:${a.id}`, label: `${a.number} ${a.name}`, value });
    if (rule.kind === 'agent_paused_over' && a.state === 'paused') {
      const minutes = Math.floor((now - Date.parse(a.since)) / 6000) / 10;
      if (minutes > rule.threshold) fire(minutes);
    }
    if (rule.kind === 'phone_unregistered' && a.state !== 'logged_out' && !a.registered) fire(1);
  }
  return out;
}

/** Free space in percent (one decimal) or GB (two decimals), below the threshold. */
function diskFirings(rule: AlertRule, disk: DiskReading | undefined): Firing[] {
  if (!disk || disk.totalBytes <= 0) return [];
  const value = rule.kind === 'recordings_disk_pct_under'
    ? Math.round((disk.freeBytes / disk.totalBytes) * 1000) / 10
    : Math.round(disk.freeBytes / 1e7) / 100;
  return value < rule.threshold ? [{ rule, subject: 'disk:recordings', label: disk.path, value }] : [];
}

/** Every (rule, subject) whose condition holds in this snapshot (and disk reading, for disk rules). */
export function firings(rules: AlertRule[], snap: FloorSnapshot, now: number, disk?: DiskReading): Firing[] {
  return rules.filter((r) => r.enabled).flatMap((r) => {
    if (isDiskKind(r.kind)) return diskFirings(r, disk);
    return r.kind === 'agent_paused_over' || r.kind === 'phone_unregistered' ? agentFirings(r, snap, now) : queueFirings(r, snap, now);
  });
}

export interface ActiveAlert {
  id: number;
  ruleId: number | null;
  kind: AlertKind;
  subject: string;
  peakValue: number;
}

export interface AlertChanges {
  raise: Firing[];
  /** Still active: the latest value, and the peak when it got worse. */
  update: Array<{ id: number; value: number; peak: number }>;
  end: ActiveAlert[];
}

/** What to store after an evaluation: episodes that start, go on, and end. Pure. */
export function alertChanges(active: ActiveAlert[], now: Firing[]): AlertChanges {
  const key = (ruleId: number | null, subject: string) => `${ruleId}|${subject}`;
  const current = new Map(now.map((f) => [key(f.rule.id, f.subject), f]));
  const open = new Map(active.map((a) => [key(a.ruleId, a.subject), a]));
  return {
    raise: now.filter((f) => !open.has(key(f.rule.id, f.subject))),
    update: active.flatMap((a) => {
      const f = current.get(key(a.ruleId, a.subject));
      return f ? [{ id: a.id, value: f.value, peak: worse(a.kind, a.peakValue, f.value) }] : [];
    }),
    end: active.filter((a) => !current.has(key(a.ruleId, a.subject))),
  };
}
