// sipp for the telephony benchmarks: desk phones that ring or answer, and callers from
// the carrier's address. Every sipp here writes its SIP messages with -trace_msg; each
// entry carries the wall-clock time sipp read (gettimeofday) right after sending or
// receiving the datagram, which is how the benchmarks time calls (see sipp-log.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

const reply = (status: string, tag: string, extra = '') => `<send><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]${tag}[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
${extra}Content-Length: 0

]]></send>`;

/** Rings until the call is cancelled: the agent-ready benchmark only needs the INVITE to arrive. */
const RING_ONLY = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench-ring">
<recv request="INVITE"><action><ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" check_it="true" assign_to="cs"/></action></recv>
${reply('180 Ringing', 'ring')}
<recv request="CANCEL"/>
${reply('200 OK', 'ring')}
<send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ring[call_number]
[last_Call-ID:]
CSeq: [$cs] INVITE
Content-Length: 0

]]></send>
<recv request="ACK"/>
</scenario>`;

/** Answers at once, talks `talkMs`, then hangs up (or takes the far end's BYE if it comes first). */
function answering(talkMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench-agent">
<recv request="INVITE" rrs="true">
  <action>
    <ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
    <ereg regexp=".*" search_in="hdr" header="To:" assign_to="local"/>
  </action>
</recv>
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ag[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=agent
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
<recv request="ACK"/>
<recv request="BYE" timeout="${talkMs}" ontimeout="hangup"/>
${reply('200 OK', 'ag')}
<nop next="end"/>
<label id="hangup"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From:[$local];tag=[pid]ag[call_number]
To:[$remote]
[routes]
Call-ID: [call_id]
CSeq: 1 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200" timeout="5000" ontimeout="end"/>
<label id="end"/>
</scenario>`;
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
  const from = `"Bench" <sip:${o.prefix}[call_number]@127.0.0.2>;tag=[pid]c[call_number]`;
  const stream = o.streamFile ? `<nop><action><exec rtp_stream="${o.streamFile},-1,0"/></action></nop>` : '';
  const key = o.keyDelayMs === undefined ? stream : `${stream}<pause milliseconds="${o.keyDelayMs}"/>
<nop><action><exec play_dtmf="1"/></action></nop>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench-caller">
<send retrans="500"><![CDATA[
INVITE sip:${o.did}@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
To: <sip:${o.did}@127.0.0.1>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:${o.prefix}[call_number]@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=bench
c=IN IP4 [media_ip]
t=0 0
m=audio ${o.streamFile ? '[rtpstream_audio_port]' : '[media_port]'} RTP/AVP 0 96
a=rtpmap:0 PCMU/8000
a=rtpmap:96 telephone-event/8000
a=fmtp:96 0-15
]]></send>
<recv response="100" optional="true" timeout="15000" ontimeout="end"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
${key}
<recv request="BYE" timeout="${o.patienceMs}" ontimeout="giveup"/>
${reply('200 OK', 'c')}
<nop next="end"/>
<label id="giveup"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200" timeout="5000" ontimeout="end"/>
<label id="end"/>
</scenario>`;
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
