import type { CustomerCard, Disposition, HistoryEntry, ScreenPopCard } from './schemas.js';

/** What the card needs to know of the call, from the live call or, once it is over, its row. */
export interface CallFacts {
  interactionId: string;
  direction: string;
  callerNumber: string;
  callerName: string | null;
  did: string | null;
  queue: string | null;
  enteredAt: string;
  queuedAt: string | null;
  ivrPath: unknown;
  attrs: unknown;
}

/** Where the card finds the customer and their earlier interactions (the CRM room). */
export interface CustomerSource {
  find(number: string, o: { excludeId: string; limit: number }): Promise<{ customer?: CustomerCard; history: HistoryEntry[] }>;
  /** Throws the CRM's not-found when there is no such customer. */
  get(customerId: number): Promise<unknown>;
  /** Files the interaction under the customer, so its history follows them across numbers. */
  link(interactionId: string, customerId: number): Promise<void>;
  /** Adds the caller's number to the customer (refused when it is no number). */
  addNumber(customerId: number, number: string): Promise<void>;
}

const HIDDEN_ATTRS = new Set(['priority']);

function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The IVR path as the agent reads it: which step, what was pressed, what it decided. */
export function ivrSteps(raw: unknown): ScreenPopCard['ivrPath'] {
  const list = parsed(raw);
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && typeof (e as { step?: unknown }).step === 'string')
    .map((e) => ({
      flow: String(e.flow ?? ''),
      step: String(e.step),
      ...(typeof e.input === 'string' ? { input: e.input } : {}),
      ...(typeof e.result === 'string' ? { result: e.result } : {}),
    }));
}

/** Call attributes as strings; routing internals are not the agent's business. */
export function attributes(raw: unknown): Record<string, string> {
  const obj = parsed(raw);
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (!HIDDEN_ATTRS.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k] = String(v);
  }
  return out;
}

export function assembleCard(call: CallFacts, extra: { customer?: CustomerCard; history: HistoryEntry[]; dispositions: Disposition[] }): ScreenPopCard {
  return {
    interactionId: call.interactionId,
    direction: call.direction,
    callerNumber: call.callerNumber,
    callerName: call.callerName || null,
    did: call.did || null,
    queue: call.queue || null,
    enteredAt: call.enteredAt,
    queuedAt: call.queuedAt || null,
    ivrPath: ivrSteps(call.ivrPath),
    attributes: attributes(call.attrs),
    customer: extra.customer ?? null,
    history: extra.history,
    dispositions: extra.dispositions,
  };
}
