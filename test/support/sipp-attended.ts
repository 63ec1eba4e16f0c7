// A desk phone's own attended transfer, the way hardware phones do it: it answers the ACD
// call, puts it on hold (re-INVITE, sendonly), calls another extension itself (a second
// INVITE through from-phones, digest auth), talks a moment, then sends REFER on the first
// call with Refer-To: <sip:target?Replaces=second call>. One sipp process plays both
// dialogs: the second call's Call-ID is `consult///<first Call-ID>`, which sipp still files
// under the same call (its `///` prefix rule), so the scenario sees both dialogs' answers.
// Every SIP message is traced to a file for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'cc-sipp-attended-'));

export interface AttendedPhone {
  extension: string;
  password: string;
  /** The extension the phone consults, then hands the caller to. */
  target: string;
  /** Talk with the caller before the hold, and with the target before the REFER. */
  afterMs: number;
}

/** Each new offer or answer of a dialog carries a higher o= version, or Asterisk takes it for no change. */
const SDP = (dir: string, version = 1) => `v=0
o=- 1 ${version} IN IP4 [local_ip]
s=deskphone
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
a=${dir}`;

const reply = (status: string, extra = '') => `<send><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
${extra}Content-Length: 0

]]></send>`;

/** A request in the first dialog (the ACD call Asterisk placed to this phone). */
const inFirst = (o: AttendedPhone, method: string, cseq: number, headers: string, body = '') => `<send${method === 'ACK' ? '' : ' retrans="500"'}><![CDATA[
${method} [$contact1] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$local];tag=[pid]att[call_number]
To: [$remote]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Max-Forwards: 70
${headers}${body ? 'Content-Type: application/sdp\n' : ''}Content-Length: [len]
${body ? `\n${body}` : ''}
]]></send>`;

/** The second call: this phone calls the target itself (Call-ID consult///<first Call-ID>). */
const consultInvite = (o: AttendedPhone, cseq: number, auth: string) => `<send retrans="500"><![CDATA[
INVITE sip:${o.target}@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]cons[call_number]
To: <sip:${o.target}@127.0.0.1>
Call-ID: consult///[call_id]
CSeq: ${cseq} INVITE
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Max-Forwards: 70
${auth}Content-Type: application/sdp
Content-Length: [len]

${SDP('sendrecv')}
]]></send>`;

const consultAck = (o: AttendedPhone, cseq: number, via: string, uri: string) => `<send><![CDATA[
ACK ${uri} SIP/2.0
${via}
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]cons[call_number]
[last_To:]
Call-ID: consult///[call_id]
CSeq: ${cseq} ACK
Max-Forwards: 70
Content-Length: 0

]]></send>`;

function scenario(o: AttendedPhone): string {
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
${reply('180 Ringing').replace('[last_To:]', '[last_To:];tag=[pid]att[call_number]')}
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]att[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REFER, NOTIFY
Content-Type: application/sdp
Content-Length: [len]

${SDP('sendrecv')}
]]></send>
<recv request="ACK"/>
<Reference variables="c1all"/>
<pause milliseconds="${o.afterMs}"/>
${inFirst(o, 'INVITE', 10, '', SDP('sendonly', 2))}
<recv response="100" optional="true"/>
<recv response="200"/>
${inFirst(o, 'ACK', 10, '')}
${consultInvite(o, 1, '')}
<recv response="100" optional="true"/>
<recv response="401" auth="true"/>
${consultAck(o, 1, '[last_Via:]', `sip:${o.target}@127.0.0.1:5060`)}
${consultInvite(o, 2, `[authentication username=${o.extension} password=${o.password}]\n`)}
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
${consultAck(o, 2, 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', '[$contact2]')}
<pause milliseconds="${o.afterMs}"/>
${inFirst(o, 'REFER', 11, `Refer-To: <sip:${o.target}@127.0.0.1?Replaces=${replaces}>\nReferred-By: <sip:${o.extension}@127.0.0.1>\n`)}
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
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

${SDP('sendrecv', 3)}
]]></send>
<nop next="wait"/>
<label id="end"/>
</scenario>`;
}

/** The answering side of desk phone `extension` on `port`: every answered call is handed over to `target` as above. */
export function startAttendedPhone(port: number, o: AttendedPhone): { proc: ChildProcess; messages: () => string } {
  const file = join(dir, `attended-${port}.xml`);
  const trace = join(dir, `attended-${port}-messages.log`);
  writeFileSync(file, scenario(o));
  const proc = spawn('sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + 2000), '-aa', '-nd', '-trace_msg', '-message_file', trace], { stdio: 'ignore' });
  return { proc, messages: () => (existsSync(trace) ? readFileSync(trace, 'utf8') : '') };
}
