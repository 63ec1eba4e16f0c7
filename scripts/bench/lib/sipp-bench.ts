// sipp for the telephony benchmarks: desk phones that ring or answer, and callers from
// the carrier's address. Every sipp here writes its SIP messages with -trace_msg; each
// entry carries the wall-clock time sipp read (gettimeofday) right after sending or
// receiving the datagram, which is how the benchmarks time calls (see sipp-log.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RING_ONLY, pickUp } from '../../../test/support/sipp-scenarios.js';
import { RECV_INVITE_AS_CALLEE, awaitAnswer, calleeBye, callerBye, dialogAck, exec, reply, request, scenario, sdp, tag } from '../../../test/support/sipp-xml.js';

export const workDir = mkdtempSync(join(tmpdir(), 'cc-bench-'));

export function scenarioFile(name: string, xml: string): string {
  const file = join(workDir, name);
  writeFileSync(file, xml);
  return file;
}

export interface SippRun { proc: ChildProcess; done: Promise<{ code: number | null; stderr: string }> }

export function sipp(args: string[]): SippRun {
  const proc = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => proc.on('exit', (code) => resolve({ code, stderr })));
  return { proc, done };
}

/** Answers at once, talks `talkMs`, then hangs up (or takes the far end's BYE if it comes first). */
function answering(talkMs: number): string {
  return scenario('bench-agent', RECV_INVITE_AS_CALLEE, pickUp('ag'), '<recv request="ACK"/>',
    `<recv request="BYE" timeout="${talkMs}" ontimeout="hangup"/>`, reply('200 OK', { contact: true }), '<nop next="end"/>',
    '<label id="hangup"/>', calleeBye('ag', 1, 'end'), '<label id="end"/>');
}

/**
 * A desk phone's answering side on `port`, logging every message to `log`. With
 * `echoMediaPort` it sends every RTP packet it receives back where it came from (sipp's
 * -rtp_echo on that port), so an answered call carries audio both ways.
 */
export function startPhone(o: { port: number; mode: 'ring' | 'answer'; talkMs?: number; log: string; echoMediaPort?: number }): SippRun {
  const xml = o.mode === 'ring' ? RING_ONLY : answering(o.talkMs ?? 1500);
  const file = scenarioFile(`phone-${o.mode}-${o.port}.xml`, xml);
  const echo = o.echoMediaPort ? ['-mp', String(o.echoMediaPort), '-rtp_echo'] : [];
  return sipp(['-sf', file, '-i', '127.0.0.1', '-p', String(o.port), ...echo, '-aa', '-trace_msg', '-message_file', o.log]);
}

/**
 * One second of mu-law silence as a WAV file, for callers that stream audio: sipp's
 * rtp_stream sends it in 20 ms packets (50 a second), looping.
 */
export function silenceWav(): string {
  const data = Buffer.alloc(8000, 0xff);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(7, 20); // mu-law
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24);
  head.writeUInt32LE(8000, 28);
  head.writeUInt16LE(1, 32);
  head.writeUInt16LE(8, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  const file = join(workDir, 'silence-ulaw.wav');
  writeFileSync(file, Buffer.concat([head, data]));
  return file;
}

/**
 * A carrier call from 127.0.0.2 numbered `<prefix><sipp call number>`. With `keyDelayMs`
 * it presses 1 that long after the answer (the IVR menu). With `streamFile` (a WAV from
 * silenceWav) it sends audio from the answer on, looping, as a talking caller does. It
 * then waits up to `patienceMs` for the far end to hang up (the agent, or the benchmark
 * through AMI) before giving up.
 */
export function callerScenario(o: { did: string; prefix: string; keyDelayMs?: number; patienceMs: number; streamFile?: string }): string {
  const from = `"Bench" <sip:${o.prefix}[call_number]@127.0.0.2>${tag('c')}`;
  const stream = o.streamFile ? exec(`rtp_stream="${o.streamFile},-1,0"`) : '';
  const key = o.keyDelayMs === undefined ? '' : `<pause milliseconds="${o.keyDelayMs}"/>\n${exec('play_dtmf="1"')}`;
  const invite = request({
    method: 'INVITE', uri: `sip:${o.did}@127.0.0.1:5060`, from, to: `<sip:${o.did}@127.0.0.1>`, cseq: 1, contact: `<sip:${o.prefix}[call_number]@[local_ip]:[local_port]>`,
    body: sdp({ session: 'bench', dtmf: true, port: o.streamFile ? '[rtpstream_audio_port]' : '[media_port]' }),
  });
  return scenario('bench-caller', invite, awaitAnswer(15000, 'end'), dialogAck(from, 1), stream, key,
    `<recv request="BYE" timeout="${o.patienceMs}" ontimeout="giveup"/>`, reply('200 OK', { contact: true }), '<nop next="end"/>',
    '<label id="giveup"/>', callerBye(from, 2, 'end'), '<label id="end"/>');
}

/** Places `calls` calls at `rate` per second (one call when rate is 0) and resolves when sipp exits. */
export function placeCalls(o: {
  scenario: string; name: string; rate: number; calls: number; port: number; mediaPort: number; log: string; timeoutSec: number;
}): SippRun {
  const file = scenarioFile(`${o.name}.xml`, o.scenario);
  const rate = o.rate > 0 ? ['-r', String(o.rate), '-rp', '1000'] : [];
  return sipp([
    '-sf', file, '-m', String(o.calls), ...rate, '-l', '10000', '-i', '127.0.0.2', '-p', String(o.port), '-mp', String(o.mediaPort),
    '-aa', '-trace_msg', '-message_file', o.log, '-timeout', `${o.timeoutSec}s`, '127.0.0.1:5060',
  ]);
}
