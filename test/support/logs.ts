// What Asterisk and the server wrote while a test ran. Asterisk's messages.log carries
// verbose 3 (logger.conf.hbs), so every file it plays ("Playing 'beep.gsm'"), every music
// on hold start and stop, and every missing sound ("does not exist in any format") shows
// there: the proof that a prompt really played, or did not.
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import type { Config } from '../../server/core/config.js';
import { asteriskHostPath } from '../../server/core/config.js';

export interface LogWindow {
  /** Lines Asterisk logged since the window opened. */
  lines(): string[];
}

/** Opens a window on Asterisk's messages.log at its current end. */
export function asteriskLog(config: Config): LogWindow {
  const file = asteriskHostPath(config, '/var/log/asterisk/messages.log');
  const start = statSync(file).size;
  return {
    lines() {
      const size = statSync(file).size;
      // Rotated under us: read from the top of the new file.
      const from = size < start ? 0 : start;
      const buf = Buffer.alloc(size - from);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, buf, 0, buf.length, from);
      } finally {
        closeSync(fd);
      }
      return buf.toString('utf8').split('\n').filter(Boolean);
    },
  };
}

/** Files Asterisk played (on one channel, if named), in order, e.g. ['queue-youarenext.gsm', 'digits/3.gsm']. */
export const played = (lines: string[], channel?: string) => lines
  .filter((l) => !channel || l.includes(`<${channel}> Playing`))
  .map((l) => /Playing '([^']+)'/.exec(l)?.[1])
  .filter((f): f is string => !!f);

/** The carrier channel of a caller, from the dialplan's "cc inbound <caller> to <did>" line. */
export const callerChannel = (lines: string[], caller: string) =>
  lines.map((l) => new RegExp(`NoOp\\("(PJSIP/carrier-[0-9a-f]+)", "cc inbound ${caller} to `).exec(l)?.[1]).find(Boolean);

/** Sounds Asterisk looked for and could not find. */
export const missingSounds = (lines: string[]) => lines.filter((l) => /does not exist in any format|Unable to open/.test(l));

/** Server log records (pino JSON lines) at error level or worse, and anything Node printed about an uncaught error. */
export function serverErrors(log: string): string[] {
  return log.split('\n').filter((l) => {
    try {
      return ((JSON.parse(l) as { level?: number }).level ?? 0) >= 50;
    } catch {
      return /\b\w*Error\b|Unhandled|uncaught/i.test(l);
    }
  });
}
