// The queue_log line format of Asterisk's app_queue (docs.asterisk.org, Operation > Logging >
// Queue Logs): `epoch|callid|queuename|agent|event|data1|data2|...`, one line per event.

export interface QueueLogLine {
  /** Epoch milliseconds; written as whole seconds like app_queue does. */
  at: number;
  /** Our interaction id, or NONE for agent lines. */
  callid: string;
  /** The queue's name, or NONE for agent lines (our log-in and pauses are not per queue). */
  queue: string;
  /** `Agent/<agent number>`, or NONE. */
  agent: string;
  event: string;
  data: Array<string | number | undefined>;
}

export const NONE = 'NONE';

/**
 * A field never carries the separator or a line break: a caller id (the only text that comes
 * from outside) could otherwise split one line into two or shift every field after it.
 */
function field(v: string | number | undefined): string {
  if (v === undefined) return '';
  return String(v).replace(/[|\r\n]/g, '_');
}

export function formatLine(l: QueueLogLine): string {
  return `${[Math.floor(l.at / 1000), l.callid, l.queue, l.agent, l.event, ...l.data].map(field).join('|')}\n`;
}

/** Whole seconds, as app_queue counts wait, talk and ring times. */
export const seconds = (ms: number | undefined): number | undefined => (ms === undefined || !Number.isFinite(ms) ? undefined : Math.max(0, Math.round(ms / 1000)));
