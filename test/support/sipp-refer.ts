// A desk phone that answers, talks a while, then presses its transfer key: an in-dialog
// SIP REFER (blind, Refer-To: <sip:target@asterisk>). Every SIP message is traced to a
// file so a test can read how Asterisk reported the transfer (NOTIFY with a sipfrag).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'cc-sipp-refer-'));

const ok = (tag: string) => `<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]${tag}
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>`;

function scenario(o: { extension: string; referTo: string; afterMs: number }): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="refer-phone">
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
[last_To:];tag=[pid]ref[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Content-Length: 0

]]></send>
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ref[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REFER, NOTIFY
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=deskphone
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
<recv request="ACK"/>
<pause milliseconds="${o.afterMs}"/>
<send retrans="500"><![CDATA[
REFER [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$local];tag=[pid]ref[call_number]
To: [$remote]
[routes]
Call-ID: [call_id]
CSeq: 10 REFER
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Refer-To: <sip:${o.referTo}@127.0.0.1>
Referred-By: <sip:${o.extension}@127.0.0.1>
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="202" timeout="10000"/>
<label id="wait"/>
<recv request="NOTIFY" optional="true" next="notify" timeout="20000" ontimeout="hangup"/>
<recv request="BYE" next="bye"/>
<label id="notify"/>
${ok('')}
<nop next="wait"/>
<label id="bye"/>
${ok('')}
<nop next="end"/>
<label id="hangup"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$local];tag=[pid]ref[call_number]
To: [$remote]
[routes]
Call-ID: [call_id]
CSeq: 11 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200" timeout="5000"/>
<label id="end"/>
</scenario>`;
}

/** The answering side of a desk phone on `port` whose every answered call is transferred to `referTo` after `afterMs`. */
export function startReferPhone(port: number, o: { extension: string; referTo: string; afterMs: number }): { proc: ChildProcess; messages: () => string } {
  const file = join(dir, `refer-${port}.xml`);
  const trace = join(dir, `refer-${port}-messages.log`);
  writeFileSync(file, scenario(o));
  const proc = spawn('sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(port), '-aa', '-nd', '-trace_msg', '-message_file', trace], { stdio: 'ignore' });
  return { proc, messages: () => (existsSync(trace) ? readFileSync(trace, 'utf8') : '') };
}
