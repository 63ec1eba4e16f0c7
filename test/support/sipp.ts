// sipp as carrier and as desk phones. Scenarios are generated per use from the values
// they need, since sipp's -key does not reach auth headers or pauses (TESTING-NOTES.md).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { answerThenHangUp, ringThenAnswer } from './sipp-scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-sipp-'));
// Tests add up to 34,000 to a fresh port to keep desk phones apart from sipp's own
// sockets, so the base stays low enough for every port to remain below 65,536; starting
// above 20,000 keeps sipp off Asterisk's RTP range (rtp.conf: 10,000-20,000).
let nextPort = 20000 + 2 * Math.floor(Math.random() * 4500);
/** A fresh local port per use: a retransmitted BYE for an old call must not reach a new scenario. */
export const freshPort = () => (nextPort += 2);

export function write(name: string, xml: string): string {
  const file = join(dir, name);
  writeFileSync(file, xml);
  return file;
}

export function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Registers a desk phone with digest auth; its calls go to `contactPort`, where a UAS answers. */
export async function registerPhone(o: { extension: string; password: string; contactPort: number; expires?: number }): Promise<void> {
  const reg = (cseq: number, auth: string) => `<send retrans="500"><![CDATA[
REGISTER sip:127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]reg[call_number]
To: <sip:${o.extension}@127.0.0.1>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:${o.extension}@127.0.0.1:${o.contactPort}>
Expires: ${o.expires ?? 3600}
Max-Forwards: 70
${auth}User-Agent: sipp-deskphone
Content-Length: 0

]]></send>`;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
${reg(1, '')}
<recv response="401" auth="true"/>
${reg(2, `[authentication username=${o.extension} password=${o.password}]\n`)}
<recv response="200"/>
</scenario>`;
  const file = write(`reg-${o.extension}-${o.contactPort}.xml`, xml);
  const res = await run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-timeout', '10s', '-timeout_error', '127.0.0.1:5060'], 15000);
  if (res.code !== 0) throw new Error(`registration of ${o.extension} failed (sipp exit ${res.code}): ${res.stderr.slice(-500)}`);
}

/**
 * A desk phone's answering side on `port`: 'answer' picks up every call (and answers
 * OPTIONS); 'ring' rings until the caller gives up (CANCEL), like an agent away from the desk;
 * `hangUpAfterMs`: the agent answers, talks that long and hangs up first.
 */
export function startPhone(port: number, mode: 'answer' | 'ring' | { ringMs: number } | { hangUpAfterMs: number } = 'answer'): ChildProcess {
  const scenario = mode === 'answer' ? ['-sn', 'uas']
    : mode === 'ring' ? ['-sf', write(`ring-${port}.xml`, RING_ONLY)]
    : 'ringMs' in mode ? ['-sf', write(`ring-answer-${port}.xml`, ringThenAnswer(mode.ringMs))]
    : ['-sf', write(`answer-hang-up-${port}.xml`, answerThenHangUp(mode.hangUpAfterMs))];
  return spawn('sipp', [...scenario, '-i', '127.0.0.1', '-p', String(port), '-aa', '-nd'], { stdio: 'ignore' });
}

const RING_ONLY = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="ring-only">
<recv request="OPTIONS" optional="true" next="options"/>
<recv request="INVITE"><action><ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" check_it="true" assign_to="cs"/></action></recv>
<send><![CDATA[
SIP/2.0 180 Ringing
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ring[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>
<recv request="CANCEL"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ring[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ring[call_number]
[last_Call-ID:]
CSeq: [$cs] INVITE
Content-Length: 0

]]></send>
<recv request="ACK" next="end"/>
<label id="options"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]opt[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<label id="end"/>
</scenario>`;

function callerBye(caller: string, from = '127.0.0.2'): string {
  return `<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Caller ${caller}" <sip:${caller}@${from}>;tag=[pid]call[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200" timeout="5000"/>`;
}

/** The far end (our app) hangs up: wait for its BYE and confirm it. */
const FAR_END_BYE = `<recv request="BYE" timeout="60000"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>`;

/** What the caller does once answered: wait, or press keys (RFC 2833). */
export type CallerStep = { pauseMs: number } | { dtmf: string };

const exec = (what: string) => `<nop><action><exec ${what}/></action></nop>`;
/**
 * How long sipp 3.6.1 takes to send keys: a key every 400 ms, the last one's packets ending
 * about a second after it starts (measured from ChannelDtmfReceived on Asterisk).
 */
const keysMs = (dtmf: string) => 400 * dtmf.length + 1000;

export function callerSteps(steps: CallerStep[]): string {
  return steps
    .map((st) => ('dtmf' in st
      // play_dtmf needs telephone-event in the offer (TESTING-NOTES.md). The tone pauses until
      // the keys are fully sent: audio packets among the event packets make Asterisk see one
      // key per packet ('2' pressed once arrived eleven times).
      ? [exec('rtp_stream="pause"'), exec(`play_dtmf="${st.dtmf}"`), `<pause milliseconds="${keysMs(st.dtmf)}"/>`, exec('rtp_stream="resume"')].join('\n')
      : `<pause milliseconds="${st.pauseMs}"/>`))
    .join('\n');
}

export function toneFile(): string {
  const file = join(dir, 'tone.ulaw');
  if (!existsSync(file)) execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-t', 'ul', file, 'synth', '120', 'sine', '440']);
  return file;
}

/**
 * A carrier call from 127.0.0.2 (or `from`, another trunk's address) to `did`: waits for
 * the answer, streams audio for `talkMs`, then hangs up. Resolves with sipp's exit code (0 when the call completed).
 */
export function carrierCall(o: { did: string; caller: string; talkMs: number; steps?: CallerStep[]; hangupBy?: 'caller' | 'far-end'; callerName?: string; from?: string }): Promise<{ code: number | null; stderr: string }> {
  const from = o.from ?? '127.0.0.2';
  const steps = o.steps ?? [{ pauseMs: o.talkMs }];
  const totalMs = steps.reduce((t, st) => t + ('dtmf' in st ? keysMs(st.dtmf) : st.pauseMs), 0);
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="carrier-call">
<send retrans="500"><![CDATA[
INVITE sip:${o.did}@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "${o.callerName ?? `Caller ${o.caller}`}" <sip:${o.caller}@${from}>;tag=[pid]call[call_number]
To: <sip:${o.did}@127.0.0.1>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:${o.caller}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=carrier
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 96
a=rtpmap:0 PCMU/8000
a=rtpmap:96 telephone-event/8000
a=fmtp:96 0-15
]]></send>
<recv response="100" optional="true" timeout="60000"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Caller ${o.caller}" <sip:${o.caller}@${from}>;tag=[pid]call[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
<nop><action><exec rtp_stream="${toneFile()},-1,0"/></action></nop>
${callerSteps(steps)}
${o.hangupBy === 'far-end' ? FAR_END_BYE : callerBye(o.caller, from)}
</scenario>`;
  const file = write(`call-${o.did}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', from, '-p', String(freshPort()), '-mp', String(freshPort() + 10000), '-aa', '-timeout', `${Math.ceil(totalMs / 1000) + 90}s`, '-timeout_error', '127.0.0.1:5060'], totalMs + 100000);
}

/**
 * The customer's phone behind the carrier, for calls we make (callbacks): listens on
 * 127.0.0.2:`port` (or `ip`, another trunk's address). 'answer' picks up after a ring, talks for `talkMs` and hangs up;
 * 'ring' rings until we give up; 'busy' answers 486.
 */
export function customerPhone(port: number, mode: 'answer' | 'ring' | 'busy', talkMs = 3000, ip = '127.0.0.2'): ChildProcess {
  const xml = mode === 'ring' ? RING_ONLY : mode === 'busy' ? BUSY : customerAnswers(talkMs);
  const file = write(`customer-${mode}-${port}.xml`, xml);
  // Media below the SIP port: above it, a port near 65,535 would overflow (sipp wraps the
  // port it binds but still announces the overflowed number, which Asterisk refuses).
  const mediaPort = port - 2000;
  if (port > 65535 || mediaPort <= 20000) throw new Error(`customer phone port ${port} leaves no valid media port`);
  return spawn('sipp', ['-sf', file, '-i', ip, '-p', String(port), '-mp', String(mediaPort), '-nd'], { stdio: 'ignore' });
}

const BUSY = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="busy">
<recv request="INVITE"/>
<send><![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]busy[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<recv request="ACK"/>
</scenario>`;

function customerAnswers(talkMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="customer-answers">
<recv request="INVITE" rrs="true">
<action>
<ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
<ereg regexp=".*" search_in="hdr" header="To:" assign_to="local"/>
</action>
</recv>
<send><![CDATA[
SIP/2.0 180 Ringing
[last_Via:]
[last_From:]
[last_To:];tag=[pid]cust[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>
<pause milliseconds="1000"/>
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]cust[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=customer
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
<recv request="ACK"/>
<nop><action><exec rtp_stream="${toneFile()},-1,0"/></action></nop>
<pause milliseconds="${talkMs}"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$local];tag=[pid]cust[call_number]
To: [$remote]
[routes]
Call-ID: [call_id]
CSeq: 1 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200" timeout="5000"/>
</scenario>`;
}
