// sipp scenarios for desk phones, as text (test/support/sipp.ts writes and runs them).

/** An agent who picks up after `ringMs` of ringing (the screen pop shows while it rings) and stays until the far end hangs up. */
export function ringThenAnswer(ringMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="ring-then-answer">
<recv request="OPTIONS" optional="true" next="options"/>
<recv request="INVITE"/>
<send><![CDATA[
SIP/2.0 180 Ringing
[last_Via:]
[last_From:]
[last_To:];tag=[pid]agent[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>
<pause milliseconds="${ringMs}"/>
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]agent[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=agent
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
<recv request="ACK"/>
<recv request="BYE"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<nop next="end"/>
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
}

/** An agent who picks up at once, talks for `talkMs`, then hangs up first (sends BYE). */
export function answerThenHangUp(talkMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="answer-then-hang-up">
<recv request="OPTIONS" optional="true" next="options"/>
<recv request="INVITE" rrs="true">
<action>
<ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
<ereg regexp=".*" search_in="hdr" header="To:" assign_to="local"/>
</action>
</recv>
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]agent[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=agent
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
<recv request="ACK"/>
<pause milliseconds="${talkMs}"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$local];tag=[pid]agent[call_number]
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
}
