// sipp for signalling only, with the audio handled by the test itself (support/rtp.ts):
// the SDP names a UDP port the test owns, so the test sends each party's own tone and
// receives exactly what Asterisk sends that party's phone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPort } from './sipp.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-sipp-media-'));

function write(name: string, xml: string): string {
  const file = join(dir, name);
  writeFileSync(file, xml);
  return file;
}

const sdp = (ip: string, mediaPort: number) => `v=0
o=- 1 1 IN IP4 ${ip}
s=media
c=IN IP4 ${ip}
t=0 0
m=audio ${mediaPort} RTP/AVP 0
a=rtpmap:0 PCMU/8000`;

const ok = (tag: string, body?: string) => `<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]${tag}
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
${body ? `Content-Type: application/sdp\nContent-Length: [len]\n\n${body}` : 'Content-Length: 0\n'}
]]></send>`;

/**
 * A carrier call to `did` from 127.0.0.2 whose audio is the test's socket on 127.0.0.2:`mediaPort`.
 * It hangs up after `talkMs`, or earlier when the far end does.
 */
export function mediaCaller(o: { did: string; caller: string; mediaPort: number; talkMs: number }): ChildProcess {
  const from = `"Caller ${o.caller}" <sip:${o.caller}@127.0.0.2>;tag=[pid]mc[call_number]`;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="media-caller">
<send retrans="500"><![CDATA[
INVITE sip:${o.did}@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
To: <sip:${o.did}@127.0.0.1>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:${o.caller}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${sdp('127.0.0.2', o.mediaPort)}
]]></send>
<recv response="100" optional="true" timeout="60000"/>
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
<recv request="BYE" timeout="${o.talkMs}" ontimeout="hangup"/>
${ok('')}
<nop next="end"/>
<label id="hangup"/>
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
<recv response="200" timeout="5000"/>
<label id="end"/>
</scenario>`;
  const file = write(`caller-${o.caller}.xml`, xml);
  return spawn('sipp', ['-sf', file, '-m', '1', '-i', '127.0.0.2', '-p', String(freshPort()), '-timeout', `${Math.ceil(o.talkMs / 1000) + 90}s`, '127.0.0.1:5060'], { stdio: 'ignore' });
}

/**
 * A desk phone that answers every call on 127.0.0.1:`port` with its audio at the test's
 * socket `mediaPort`; with `hangupAfterMs` it hangs up that long after answering, else
 * it waits for the far end's BYE. Qualify OPTIONS and re-INVITEs are answered.
 */
export function mediaPhone(o: { port: number; mediaPort: number; hangupAfterMs?: number }): ChildProcess {
  const wait = o.hangupAfterMs ?? 600000;
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="media-phone">
<recv request="OPTIONS" optional="true" next="options"/>
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
[last_To:];tag=[pid]ph[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>
<pause milliseconds="300"/>
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]ph[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

${sdp('127.0.0.1', o.mediaPort)}
]]></send>
<recv request="ACK"/>
<label id="talk"/>
<recv request="INVITE" optional="true" next="reinvite" timeout="${wait}" ontimeout="hangup"/>
<recv request="BYE"/>
${ok('')}
<nop next="end"/>
<label id="reinvite"/>
${ok('', sdp('127.0.0.1', o.mediaPort))}
<recv request="ACK" next="talk"/>
<label id="hangup"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$local];tag=[pid]ph[call_number]
To: [$remote]
[routes]
Call-ID: [call_id]
CSeq: 1 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200" timeout="5000"/>
<nop next="end"/>
<label id="options"/>
${ok(';tag=[pid]opt[call_number]')}
<label id="end"/>
</scenario>`;
  const file = write(`phone-${o.port}.xml`, xml);
  return spawn('sipp', ['-sf', file, '-i', '127.0.0.1', '-p', String(o.port), '-aa', '-nd'], { stdio: 'ignore' });
}
