// A desk phone that dials another phone and hangs up itself: INVITE with digest auth from
// 127.0.0.1 as `extension`, `talkMs` of audio once answered, then its own BYE. Resolves with
// sipp's exit code (0: answered, and the BYE was confirmed).
import { freshPort, run, toneFile, write } from './sipp.js';

function invite(o: { extension: string; to: string }, cseq: number, auth: string): string {
  return `<send retrans="500"><![CDATA[
INVITE sip:${o.to}@127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]dial[call_number]
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
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>`;
}

const inDialog = (o: { extension: string; to: string }, method: string, cseq: number, via: string) => `<send${method === 'BYE' ? ' retrans="500"' : ''}><![CDATA[
${method} ${method === 'ACK' && cseq === 1 ? `sip:${o.to}@127.0.0.1:5060` : '[next_url]'} SIP/2.0
${via}
From: <sip:${o.extension}@127.0.0.1>;tag=[pid]dial[call_number]
[last_To:]
${method === 'ACK' && cseq === 1 ? '' : '[routes]\n'}Call-ID: [call_id]
CSeq: ${cseq} ${method}
Max-Forwards: 70
Content-Length: 0

]]></send>`;

export function phoneDial(o: { extension: string; password: string; to: string; talkMs: number }): Promise<{ code: number | null; stderr: string }> {
  const newVia = 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]';
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="desk-phone-dial">
${invite(o, 1, '')}
<recv response="100" optional="true"/>
<recv response="401" auth="true"/>
${inDialog(o, 'ACK', 1, '[last_Via:]')}
${invite(o, 2, `[authentication username=${o.extension} password=${o.password}]\n`)}
<recv response="100" optional="true" timeout="15000"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200" rrs="true"/>
${inDialog(o, 'ACK', 2, newVia)}
<nop><action><exec rtp_stream="${toneFile()},-1,0"/></action></nop>
<pause milliseconds="${o.talkMs}"/>
${inDialog(o, 'BYE', 3, newVia)}
<recv response="200" timeout="5000"/>
</scenario>`;
  const file = write(`dial-${o.extension}-${o.to}-${Date.now()}.xml`, xml);
  return run(['-sf', file, '-m', '1', '-i', '127.0.0.1', '-p', String(freshPort()), '-mp', String(freshPort() + 10000), '-timeout', `${Math.ceil(o.talkMs / 1000) + 30}s`, '-timeout_error', '127.0.0.1:5060'], o.talkMs + 40000);
}
