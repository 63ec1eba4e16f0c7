import type { SnoopDirection } from '../telephony/index.js';

export const MONITOR_MODES = ['listen', 'whisper', 'barge'] as const;
export type MonitorMode = (typeof MONITOR_MODES)[number];

/** Where the supervisor's leg sits: its own small monitor bridge (with a snoop) or the call's bridge. */
export type SupervisorBridge = 'monitor' | 'call';

/**
 * One step of setting up or changing a monitoring. `snoop` creates a new snoop on the
 * agent's leg and puts it in the monitor bridge; `drop-old-snoop` hangs up the one that
 * was there before. Snoops cannot be changed in place (ARI has no operation for it).
 */
export type MonitorStep =
  | { op: 'snoop'; spy: SnoopDirection; whisper: SnoopDirection }
  | { op: 'move-supervisor'; from: SupervisorBridge | null; to: SupervisorBridge }
  | { op: 'drop-old-snoop' };

/**
 * The snoop a mode needs on the agent's leg. spy=both: the supervisor hears what the
 * agent hears and what the agent says (caller and agent). whisper=out: what the
 * supervisor says goes only towards the agent's phone. Barge needs no snoop.
 */
export function snoopFor(mode: MonitorMode): { spy: SnoopDirection; whisper: SnoopDirection } | undefined {
  if (mode === 'listen') return { spy: 'both', whisper: 'none' };
  if (mode === 'whisper') return { spy: 'both', whisper: 'out' };
  return undefined;
}

export const bridgeFor = (mode: MonitorMode): SupervisorBridge => (mode === 'barge' ? 'call' : 'monitor');

/**
 * Steps from the media set up for `from` (null: the supervisor has just answered, nothing
 * set up yet) to `to`, ordered so the supervisor hears as short a gap as possible: the new
 * path is made before the old one is taken down.
 */
export function planSwitch(from: MonitorMode | null, to: MonitorMode): MonitorStep[] {
  if (from === to) return [];
  const steps: MonitorStep[] = [];
  const snoop = snoopFor(to);
  if (snoop) steps.push({ op: 'snoop', ...snoop });
  const fromBridge = from === null ? null : bridgeFor(from);
  if (fromBridge !== bridgeFor(to)) steps.push({ op: 'move-supervisor', from: fromBridge, to: bridgeFor(to) });
  if (from !== null && snoopFor(from)) steps.push({ op: 'drop-old-snoop' });
  return steps;
}
