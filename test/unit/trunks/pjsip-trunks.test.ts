// The managed trunks' PJSIP file, rendered from asterisk/managed/pjsip-trunks.conf.hbs:
// parsed back as Asterisk reads it (sections of key = value lines), for both kinds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderPjsipTrunks } from '../../../server/trunks/pjsip-trunks.js';
import type { Trunk } from '../../../server/trunks/trunk-repository.js';

interface Section {
  name: string;
  keys: Map<string, string[]>;
}

/** Asterisk's config syntax as far as we use it: [name], key = value, ; comments. */
function parseIni(text: string): Section[] {
  const sections: Section[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/;.*$/, '').trim();
    if (!line) continue;
    const head = /^\[([A-Za-z0-9_-]+)\]$/.exec(line);
    if (head) {
      sections.push({ name: head[1] as string, keys: new Map() });
      continue;
    }
    const kv = /^([a-z_]+) = (\S+)$/.exec(line);
    assert.ok(kv, `line ${i + 1} is neither a section nor key = value: ${raw}`);
    const cur = sections.at(-1);
    assert.ok(cur, `line ${i + 1} is outside a section`);
    cur.keys.set(kv[1] as string, [...(cur.keys.get(kv[1] as string) ?? []), kv[2] as string]);
  }
  return sections;
}

const one = (s: Section | undefined, key: string) => {
  assert.ok(s, 'section exists');
  const v = s.keys.get(key);
  assert.equal(v?.length, 1, `${s.name} has one ${key}`);
  return v?.[0];
};
const ofType = (all: Section[], name: string, type: string) => all.find((s) => s.name === name && s.keys.get('type')?.[0] === type);

const base: Trunk = {
  id: 1, name: 'carrier2', label: 'Second carrier', kind: 'ip', host: '203.0.113.10', port: 5060, transport: 'udp',
  match: ['203.0.113.10', '198.51.100.0/24'], username: '', password: '', fromDomain: '', codecs: ['alaw', 'ulaw'],
  enabled: true, outbound: false, updatedAt: new Date(0),
};
const reg: Trunk = {
  ...base, id: 2, name: 'sip-provider', kind: 'register', host: 'sip.example.net', port: 5080, match: [],
  username: 'acct1001', password: 'S3cr3t!x', fromDomain: '', codecs: ['ulaw'],
};

describe('the managed trunks PJSIP file', () => {
  it('given an IP trunk, renders an endpoint into from-trunk, an aor at the carrier and an identify with every match', () => {
    const all = parseIni(renderPjsipTrunks([base]));
    const ep = ofType(all, 'carrier2', 'endpoint');
    assert.equal(one(ep, 'context'), 'from-trunk');
    assert.equal(one(ep, 'allow'), 'alaw,ulaw');
    assert.equal(one(ep, 'disallow'), 'all');
    assert.equal(one(ep, 'direct_media'), 'no');
    assert.equal(one(ep, 'aors'), 'carrier2');
    assert.equal(one(ep, 'transport'), 'transport-udp');
    assert.equal(ep?.keys.has('outbound_auth'), false, 'an IP trunk does not authenticate');
    assert.equal(one(ofType(all, 'carrier2', 'aor'), 'contact'), 'sip:203.0.113.10:5060');
    const id = ofType(all, 'carrier2-identify', 'identify');
    assert.equal(one(id, 'endpoint'), 'carrier2');
    assert.deepEqual(id?.keys.get('match'), ['203.0.113.10', '198.51.100.0/24']);
    assert.equal(all.some((s) => s.keys.get('type')?.[0] === 'registration' || s.keys.get('type')?.[0] === 'auth'), false);
  });

  it('given a registering trunk, renders digest auth, a registration with the line to the endpoint, and outbound_auth', () => {
    const all = parseIni(renderPjsipTrunks([reg]));
    const ep = ofType(all, 'sip-provider', 'endpoint');
    assert.equal(one(ep, 'outbound_auth'), 'sip-provider-auth');
    assert.equal(one(ep, 'from_domain'), 'sip.example.net', 'the host when no from-domain is given');
    assert.equal(one(ep, 'allow'), 'ulaw');
    const auth = ofType(all, 'sip-provider-auth', 'auth');
    assert.equal(one(auth, 'auth_type'), 'userpass');
    assert.equal(one(auth, 'username'), 'acct1001');
    assert.equal(one(auth, 'password'), 'S3cr3t!x');
    const r = ofType(all, 'sip-provider-reg', 'registration');
    assert.equal(one(r, 'server_uri'), 'sip:sip.example.net:5080');
    assert.equal(one(r, 'client_uri'), 'sip:acct1001@sip.example.net');
    assert.equal(one(r, 'outbound_auth'), 'sip-provider-auth');
    assert.equal(one(r, 'line'), 'yes');
    assert.equal(one(r, 'endpoint'), 'sip-provider');
    assert.equal(ofType(all, 'sip-provider-identify', 'identify'), undefined, 'no identify without addresses');
  });

  it('sends a registering trunk\'s calls to from-trunk-line with its contact user, so the DID is read from To', () => {
    const all = parseIni(renderPjsipTrunks([reg, base]));
    const ep = ofType(all, 'sip-provider', 'endpoint');
    assert.equal(one(ep, 'context'), 'from-trunk-line');
    // The carrier calls sip:<contact_user>@us;line=...: the dialplan compares that user with this.
    assert.equal(one(ep, 'set_var'), `CC_LINE_USER=${one(ofType(all, 'sip-provider-reg', 'registration'), 'contact_user')}`);
    assert.equal(one(ep, 'set_var'), 'CC_LINE_USER=acct1001');
    const ip = ofType(all, 'carrier2', 'endpoint');
    assert.equal(one(ip, 'context'), 'from-trunk', 'an IP trunk\'s calls carry the DID in the Request-URI');
    assert.equal(ip?.keys.has('set_var'), false);
  });

  it('identifies a registering trunk by its address when it has one, and uses the from-domain given', () => {
    const all = parseIni(renderPjsipTrunks([{ ...reg, host: '127.0.0.5', port: 5060, match: ['127.0.0.5'], fromDomain: 'carrier.example' }]));
    assert.deepEqual(ofType(all, 'sip-provider-identify', 'identify')?.keys.get('match'), ['127.0.0.5']);
    assert.equal(one(ofType(all, 'sip-provider-reg', 'registration'), 'client_uri'), 'sip:acct1001@carrier.example');
  });

  it('leaves disabled trunks out, keeps the others in name order, and writes only comments for none', () => {
    const text = renderPjsipTrunks([reg, { ...base, name: 'b-off', enabled: false }, base]);
    const names = parseIni(text).filter((s) => s.keys.get('type')?.[0] === 'endpoint').map((s) => s.name);
    assert.deepEqual(names, ['carrier2', 'sip-provider']);
    assert.equal(parseIni(renderPjsipTrunks([])).length, 0);
  });

  it('puts an IPv6 carrier in brackets in its URIs', () => {
    const all = parseIni(renderPjsipTrunks([{ ...base, host: '2001:db8::10', match: ['2001:db8::10'] }]));
    assert.equal(one(ofType(all, 'carrier2', 'aor'), 'contact'), 'sip:[2001:db8::10]:5060');
  });
});
