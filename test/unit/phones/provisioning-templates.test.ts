// Every vendor's template renders a file its format accepts: XML that a parser finds
// well-formed with the values in place (a display name with < > & " stays text), and a
// Yealink key=value file with every key present; no {{ }} is ever left unrendered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderProvisioning, utcOffsetSeconds, type ProvisioningSettings } from '../../../server/phones/provisioning-render.js';
import { renderPjsipPhones } from '../../../server/phones/pjsip-phones.js';
import { VENDORS, normaliseMac, extensionProblem, blfProblem, type Vendor } from '../../../server/phones/phone-rules.js';
import type { Phone } from '../../../server/phones/phone-repository.js';
import { validateConfig } from '../../../server/core/config.js';
import { renderAll } from '../../../scripts/render-asterisk.js';

const NASTY = 'Front <desk> & "co" \'x\'';
const phone = (vendor: Vendor, extra: Partial<Phone> = {}): Phone => ({
  id: 1, extension: '1050', displayName: NASTY, sipPassword: 'pw-Abc_123-xyz', mac: '001565abcd01', vendor, model: 'm',
  language: 'zh-CN', provisioningSecret: 's'.repeat(43), blfKeys: ['1001', '1002'], updatedAt: new Date(), ...extra,
});
const agents = new Map([['1001', 'Ann <b>&'], ['1002', 'Bo']]);
const settings: ProvisioningSettings = { sipHost: 'pbx.example.test', sipPort: 5062, transport: 'udp', timezone: 'Asia/Shanghai' };
const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', htmlEntities: true }).parse(xml);

describe('provisioning templates', () => {
  for (const vendor of VENDORS) {
    it(`${vendor}: renders with nothing left unrendered and carries account, server, language and BLF keys`, () => {
      const file = renderProvisioning(phone(vendor), agents, settings);
      assert.doesNotMatch(file.body, /\{\{|\}\}/);
      for (const must of ['1050', 'pw-Abc_123-xyz', 'pbx.example.test', '*751001', '*751002']) assert.ok(file.body.includes(must), `${vendor} lacks ${must}`);
      if (file.contentType.includes('xml')) {
        const valid = XMLValidator.validate(file.body);
        assert.equal(valid, true, `${vendor}: ${JSON.stringify(valid)}`);
        // The parsed document holds the name as it was typed: escaped in the file, not lost.
        assert.ok(JSON.stringify(parse(file.body)).includes(JSON.stringify(NASTY).slice(1, -1)), `${vendor} keeps the display name`);
      }
    });
  }

  it('names each vendor\'s file as its phones ask for it', () => {
    const names = Object.fromEntries(VENDORS.map((v) => [v, renderProvisioning(phone(v), agents, settings).fileName]));
    assert.deepEqual(names, { yealink: '001565abcd01.cfg', grandstream: 'cfg001565abcd01.xml', fanvil: '001565abcd01.cfg', snom: '001565abcd01.xml', polycom: '001565abcd01.cfg' });
  });

  it('yealink: a complete key=value file under its #!version header, one value per line', () => {
    const body = renderProvisioning(phone('yealink', { displayName: 'two\nlines = evil' }), agents, settings).body;
    const lines = body.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.ok(body.startsWith('#!version:1.0.0.1\n'));
    const kv = new Map(lines.map((l) => {
      const m = /^([a-z0-9_.]+) = (.*)$/.exec(l);
      assert.ok(m, `not key = value: ${l}`);
      return [m[1], m[2]] as const;
    }));
    const required = ['account.1.enable', 'account.1.display_name', 'account.1.auth_name', 'account.1.user_name', 'account.1.password',
      'account.1.sip_server.1.address', 'account.1.sip_server.1.port', 'account.1.sip_server.1.transport_type', 'lang.gui', 'local_time.time_zone',
      'linekey.1.type', 'linekey.1.value', 'linekey.1.label', 'linekey.2.value'];
    for (const key of required) assert.ok(kv.get(key), `missing ${key}`);
    assert.equal(kv.get('account.1.display_name'), 'two lines = evil', 'a line break cannot start a key');
    assert.equal(kv.get('local_time.time_zone'), '+8');
    assert.equal(kv.get('lang.gui'), 'Chinese_S');
    assert.equal(kv.get('linekey.1.label'), 'Ann <b>&');
  });

  it('grandstream: P-values for the account and one multi-purpose BLF key per agent', () => {
    const cfg = parse(renderProvisioning(phone('grandstream'), agents, settings).body).gs_provision.config;
    assert.equal(String(cfg.P35), '1050');
    assert.equal(cfg.P47, 'pbx.example.test:5062');
    assert.equal(String(cfg.P323), '1');
    assert.equal(cfg.P303, '*751001');
    assert.equal(cfg.P306, '*751002');
  });

  it('polycom: reg.1 attributes and the BLF resource list', () => {
    const doc = parse(renderProvisioning(phone('polycom'), agents, settings).body).polycomConfig;
    assert.equal(String(doc.reg['@reg.1.auth.userId']), '1050');
    assert.equal(doc.reg['@reg.1.displayName'], NASTY);
    assert.equal(doc.attendant['@attendant.resourceList.2.address'], '*751002');
    assert.equal(String(doc.tcpIpApp['@tcpIpApp.sntp.gmtOffset']), '28800');
  });

  it('gives the UTC offset of a zone, negative west of Greenwich', () => {
    assert.equal(utcOffsetSeconds('Asia/Shanghai'), 8 * 3600);
    assert.equal(utcOffsetSeconds('UTC'), 0);
    assert.equal(utcOffsetSeconds('America/Bogota'), -5 * 3600);
  });

  it('the PJSIP file keeps a hostile display name inside its quotes', () => {
    const conf = renderPjsipPhones([phone('snom', { displayName: 'x";\n[evil](phone-endpoint)' })]);
    assert.doesNotMatch(conf, /^\[evil\]/m);
    assert.match(conf, /^callerid = "x evil \(phone-endpoint\)" <1050>$/m);
  });
});

