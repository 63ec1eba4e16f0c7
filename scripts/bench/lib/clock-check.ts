// Checks, on this machine and now, that sipp's log timestamps and this process's wallNow()
// read the same clock: datagrams sent from here to an idle sipp must be logged a fraction
// of a millisecond later, never earlier. The benchmarks print the result with their table.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sipp, workDir } from './sipp-bench.js';
import { parseSippLog } from './sipp-log.js';
import { sleep, summarize, wallNow, type Summary } from './stats.js';

export async function clockCheck(port: number, probes = 20): Promise<Summary | undefined> {
  const log = join(workDir, `clock-${port}.log`);
  const uas = sipp(['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-trace_msg', '-message_file', log]);
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
  const local = sock.address().port;
  const sent = new Map<string, number>();
  try {
    await sleep(500);
    for (let i = 0; i < probes; i++) {
      await sleep(20 + Math.random() * 80);
      const callId = `clock-${i}-${local}`;
      const msg = [
        `INVITE sip:probe@127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-clock-${i}`,
        `From: <sip:clock@127.0.0.1>;tag=c${i}`, `To: <sip:probe@127.0.0.1>`, `Call-ID: ${callId}`, 'CSeq: 1 INVITE',
        `Contact: <sip:clock@127.0.0.1:${local}>`, 'Max-Forwards: 70', 'Content-Length: 0', '', '',
      ].join('\r\n');
      const at = wallNow();
      sock.send(msg, port, '127.0.0.1');
      sent.set(callId, at);
    }
    await sleep(500);
  } finally {
    sock.close();
    uas.proc.kill();
    await uas.done;
  }
  const diffs = parseSippLog(readFileSync(log, 'utf8'))
    .filter((e) => e.dir === 'received' && e.what === 'INVITE' && sent.has(e.callId))
    .map((e) => e.at - (sent.get(e.callId) as number));
  return summarize(diffs);
}
