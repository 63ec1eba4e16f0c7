// A desk phone's own attended transfer, the way hardware phones do it: it answers the ACD
// call, puts it on hold (re-INVITE, sendonly), calls another extension itself (a second
// INVITE through from-phones, digest auth), talks a moment, then sends REFER on the first
// call with Refer-To: <sip:target?Replaces=second call>. One sipp process plays both
// dialogs: the second call's Call-ID is `consult///<first Call-ID>`, which sipp still files
// under the same call (its `///` prefix rule), so the scenario sees both dialogs' answers.
// Every SIP message is traced to a file for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { write } from './sipp.js';
import { ALLOW_REFER } from './sipp-refer.js';
import { NEW_VIA, reply, request, sdp, tag } from './sipp-xml.js';

export interface AttendedPhone {
  extension: string;
  password: string;
  /** The extension the phone consults, then hands the caller to. */
  target: string;
  /** Talk with the caller before the hold, and with the target before the REFER. */
  afterMs: number;
}

const SDP = (direction: string, version = 1) => sdp({ session: 'deskphone', direction, version });

/** A request in the first dialog (the ACD call Asterisk placed to this phone). */
const inFirst = (o: AttendedPhone, method: string, cseq: number, headers: string[], body?: string) => request({
  method, uri: '[$contact1]', from: `[$local]${tag('att')}`, to: '[$remote]', cseq, contact: `<sip:${o.extension}@[local_ip]:[local_port]>`, headers, body,
});

const consultFrom = (o: AttendedPhone) => `<sip:${o.extension}@127.0.0.1>${tag('cons')}`;

/** The second call: this phone calls the target itself (Call-ID consult///<first Call-ID>). */
const consultInvite = (o: AttendedPhone) => (cseq: number, auth?: { username: string; password: string }) => request({
  method: 'INVITE', uri: `sip:${o.target}@127.0.0.1:5060`, from: consultFrom(o), to: `<sip:${o.target}@127.0.0.1>`, callId: 'consult///[call_id]', cseq, auth,
  contact: `<sip:${o.extension}@[local_ip]:[local_port]>`, body: SDP('sendrecv'),
});

const consultAck = (o: AttendedPhone, cseq: number, via: string, uri: string) =>
  request({ method: 'ACK', uri, via, from: consultFrom(o), to: '[last_To:]', callId: 'consult///[call_id]', cseq });

function attendedScenario(o: AttendedPhone): string {
  const replaces = 'consult///[call_id]%3Bto-tag%3D[$totag2]%3Bfrom-tag%3D[pid]cons[call_number]';
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="attended-refer-phone">
<recv request="INVITE">
<action>
<ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
<ereg regexp=".*" search_in="hdr" header="To:" assign_to="local"/>
<ereg regexp="&lt;([^&gt;]+)&gt;" search_in="hdr" header="Contact:" assign_to="c1all,contact1"/>
</action>
</recv>
${reply('180 Ringing', { toTag: 'att' })}
${reply('200 OK', { toTag: 'att', contact: o.extension, headers: [ALLOW_REFER], body: SDP('sendrecv') })}
<recv request="ACK"/>
<Reference variables="c1all"/>
<pause milliseconds="${o.afterMs}"/>
${inFirst(o, 'INVITE', 10, [], SDP('sendonly', 2))}
<recv response="100" optional="true"/>
<recv response="200"/>
${inFirst(o, 'ACK', 10, [])}
${consultInvite(o)(1)}
<recv response="100" optional="true"/>
<recv response="401" auth="true"/>
${consultAck(o, 1, '[last_Via:]', `sip:${o.target}@127.0.0.1:5060`)}
${consultInvite(o)(2, { username: o.extension, password: o.password })}
<recv response="100" optional="true" timeout="10000"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200">
<action>
<ereg regexp=";tag=([^;&gt; ]+)" search_in="hdr" header="To:" assign_to="t2all,totag2"/>
<ereg regexp="&lt;([^&gt;]+)&gt;" search_in="hdr" header="Contact:" assign_to="c2all,contact2"/>
</action>
</recv>
<Reference variables="t2all,c2all"/>
${consultAck(o, 2, NEW_VIA, '[$contact2]')}
<pause milliseconds="${o.afterMs}"/>
${inFirst(o, 'REFER', 11, [`Refer-To: <sip:${o.target}@127.0.0.1?Replaces=${replaces}>`, `Referred-By: <sip:${o.extension}@127.0.0.1>`])}
<recv response="202" timeout="10000"/>
<label id="wait"/>
<recv request="NOTIFY" optional="true" next="notify"/>
<recv request="BYE" optional="true" next="bye"/>
<recv request="INVITE" optional="true" next="reinvite"/>
<recv request="ACK" optional="true" next="wait"/>
<recv request="CANCEL" timeout="12000" ontimeout="end" next="end"/>
<label id="notify"/>
${reply('200 OK')}
<nop next="wait"/>
<label id="bye"/>
${reply('200 OK')}
<nop next="wait"/>
<label id="reinvite"/>
${reply('200 OK', { contact: o.extension, body: SDP('sendrecv', 3), retrans: false })}
<nop next="wait"/>
<label id="end"/>
</scenario>`;
}

/** The answering side of desk phone `extension` on `port`: every answered call is handed over to `target` as above. */
export function startAttendedPhone(port: number, o: AttendedPhone): { proc: ChildProcess; messages: () => string } {
  const file = write(`attended-${port}.xml`, attendedScenario(o));
  const trace = file.replace(/\.xml$/, '-messages.log');
  const proc = spawn('sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 2000), '-aa', '-nd', '-trace_msg', '-message_file', trace], { stdio: 'ignore' });
  return { proc, messages: () => (existsSync(trace) ? readFileSync(trace, 'utf8') : '') };
}
