// A desk phone placing a call (a feature code like *70): INVITE with digest auth from
// 127.0.0.1 as the phone's extension, keys sent as RFC 2833 events, and the far end (our
// app) hanging up when its dialog is done.
import { callerSteps, freshPort, run, toneFile, write, type CallerStep } from './sipp.js';

const keysMs = (dtmf: string) => 400 * dtmf.length + 1000;

function invite(o: { extension: string; to: string }, cseq: number, auth: string): string {
  return `<send retrans="500"><![CDATA[
INVITE sip:${o.to}@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]desk[call_number]
To: <sip:${o.to}@127.0.0.1>
Call-ID: [call_id]
CSeq: ${cseq} INVITE
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Max-Forwards: 70
${auth}Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=deskphone
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 96
a=rtpmap:0 PCMU/8000
a=rtpmap:96 telephone-event/8000
a=fmtp:96 0-15
]]></send>`;
}

/** The ACK of the 401 (same branch as the INVITE it answers). */
const ACK = (o: { extension: string; to: string }, cseq: number, via: string) => `<send><![CDATA[
ACK sip:${o.to}@127.0.0.1:5060 SIP/2.0
${via}
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]desk[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Max-Forwards: 70
Content-Length: 0

]]></send>`;

/**
 * Phone `extension` dials `to` (e.g. '*70'), keys `steps` once answered, and waits up to
 * `byeTimeoutMs` for the app to hang up. Resolves with sipp's exit code (0: all went so).
 */
export function phoneCall(o: { extension: string; password: string; to: string; steps?: CallerStep[]; byeTimeoutMs?: number }): Promise<{ code: number | null; stderr: string }> {
  const steps = o.steps ?? [];
  const totalMs = steps.reduce((t, st) => t + ('dtmf' in st ? keysMs(st.dtmf) : st.pauseMs), 0) + (o.byeTimeoutMs ?? 30000);
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="desk-phone-call">
${invite(o, 1, '')}
<recv response="100" optional="true"/>
<recv response="401" auth="true"/>
${ACK(o, 1, '[last_Via:]')}
${invite(o, 2, `[authentication username=${o.extension} password=${o.password}]\n`)}
<recv response="100" optional="true" timeout="10000"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]desk[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 2 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
<nop><action><exec rtp_stream="${toneFile()},-1,0"/></action></nop>
${callerSteps(steps)}
<recv request="BYE" timeout="${o.byeTimeoutMs ?? 30000}"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>`;
  const file = write(`desk-${o.extension}-${o.to.replace(/[^0-9]/g, '')}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-mp', String(freshPort() + 10000), '-timeout', `${Math.ceil(totalMs / 1000) + 30}s`, '-timeout_error', '127.0.0.1:5060'], totalMs + 60000);
}

function subscribe(o: { extension: string; to: string }, cseq: number, auth: string): string {
  return `<send retrans="500"><![CDATA[
SUBSCRIBE sip:${o.to}@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]blf[call_number]
To: <sip:${o.to}@127.0.0.1>
Call-ID: [call_id]
CSeq: ${cseq} SUBSCRIBE
Contact: <sip:${o.extension}@[local_ip]:[local_port]>
Event: dialog
Accept: application/dialog-info+xml
Expires: 60
Max-Forwards: 70
${auth}Content-Length: 0

]]></send>`;
}

/**
 * A BLF key: phone `extension` subscribes to `to` (a hint, e.g. *751001) for dialog events
 * and checks that the first NOTIFY says `dialogState` (terminated = idle, early = ringing,
 * confirmed = in use / busy). Exit code 0 when it does.
 */
export function blfSubscribe(o: { extension: string; password: string; to: string; dialogState: string }): Promise<{ code: number | null; stderr: string }> {
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="blf-subscribe">
${subscribe(o, 1, '')}
<recv response="401" auth="true"/>
${subscribe(o, 2, `[authentication username=${o.extension} password=${o.password}]\n`)}
<recv response="200" timeout="10000"/>
<recv request="NOTIFY" timeout="10000">
<action><ereg regexp="<state>${o.dialogState}</state>" search_in="body" check_it="true" assign_to="st"/></action>
</recv>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<!-- sipp refuses a scenario whose variable is assigned but never read. -->
<nop><action><log message="dialog state [$st]"/></action></nop>
</scenario>`;
  const file = write(`blf-${o.extension}-${o.to.replace(/[^0-9]/g, '')}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-timeout', '30s', '-timeout_error', '127.0.0.1:5060'], 40000);
}
