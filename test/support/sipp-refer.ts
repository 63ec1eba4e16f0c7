// A desk phone that answers, talks a while, then presses its transfer key: an in-dialog
// SIP REFER (blind, Refer-To: <sip:target@asterisk>). Every SIP message is traced to a
// file so a test can read how Asterisk reported the transfer (NOTIFY with a sipfrag).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { write } from './sipp.js';
import { pickUp } from './sipp-scenarios.js';
import { RECV_INVITE_AS_CALLEE, calleeBye, reply, request, scenario, tag } from './sipp-xml.js';

/** Phones that transfer say they take REFER and NOTIFY. */
export const ALLOW_REFER = 'Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REFER, NOTIFY';

function referScenario(o: { extension: string; referTo: string; afterMs: number }): string {
  const refer = request({
    method: 'REFER', uri: '[next_url]', from: `[$local]${tag('ref')}`, to: '[$remote]', routes: true, cseq: 10,
    contact: `<sip:${o.extension}@[local_ip]:[local_port]>`, headers: [`Refer-To: <sip:${o.referTo}@127.0.0.1>`, `Referred-By: <sip:${o.extension}@127.0.0.1>`],
  });
  return scenario('refer-phone', RECV_INVITE_AS_CALLEE, reply('180 Ringing', { toTag: 'ref', contact: o.extension }),
    pickUp('ref', 'deskphone', o.extension, [ALLOW_REFER]), '<recv request="ACK"/>', `<pause milliseconds="${o.afterMs}"/>`,
    refer, '<recv response="202" timeout="10000"/>',
    '<label id="wait"/>', '<recv request="NOTIFY" optional="true" next="notify" timeout="20000" ontimeout="hangup"/>', '<recv request="BYE" next="bye"/>',
    '<label id="notify"/>', reply('200 OK', { contact: true }), '<nop next="wait"/>',
    '<label id="bye"/>', reply('200 OK', { contact: true }), '<nop next="end"/>',
    '<label id="hangup"/>', calleeBye('ref', 11), '<label id="end"/>');
}

/** The answering side of a desk phone on `port` whose every answered call is transferred to `referTo` after `afterMs`. */
export function startReferPhone(port: number, o: { extension: string; referTo: string; afterMs: number }): { proc: ChildProcess; messages: () => string } {
  const file = write(`refer-${port}.xml`, referScenario(o));
  const trace = file.replace(/\.xml$/, '-messages.log');
  const proc = spawn('sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-aa', '-nd', '-trace_msg', '-message_file', trace], { stdio: 'ignore' });
  return { proc, messages: () => (existsSync(trace) ? readFileSync(trace, 'utf8') : '') };
}
