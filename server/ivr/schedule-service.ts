import { AppError, conflict, notFound } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { checkedBody } from '../core/validate.js';
import { scheduleProblems } from './flow-validation.js';
import type { ScheduleRepository } from './schedule-repository.js';
import { ScheduleBody, type NamedSchedule, type Schedule } from './schemas.js';

export interface ScheduleDeps {
  repo: ScheduleRepository;
  /** Who still uses a schedule ("flow main"), so deleting it can be refused by name. */
  usedBy(id: number): Promise<string[]>;
  /** Told after every committed change, so other instances drop their cached copy too. */
  changed?(id: number): Promise<void>;
  log: Logger;
  /** How long a cached schedule may serve calls without a change notice (another instance's edit). */
  cacheMs?: number;
}

export const scheduleNotFound = (id: number) => notFound('schedule-not-found', `no schedule with id ${id}`);
const invalidSchedule = (problems: Array<{ path: string; message: string }>) =>
  new AppError(422, 'invalid-schedule', `the schedule is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);

// Control characters in a name would end up in pages, logs and messages.
const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

/** The plain Schedule the hours check reads: holidays as dates. */
export const asSchedule = (s: ScheduleBody): Schedule => ({ timezone: s.timezone, weekly: s.weekly, holidays: s.holidays.map((h) => h.date) });

/**
 * Named business-hours schedules with holidays. Flows name them in hours steps and read
 * them at call time through `forCall`, from a small cache dropped on every change, so an
 * edit reaches the very next call without a restart.
 */
export class ScheduleService {
  private readonly cache = new Map<number, { schedule: Schedule | undefined; at: number }>();

  constructor(private readonly d: ScheduleDeps) {}

  list(): Promise<NamedSchedule[]> {
    return this.d.repo.list();
  }

  async get(id: number): Promise<NamedSchedule> {
    const s = await this.d.repo.byId(id);
    if (!s) throw scheduleNotFound(id);
    return s;
  }

  async create(input: unknown): Promise<NamedSchedule> {
    const body = this.checked(input);
    if (await this.d.repo.byName(body.name)) throw conflict('schedule-exists', `a schedule named ${body.name} already exists`);
    let id: number;
    try {
      id = await this.d.repo.insert(body);
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw conflict('schedule-exists', `a schedule named ${body.name} already exists`);
      throw err;
    }
    this.d.log.info({ scheduleId: id, name: body.name }, 'schedule created');
    return this.get(id);
  }

  /** Replaces the schedule; flows that name it follow from their next call. */
  async update(id: number, input: unknown, expectedVersion?: number): Promise<NamedSchedule> {
    await this.get(id);
    const body = this.checked(input);
    const other = await this.d.repo.byName(body.name);
    if (other && other.id !== id) throw conflict('schedule-exists', `a schedule named ${body.name} already exists`);
    if (!(await this.d.repo.update(id, body, expectedVersion))) {
      throw conflict('schedule-version-conflict', `schedule ${id} was saved by someone else since version ${expectedVersion}; reload it and try again`);
    }
    await this.dropCached(id);
    this.d.log.info({ scheduleId: id, name: body.name }, 'schedule saved');
    return this.get(id);
  }

  /** Refused while a flow's hours step (or a queue's calling hours) names it. */
  async delete(id: number): Promise<void> {
    const s = await this.get(id);
    const users = await this.d.usedBy(id);
    if (users.length) throw conflict('schedule-in-use', `schedule ${s.name} is still used by ${users.join(', ')}; change those first`);
    await this.d.repo.delete(id);
    await this.dropCached(id);
    this.d.log.info({ scheduleId: id, name: s.name }, 'schedule deleted');
  }

  /** The schedule as calls read it; undefined when there is none. A read failure serves the last copy. */
  async forCall(id: number): Promise<Schedule | undefined> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < (this.d.cacheMs ?? 5000)) return hit.schedule;
    try {
      const s = await this.d.repo.byId(id);
      const schedule = s && asSchedule(s);
      this.cache.set(id, { schedule, at: Date.now() });
      return schedule;
    } catch (err) {
      if (!hit) throw err;
      this.d.log.warn({ scheduleId: id, err: (err as Error).message }, 'schedule not re-read, serving the last copy');
      return hit.schedule;
    }
  }

  /** Another instance changed a schedule: read it again at the next call. */
  forget(id: number): void {
    this.cache.delete(id);
  }

  private async dropCached(id: number): Promise<void> {
    this.forget(id);
    await this.d.changed?.(id).catch((err: Error) => this.d.log.warn({ scheduleId: id, err: err.message }, 'schedule change not announced'));
  }

  /** Shape first (every problem at once), then meaning: a real time zone, ranges that end after they start, real dates. */
  private checked(input: unknown): ScheduleBody {
    const trimmed = isObject(input) && typeof input.name === 'string' ? { ...input, name: input.name.trim() } : input;
    const body = checkedBody(ScheduleBody, trimmed);
    const problems = scheduleProblems(asSchedule(body)).map((message) => ({ path: '/', message }));
    if (!body.name || hasControl(body.name)) problems.unshift({ path: '/name', message: 'must be a name of printable characters' });
    const dates = body.holidays.map((h) => h.date);
    const twice = dates.find((d, i) => dates.indexOf(d) !== i);
    if (twice) problems.push({ path: '/holidays', message: `lists ${twice} twice` });
    if (problems.length) throw invalidSchedule(problems);
    return body;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
