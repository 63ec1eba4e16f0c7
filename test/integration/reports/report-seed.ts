// A day of queue calls written straight into call_events, for the report tests: the
// figures below are counted by hand from these rows (KPIS.md), so they hold for any
// engine that follows the definitions. The contact center is in Asia/Shanghai (UTC+8).
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';

export const TZ = 'Asia/Shanghai';
export const DAY = '2026-03-10';
export const QUEUE = 'rpq';

/** Local time in Shanghai on DAY (or another day) to an ISO instant. */
const local = (hms: string, day = DAY) => new Date(`${day}T${hms}+08:00`);

interface Call {
  enter: Date;
  outcome: 'connect' | 'abandon';
  waitMs: number;
  agent?: boolean;
}

// 09:05 answered after 10 s and 09:20 after 30 s (one within T = 20 s); 10:00 abandoned
// after 3 s (a short abandon) and 10:30 after 40 s; 23:59:50 answered after 15 s, just past
// midnight (still this day's call); the evening before, one call that is not this day's.
const CALLS: Call[] = [
  { enter: local('09:05:00'), outcome: 'connect', waitMs: 10000, agent: true },
  { enter: local('09:20:00'), outcome: 'connect', waitMs: 30000, agent: true },
  { enter: local('10:00:00'), outcome: 'abandon', waitMs: 3000 },
  { enter: local('10:30:00'), outcome: 'abandon', waitMs: 40000 },
  { enter: local('23:59:50'), outcome: 'connect', waitMs: 15000, agent: true },
  { enter: local('23:59:00', '2026-03-09'), outcome: 'connect', waitMs: 5000, agent: true },
];

/** What the totals line must say for DAY. */
export const EXPECTED = { offered: 5, answered: 3, abandoned: 2, shortAbandoned: 1, serviceLevelPct: '66.7', inclusivePct: '50.0', abandonRatePct: '25.0', asaSec: '18.3' };

export async function seedDay(app: FastifyInstance): Promise<{ agentId: number }> {
  await app.queues.create({ name: QUEUE, skill: QUEUE, strategy: 'longest_idle', priority: {} });
  const agentId = (await app.agents.listWithDevices())[0]?.id ?? 1;
  const rows = CALLS.flatMap((c) => {
    const id = randomUUID();
    const settled = new Date(c.enter.getTime() + c.waitMs);
    return [
      { interaction_id: id, seq: 1, type: 'enter-queue', at: c.enter, queue: QUEUE, agent_id: null, data: null },
      { interaction_id: id, seq: 2, type: c.outcome, at: settled, queue: QUEUE, agent_id: c.agent ? agentId : null, data: JSON.stringify({ waitMs: c.waitMs }) },
    ];
  });
  await app.db('call_events').insert(rows);
  return { agentId };
}
