// Reads sipp's -trace_msg logs. Each entry starts with a line of dashes and the local
// wall-clock time (microseconds) sipp took with gettimeofday just after sending or
// receiving the message, then "UDP message sent ..." or "UDP message received ...",
// a blank line and the message itself.
import { closeSync, openSync, readSync, fstatSync, existsSync } from 'node:fs';

export interface SipEntry {
  /** Milliseconds since the epoch, with the microseconds sipp wrote as a fraction. */
  at: number;
  dir: 'sent' | 'received';
  /** The request method, or the response status as text ('200'). */
  what: string;
  callId: string;
  cseqMethod: string;
  /** The user part of the From header (the caller's number on our calls). */
  fromUser: string;
}

const ENTRY = /^-{20,} (\d{4}-\d\d-\d\d)\s+(\d\d:\d\d:\d\d)\.(\d{1,6})\n\S+ message (sent|received)[^\n]*\n\n([^\n]*)\n([\s\S]*?)(?=^-{20,} \d{4}-|(?![\s\S]))/gm;

/** Wall-clock milliseconds of a sipp timestamp (local time, as sipp prints it). */
function wallMs(date: string, hms: string, frac: string): number {
  return new Date(`${date}T${hms}`).getTime() + Number(frac.padEnd(6, '0')) / 1000;
}

function header(block: string, name: string): string {
  const m = new RegExp(`^${name}:\\s*([^\\r\\n]*)`, 'im').exec(block);
  return m?.[1]?.trim() ?? '';
}

export function parseSippLog(text: string): SipEntry[] {
  const out: SipEntry[] = [];
  for (const m of text.matchAll(ENTRY)) {
    const [, date, hms, frac, dir, first, rest] = m as unknown as string[];
    const line = first as string;
    const what = line.startsWith('SIP/2.0 ') ? line.split(' ')[1] ?? '' : line.split(' ')[0] ?? '';
    const block = rest as string;
    out.push({
      at: wallMs(date as string, hms as string, frac as string),
      dir: dir as 'sent' | 'received',
      what,
      callId: header(block, 'Call-ID'),
      cseqMethod: header(block, 'CSeq').split(/\s+/)[1] ?? '',
      fromUser: /sip:([^@;>]+)@/.exec(header(block, 'From'))?.[1] ?? '',
    });
  }
  return out;
}

/** Reads a growing log from where the last read stopped; only whole entries are returned. */
export class LogTail {
  private offset = 0;
  private pending = '';

  constructor(private readonly file: string) {}

  /** Skips what is in the file now. */
  skipToEnd(): void {
    this.read();
    this.pending = '';
  }

  /**
   * New entries since the last call. The last entry in the file may be cut mid-write, so
   * it is kept back until another entry follows it, unless `all` (the writer has exited).
   */
  entries(all = false): SipEntry[] {
    this.pending += this.read();
    const cut = all ? this.pending.length : this.pending.search(/^-{20,} \d{4}-[^\n]*\n(?![\s\S]*^-{20,} \d{4}-)/m);
    if (cut <= 0) return [];
    const whole = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return parseSippLog(whole);
  }

  private read(): string {
    if (!existsSync(this.file)) return '';
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return '';
      const buf = Buffer.alloc(size - this.offset);
      readSync(fd, buf, 0, buf.length, this.offset);
      this.offset = size;
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
}
