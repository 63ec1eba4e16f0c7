import { Type } from '@sinclair/typebox';
import { AgentStateName } from '../agents/schemas.js';

// The floor snapshot (floor-snapshot.ts) as the API documents it.

const Ratio = Type.Union([Type.Number(), Type.Null()], { description: '0..1; null when there is nothing to divide by' });
const Standing = Type.Union(['good', 'warn', 'bad', 'none'].map((s) => Type.Literal(s)));
const count = (description: string) => Type.Integer({ description });

export const QueueKpisSchema = Type.Object({
  offered: count('calls that entered the queue today'),
  answered: count('offered calls connected to an agent'),
  abandoned: count('offered calls where the caller hung up while waiting (short abandons included)'),
  shortAbandoned: count('abandoned with a wait under shortAbandonSec'),
  timedOut: count('left the queue by a rule (overflow, diversion)'),
  callbacks: count('left the queue keeping their place for a callback'),
  exitedWithKey: count('left for voicemail with the exit key'),
  answeredWithinSl: count('answered within serviceLevelSec'),
  answeredWaitMs: Type.Number(),
  maxWaitMs: Type.Number(),
  serviceLevel: Ratio,
  serviceLevelInclusive: Ratio,
  abandonRate: Ratio,
  asaSec: Type.Union([Type.Number(), Type.Null()]),
  maxWaitSec: Type.Number(),
});

export const QueueBoardSchema = Type.Object({
  name: Type.String(),
  thresholds: Type.Object({
    serviceLevelSec: Type.Integer(), serviceLevelTargetPct: Type.Integer(), shortAbandonSec: Type.Integer(), abandonTargetPct: Type.Integer(),
  }),
  waiting: count('callers in line now (waiting, being offered, in the callback dialog)'),
  oldestQueuedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  longestWaitSec: Type.Union([Type.Number(), Type.Null()]),
  today: QueueKpisSchema,
  standing: Type.Object({ serviceLevel: Standing, abandonRate: Standing, longestWait: Standing }),
  agents: Type.Object({
    ready: Type.Integer(), ringing: Type.Integer(), on_call: Type.Integer(), wrap_up: Type.Integer(), paused: Type.Integer(), logged_out: Type.Integer(),
  }),
});

export const AgentBoardSchema = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  name: Type.String(),
  extension: Type.String(),
  state: AgentStateName,
  since: Type.String({ description: 'when the agent entered its state' }),
  pauseReason: Type.Union([Type.String(), Type.Null()]),
  registered: Type.Boolean(),
  queues: Type.Array(Type.String(), { description: 'queues the agent takes calls from' }),
  call: Type.Union([Type.Object({
    interactionId: Type.String(),
    callerNumber: Type.String(),
    queue: Type.String(),
    state: Type.String({ description: 'offering (ringing) or connected' }),
    since: Type.Union([Type.String(), Type.Null()], { description: 'answered at, for a connected call' }),
  }), Type.Null()]),
});

export const FloorSnapshotSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  day: Type.String({ description: 'today (YYYY-MM-DD) in the contact center time zone' }),
  timeZone: Type.String(),
  queues: Type.Array(QueueBoardSchema),
  agents: Type.Array(AgentBoardSchema),
});
