import { badRequest } from '../core/errors.js';
import type { AgentRepository } from './agent-repository.js';
import type { PauseReasonService } from './pause-reason-service.js';
import type { StateLog } from './state-log.js';
import type { HandledCallsQuery, StateLogRepository } from './state-log-repository.js';
import { agentNotFound } from './errors.js';
import { agentDay, dayBounds, stateTotals } from './day-stats.js';
import type { AgentDay } from './schemas.js';

/** The agent's own day: calls handled, average handle time, time in each state and pause reason. */
export class DayService {
  constructor(private readonly d: {
    repo: AgentRepository; stateLog: StateLog; logRepo: StateLogRepository; calls: HandledCallsQuery; reasons: PauseReasonService; timezone: string; now?: () => Date;
  }) {}

  async day(agentId: number, date: string): Promise<AgentDay> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw badRequest('invalid-date', `"${date}" is not a date (YYYY-MM-DD)`);
    if (!(await this.d.repo.get(agentId))) throw agentNotFound(agentId);
    await this.d.stateLog.settled(agentId);
    const { start, end } = dayBounds(date, this.d.timezone);
    // Today counts up to now, not to midnight; a future day is all zeros.
    const until = new Date(Math.max(start.getTime(), Math.min(end.getTime(), (this.d.now?.() ?? new Date()).getTime())));
    const [{ before, entries }, handled, reasons] = await Promise.all([
      this.d.logRepo.between(agentId, start, until),
      this.d.calls.handled(agentId, start, end),
      this.d.reasons.list(),
    ]);
    // Paid or unpaid by today's setting of each reason: the log keeps the reason's name only.
    const paid = new Set(reasons.filter((r) => r.paid).map((r) => r.name));
    return agentDay({
      agentId, date, timezone: this.d.timezone, totals: stateTotals(before, entries, start, until),
      calls: handled.calls, talkMs: handled.talkMs, paid: (r) => paid.has(r),
    });
  }
}
