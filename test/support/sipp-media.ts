// sipp for signalling only, with the audio handled by the test itself (support/rtp.ts):
// the SDP names a UDP port the test owns, so the test sends each party's own tone and
// receives exactly what Asterisk sends that party's phone.
import { spawn, type ChildProcess } from 'node:child_process';
import { freshPort, write } from './sipp.js';
import { RECV_INVITE_AS_CALLEE, QUALIFY_FIRST, QUALIFY_LAST, awaitAnswer, calleeBye, callerBye, dialogAck, reply, request, scenario, sdp, tag } from './sipp-xml.js';

const body = (ip: string, mediaPort: number) => sdp({ session: 'media', ip, port: mediaPort });

/**
 * A carrier call to `did` from 127.0.0.2 whose audio is the test's socket on 127.0.0.2:`mediaPort`.
 * It hangs up after `talkMs`, or earlier when the far end does.
 */
export function mediaCaller(o: { did: string; caller: string; mediaPort: number; talkMs: number }): ChildProcess {
  const from = `"Caller ${o.caller}" <sip:${o.caller}@127.0.0.2>${tag('mc')}`;
  const invite = request({
    method: 'INVITE', uri: `sip:${o.did}@127.0.0.1:5060`, from, to: `<sip:${o.did}@127.0.0.1>`, cseq: 1,
    contact: `<sip:${o.caller}@[local_ip]:[local_port]>`, body: body('127.0.0.2', o.mediaPort),
  });
  const xml = scenario('media-caller', invite, awaitAnswer(60000), dialogAck(from, 1),
    `<recv request="BYE" timeout="${o.talkMs}" ontimeout="hangup"/>`, reply('200 OK', { contact: true }), '<nop next="end"/>',
    '<label id="hangup"/>', callerBye(from, 2), '<label id="end"/>');
  const file = write(`media-caller-${o.caller}.xml`, xml);
  return spawn('sipp', ['-sf', file, '-m', '1', '-i', '127.0.0.2', '-p', String(freshPort()), '-timeout', `${Math.ceil(o.talkMs / 1000) + 90}s`, '127.0.0.1:5060'], { stdio: 'ignore' });
}

/**
 * A desk phone that answers every call on 127.0.0.1:`port` with its audio at the test's
 * socket `mediaPort`; with `hangupAfterMs` it hangs up that long after answering, else
 * it waits for the far end's BYE. Qualify OPTIONS and re-INVITEs are answered.
 */
export function mediaPhone(o: { port: number; mediaPort: number; hangupAfterMs?: number }): ChildProcess {
  const wait = o.hangupAfterMs ?? 600000;
  const answer = body('127.0.0.1', o.mediaPort);
  const xml = scenario('media-phone', QUALIFY_FIRST, RECV_INVITE_AS_CALLEE, reply('180 Ringing', { toTag: 'ph', contact: true }), '<pause milliseconds="300"/>',
    reply('200 OK', { toTag: 'ph', contact: true, body: answer }), '<recv request="ACK"/>',
    '<label id="talk"/>', `<recv request="INVITE" optional="true" next="reinvite" timeout="${wait}" ontimeout="hangup"/>`,
    '<recv request="BYE"/>', reply('200 OK', { contact: true }), '<nop next="end"/>',
    '<label id="reinvite"/>', reply('200 OK', { contact: true, body: answer, retrans: false }), '<recv request="ACK" next="talk"/>',
    '<label id="hangup"/>', calleeBye('ph', 1), QUALIFY_LAST);
  const file = write(`media-phone-${o.port}.xml`, xml);
  return spawn('sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(o.port), '-aa', '-nd'], { stdio: 'ignore' });
}
