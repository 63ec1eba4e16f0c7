// sipp as carrier and as desk phones. Scenarios are generated per use from the values
// they need, since sipp's -key does not reach auth headers or pauses (TESTING-NOTES.md).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { RING_ONLY, answerThenHangUp, pickUp, ringThenAnswer } from './sipp-scenarios.js';
import { RECV_INVITE_AS_CALLEE, awaitAnswer, awaitBye, calleeBye, callerBye, dialogAck, exec, reply, request, scenario, sdp, tag } from './sipp-xml.js';

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
  await sendRegister(o.extension, o.password, `<sip:${o.extension}@127.0.0.1:${o.contactPort}>`, o.expires ?? 3600);
}

/**
 * Removes every contact of an extension (RFC 3261 wildcard `Contact: *` with Expires 0).
 * Asterisk is shared by all telephony files and keeps contacts until they expire, so a test
 * that needs a phone to start unregistered says so itself instead of relying on file order.
 */
export async function unregisterAll(o: { extension: string; password: string }): Promise<void> {
  await sendRegister(o.extension, o.password, '*', 0);
}

async function sendRegister(extension: string, password: string, contact: string, expires: number): Promise<void> {
  const reg = (cseq: number, auth?: { username: string; password: string }) => request({
    method: 'REGISTER', uri: 'sip:127.0.0.1:5060', from: `<sip:${extension}@127.0.0.1>${tag('reg')}`, to: `<sip:${extension}@127.0.0.1>`, cseq,
    contact, headers: [`Expires: ${expires}`, 'User-Agent: sipp-deskphone'], auth,
  });
  const xml = scenario('register', reg(1), '<recv response="401" auth="true"/>', reg(2, { username: extension, password }), '<recv response="200"/>');
  const file = write(`reg-${extension}-${contact === '*' ? 'all' : contact.replace(/\D+/g, '-')}.xml`, xml);
  const res = await run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-timeout', '10s', '-timeout_error', '127.0.0.1:5060'], 15000);
  if (res.code !== 0) throw new Error(`registration of ${extension} failed (sipp exit ${res.code}): ${res.stderr.slice(-500)}`);
}

/**
 * A desk phone's answering side on `port`: 'answer' picks up every call (and answers
 * OPTIONS); 'ring' rings until the caller gives up (CANCEL), like an agent away from the desk;
 * `hangUpAfterMs`: the agent answers, talks that long and hangs up first.
 */
export function startPhone(port: number, mode: 'answer' | 'ring' | { ringMs: number } | { hangUpAfterMs: number } = 'answer'): ChildProcess {
  const scenarioArgs = mode === 'answer' ? ['-sn', 'uas']
    : mode === 'ring' ? ['-sf', write(`ring-${port}.xml`, RING_ONLY)]
    : 'ringMs' in mode ? ['-sf', write(`ring-answer-${port}.xml`, ringThenAnswer(mode.ringMs))]
    : ['-sf', write(`answer-hang-up-${port}.xml`, answerThenHangUp(mode.hangUpAfterMs))];
  return spawn('sipp', [...scenarioArgs, '-i', '127.0.0.1', '-p', String(port), '-aa', '-nd'], { stdio: 'ignore' });
}

/** What the caller does once answered: wait, or press keys (RFC 2833). */
export type CallerStep = { pauseMs: number } | { dtmf: string };

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
 * A carrier call from 127.0.0.2 (or `from`, another trunk's address) to `did`: waits for the
 * answer, streams audio for `talkMs`, then hangs up. Resolves with sipp's exit code (0 when
 * the call completed).
 */
