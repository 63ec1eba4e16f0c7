import { badRequest } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { AgentLines } from './agent-lines.js';
import { CallLines } from './call-lines.js';
import { formatLine, NONE, type QueueLogLine } from './queue-log-lines.js';
import type { QueueLogRepository } from './queue-log-repository.js';

/** Longer than this is refused: a year already streams hundreds of millions of lines. */
export const MAX_RANGE_DAYS = 366;
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

const invalidRange = (message: string) => badRequest('invalid-range', message);

/** The period [from, to) of an export, refused when it is not one a person could mean. */
export function exportRange(from: string, to: string, now = Date.now()): { from: Date; to: Date } {
  const f = Date.parse(from);
  const t = Date.parse(to);
  if (Number.isNaN(f) || Number.isNaN(t)) throw invalidRange('from and to must be ISO dates and times with a time zone');
  if (t <= f) throw invalidRange(`to (${to}) must be after from (${from})`);
  if (f < EARLIEST || f > now + 86_400_000) throw invalidRange('from must lie between 2000 and today');
  if (t - f > MAX_RANGE_DAYS * 86_400_000) throw invalidRange(`a range may span at most ${MAX_RANGE_DAYS} days; export longer periods in parts`);
  return { from: new Date(f), to: new Date(t) };
}

/** Two time-ordered streams as one, the earlier line first (call lines first on a tie). */
async function* merge(a: AsyncIterator<QueueLogLine[]>, b: AsyncIterator<QueueLogLine[]>): AsyncGenerator<QueueLogLine> {
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    const takeA = !x.done && (y.done || (x.value[0]?.at ?? 0) <= (y.value[0]?.at ?? 0));
    const cur = takeA ? x : y;
    yield* cur.value as QueueLogLine[];
    if (takeA) x = await a.next();
    else y = await b.next();
  }
}

/** Each source item mapped to its lines (possibly none), keeping the item's time for the merge. */
async function* mapped<T extends { at: number }>(items: AsyncIterable<T>, map: (item: T) => QueueLogLine[]): AsyncGenerator<QueueLogLine[]> {
  for await (const item of items) {
    const lines = map(item);
    if (lines.length) yield lines;
  }
}

/**
 * The queue_log export: our call events and agent state changes as the lines app_queue
 * writes, oldest first, produced while MariaDB streams the rows.
 */
export class QueueLogExport {
  constructor(private readonly d: { repo: QueueLogRepository; log: Logger }) {}

  /** `showNumber` writes the caller id as the reader may see it (masked for some roles, docs/privacy.md). */
  async *lines(range: { from: Date; to: Date }, showNumber: (n: string) => string = (n) => n): AsyncGenerator<string> {
    const numbers = await this.d.repo.agentNumbers();
    // The agent number, not the phone: an agent logs in on any desk phone (hot-desking).
    const agentName = (id: number | null | undefined) => (id ? `Agent/${numbers.get(id) ?? id}` : NONE);
    const calls = new CallLines(agentName);
    // Calls already queued at the start: their entry is read (not written) for wait and talk times.
    for (const e of await this.d.repo.openCallEvents(range.from)) calls.lines(e);
    const agents = new AgentLines(agentName, await this.d.repo.agentsAt(range.from));
    const callLines = mapped(this.d.repo.callEvents(range.from, range.to), (e) => calls.lines(e.callerNumber ? { ...e, callerNumber: showNumber(e.callerNumber) } : e));
    const agentLines = mapped(this.d.repo.stateChanges(range.from, range.to), (c) => agents.lines(c));
    let count = 0;
    for await (const line of merge(callLines, agentLines)) {
      count++;
      yield formatLine(line);
    }
    this.d.log.info({ from: range.from, to: range.to, lines: count }, 'queue_log exported');
  }
}
