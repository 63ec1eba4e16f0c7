// One CDR leg, from either source (AMI event or the cdr_custom journal), in one shape.

export interface CdrRecord {
  uniqueid: string;
  sequence: number;
  linkedid: string;
  accountcode: string;
  src: string;
  dst: string;
  dcontext: string;
  clid: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  lastdata: string;
  /** Asterisk's local time, 'YYYY-MM-DD HH:MM:SS', or null when empty (never answered). */
  start: string | null;
  answer: string | null;
  end: string | null;
  duration: number;
  billsec: number;
  disposition: string;
  amaflags: string;
  userfield: string;
}

// Column order of the journal line written by asterisk/cdr_custom.conf.hbs.
export const JOURNAL_COLUMNS = [
  'uniqueid', 'sequence', 'linkedid', 'accountcode', 'src', 'dst', 'dcontext', 'clid', 'channel', 'dstchannel',
  'lastapp', 'lastdata', 'start', 'answer', 'end', 'duration', 'billsec', 'disposition', 'amaflags', 'userfield',
] as const;

const time = (v: string | undefined): string | null => (v && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(v) ? v.slice(0, 19) : null);
const int = (v: string | undefined): number => (v && /^-?\d+$/.test(v.trim()) ? Number(v) : 0);

/** Splits one CSV line as CSV_QUOTE writes it: fields in double quotes, quotes doubled. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') break;
        else value += line[i++];
      }
      out.push(value);
      i += 2; // closing quote and comma
    } else {
      const next = line.indexOf(',', i);
      const end = next === -1 ? line.length : next;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** A journal line, or undefined when it is not a complete record (a torn last line). */
export function fromJournalLine(line: string): CdrRecord | undefined {
  const cols = parseCsvLine(line.trim());
  if (cols.length !== JOURNAL_COLUMNS.length) return undefined;
  const f = Object.fromEntries(JOURNAL_COLUMNS.map((name, i) => [name, cols[i] ?? '']));
  return normalise(f);
}

/** The AMI 'Cdr' event (keys lower-cased by the client) in the same shape. */
export function fromAmiEvent(e: Record<string, string>): CdrRecord | undefined {
  return normalise({
    uniqueid: e.uniqueid, sequence: e.sequence, linkedid: e.linkedid, accountcode: e.accountcode,
    src: e.source, dst: e.destination, dcontext: e.destinationcontext, clid: e.callerid,
    channel: e.channel, dstchannel: e.destinationchannel, lastapp: e.lastapplication, lastdata: e.lastdata,
    start: e.starttime, answer: e.answertime, end: e.endtime, duration: e.duration, billsec: e.billableseconds,
    disposition: e.disposition, amaflags: e.amaflags, userfield: e.userfield,
  });
}

function normalise(f: Record<string, string | undefined>): CdrRecord | undefined {
  if (!f.uniqueid || !/^\d+$/.test(f.sequence ?? '')) return undefined;
  return {
    uniqueid: f.uniqueid, sequence: Number(f.sequence), linkedid: f.linkedid || f.uniqueid,
    accountcode: f.accountcode ?? '', src: f.src ?? '', dst: f.dst ?? '', dcontext: f.dcontext ?? '', clid: f.clid ?? '',
    channel: f.channel ?? '', dstchannel: f.dstchannel ?? '', lastapp: f.lastapp ?? '', lastdata: (f.lastdata ?? '').slice(0, 255),
    start: time(f.start), answer: time(f.answer), end: time(f.end), duration: int(f.duration), billsec: int(f.billsec),
    disposition: f.disposition ?? '', amaflags: f.amaflags ?? '', userfield: f.userfield ?? '',
  };
}
