import { Value } from '@sinclair/typebox/value';
import { withDefaults } from '../core/validate.js';
import type { Logger } from '../core/logger.js';
import { dayKey } from './kpi/index.js';
import { localStamp } from './local-time.js';
import { lastCompletePeriod, parseDay, type Period } from './period.js';
import { invalidSchedule, scheduleNotFound } from './errors.js';
import type { ScheduleRepository } from './schedule-repository.js';
import { ScheduleBody, type Schedule } from './schemas.js';

export interface ScheduleServiceDeps {
  repo: ScheduleRepository;
  timeZone: string;
  log: Logger;
}

/**
 * The period a schedule owes at `now`, or undefined. It owes the last complete period from
 * its send time on the first day after that period (today, Monday, the 1st), and on any
 * later day until it is sent: a server that was down at the send time catches up.
 */
export function duePeriod(s: Schedule, timeZone: string, now: number): Period | undefined {
  if (!s.enabled) return undefined;
  const period = lastCompletePeriod(s.period, timeZone, now);
  if (s.lastPeriod === period.key) return undefined;
  const firstDay = new Date(parseDay(period.to).getTime() + 86400000).toISOString().slice(0, 10);
  const today = dayKey(timeZone, now);
  if (today > firstDay) return period;
  return localStamp(timeZone, now).slice(11) >= s.sendTime ? period : undefined;
}

/** Report schedules: admins edit them; the runner asks which are due. */
export class ScheduleService {
  constructor(private readonly d: ScheduleServiceDeps) {}

  list(): Promise<Schedule[]> {
    return this.d.repo.list();
  }

  async get(id: number): Promise<Schedule> {
    const s = await this.d.repo.get(id);
    if (!s) throw scheduleNotFound(id);
    return s;
  }

  /** A new schedule starts with the next period: the one complete now counts as sent. */
  async create(input: unknown, now = Date.now()): Promise<Schedule> {
    const body = this.checked(input);
    const id = await this.d.repo.insert(body, lastCompletePeriod(body.period, this.d.timeZone, now).key);
    this.d.log.info({ scheduleId: id, period: body.period }, 'report schedule created');
    return this.get(id);
  }

  async update(id: number, input: unknown): Promise<Schedule> {
    if (!(await this.d.repo.update(id, this.checked(input)))) throw scheduleNotFound(id);
    this.d.log.info({ scheduleId: id }, 'report schedule updated');
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    if (!(await this.d.repo.delete(id))) throw scheduleNotFound(id);
    this.d.log.info({ scheduleId: id }, 'report schedule deleted');
  }

  async due(now: number): Promise<Array<{ schedule: Schedule; period: Period }>> {
    return (await this.d.repo.list()).flatMap((schedule) => {
      const period = duePeriod(schedule, this.d.timeZone, now);
      return period ? [{ schedule, period }] : [];
    });
  }

  markSent(s: Schedule, period: Period, at: Date): Promise<boolean> {
    return this.d.repo.markSent(s.id, s.lastPeriod, period.key, at);
  }

  markFailed(s: Schedule, error: string): Promise<void> {
    return this.d.repo.markFailed(s.id, error);
  }

  private checked(input: unknown): ScheduleBody {
    const defaulted = withDefaults(ScheduleBody, input ?? {});
    const problems = [...Value.Errors(ScheduleBody, defaulted)].map((e) => ({ path: e.path, message: e.message }));
    if (problems.length) throw invalidSchedule(`${problems[0]?.path || '/'} ${problems[0]?.message}`, { problems });
    const body = defaulted as ScheduleBody;
    if (!body.name.trim()) throw invalidSchedule('/name must not be blank');
    return { ...body, name: body.name.trim(), recipients: [...new Set(body.recipients.map((r) => r.trim().toLowerCase()))] };
  }
}