export function carrierCall(o: { did: string; caller: string; talkMs: number; steps?: CallerStep[]; hangupBy?: 'caller' | 'far-end'; callerName?: string; from?: string }): Promise<{ code: number | null; stderr: string }> {
  const address = o.from ?? '127.0.0.2';
  const steps = o.steps ?? [{ pauseMs: o.talkMs }];
  const totalMs = steps.reduce((t, st) => t + ('dtmf' in st ? keysMs(st.dtmf) : st.pauseMs), 0);
  const from = `"${o.callerName ?? `Caller ${o.caller}`}" <sip:${o.caller}@${address}>${tag('call')}`;
  const invite = request({
    method: 'INVITE', uri: `sip:${o.did}@127.0.0.1:5060`, from, to: `<sip:${o.did}@127.0.0.1>`, cseq: 1,
    contact: `<sip:${o.caller}@[local_ip]:[local_port]>`, body: sdp({ session: 'carrier', dtmf: true }),
  });
  const xml = scenario('carrier-call', invite, awaitAnswer(60000), dialogAck(from, 1), exec(`rtp_stream="${toneFile()},-1,0"`), callerSteps(steps),
    o.hangupBy === 'far-end' ? awaitBye(60000) : callerBye(from, 2));
  const file = write(`call-${o.did}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', address, '-p', String(freshPort()), '-mp', String(freshPort() + 10000), '-aa', '-timeout', `${Math.ceil(totalMs / 1000) + 90}s`, '-timeout_error', '127.0.0.1:5060'], totalMs + 100000);
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

/**
 * The customer's line behind the carrier for tests that count what reached it: answers
 * every call; a number ending in 9 hangs up after `talkMs` (the customer hangs up first),
 * any other stays until our BYE. Every SIP message it receives is logged, so a test can
 * tell whether a number was dialled at all (`invites`).
 */
export function customerLine(port: number, talkMs = 3000): { proc: ChildProcess; invites: (digits: string) => number } {
  const log = join(dir, `customer-line-${port}.log`);
  const file = write(`customer-line-${port}.xml`, customerLineScenario(talkMs));
  const proc = spawn('sipp', ['-sf', file, '-i', '127.0.0.2', '-p', String(port), '-mp', String(port - 2000), '-nd', '-trace_msg', '-message_file', log], { stdio: 'ignore' });
  // One INVITE per call: retransmissions carry the Call-ID already seen.
  const invites = (digits: string) => {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const calls = new Set<string>();
    for (const block of text.split(/\n-{10,}/)) {
      if (!new RegExp(`^INVITE sip:[^@\\s]*${digits}@`, 'm').test(block)) continue;
      calls.add(/^Call-ID:\s*(\S+)/im.exec(block)?.[1] ?? block);
    }
    return calls.size;
  };
  return { proc, invites };
}

function customerLineScenario(talkMs: number): string {
  const invite = RECV_INVITE_AS_CALLEE.replace('</action>', '<ereg regexp="INVITE sip:[0-9]*9@" search_in="msg" check_it="false" assign_to="hangsup"/>\n</action>');
  return scenario('customer-line', invite, reply('180 Ringing', { toTag: 'line', contact: true }), '<pause milliseconds="500"/>',
    pickUp('line', 'customer'), '<recv request="ACK"/>', exec(`rtp_stream="${toneFile()},-1,0"`),
    '<nop test="hangsup" next="hangup"/>', `<recv request="BYE" timeout="120000" ontimeout="hangup"/>`, reply('200 OK'), '<nop next="end"/>',
    '<label id="hangup"/>', `<pause milliseconds="${talkMs}"/>`, calleeBye('line', 1), '<label id="end"/>');
}

const BUSY = scenario('busy', '<recv request="INVITE"/>', reply('486 Busy Here', { toTag: 'busy' }), '<recv request="ACK"/>');

function customerAnswers(talkMs: number): string {
  return scenario('customer-answers', RECV_INVITE_AS_CALLEE, reply('180 Ringing', { toTag: 'cust', contact: true }), '<pause milliseconds="1000"/>',
    pickUp('cust', 'customer'), '<recv request="ACK"/>', exec(`rtp_stream="${toneFile()},-1,0"`), `<pause milliseconds="${talkMs}"/>`, calleeBye('cust', 1));
}