describe('phone rules', () => {
  it('normalises the usual MAC spellings and refuses the rest', () => {
    for (const m of ['00:15:65:AB:cd:01', '00-15-65-ab-cd-01', '001565abcd01', '0015.65ab.cd01']) assert.equal(normaliseMac(m), '001565abcd01', m);
    for (const m of ['', '00:15:65:ab:cd', 'gg1565abcd01', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '00:15:65:ab:cd:01:02']) assert.equal(normaliseMac(m), undefined, m);
  });

  it('refuses feature codes and anything but 3 to 8 digits as an extension', () => {
    assert.match(extensionProblem('*70') ?? '', /feature code/);
    assert.match(extensionProblem('12') ?? '', /3 to 8 digits/);
    assert.match(extensionProblem('10a0') ?? '', /3 to 8 digits/);
    assert.equal(extensionProblem('1050'), undefined);
  });

  it('refuses BLF keys that are not agent numbers or are repeated', () => {
    assert.match(blfProblem(['1001', '1001']) ?? '', /twice/);
    assert.match(blfProblem(['*75']) ?? '', /digits/);
    assert.equal(blfProblem(['1001', '1002']), undefined);
  });
});

describe("the rendered Asterisk config", () => {
  const config = validateConfig({
    instanceName: 'unit', db: { password: 'x' }, ari: { password: 'ari-secret' }, ami: { password: 'ami-secret' },
    session: { secret: 's'.repeat(32) }, provisioning: { phonesFile: '/etc/asterisk/pjsip-phones.conf' },
  });
  const rendered = (name: string) => renderAll(config).find((f) => f.name === name)?.text ?? '';

  it("keeps Asterisk's own HTTP server (ARI) on loopback: phones fetch their files from our server", () => {
    const http = rendered('http.conf');
    assert.match(http, /^bindaddr = 127\.0\.0\.1$/m);
    assert.doesNotMatch(http, /^bindaddr = (?!127\.0\.0\.1$)/m);
    assert.doesNotMatch(http, /^tlsenable = yes/m);
  });

  it('includes the managed phones file last in pjsip.conf, after the phone templates it uses', () => {
    const pjsip = rendered('pjsip.conf');
    const include = pjsip.indexOf('#tryinclude /etc/asterisk/pjsip-phones.conf');
    assert.ok(include > pjsip.indexOf('[phone-endpoint](!)') && include > pjsip.indexOf('[phone-aor](!)'), 'the include comes after the templates');
  });
});
