// The pure rules of a trunk: each value ends up in a line of an Asterisk config file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostProblem, matchProblem, nameProblem, overlaps, passwordProblem, usernameProblem } from '../../../server/trunks/trunk-rules.js';

describe('trunk rules', () => {
  it('accepts PJSIP-safe names and refuses reserved ones, section suffixes and anything that could start a section', () => {
    for (const ok of ['carrier2', 'sip-provider', 'T_1', '9000']) assert.equal(nameProblem(ok), undefined, ok);
    for (const bad of ['', '-x', 'a b', 'a\n[evil]', 'x]', 'a;b', 'global', 'transport-udp', 'phone-endpoint', 'x-identify', 'x-auth', 'x-reg', 'a'.repeat(41)]) {
      assert.ok(nameProblem(bad), JSON.stringify(bad));
    }
  });

  it('accepts IP addresses and DNS names as hosts, and nothing else', () => {
    for (const ok of ['203.0.113.10', 'sip.example.net', 'carrier', '2001:db8::1']) assert.equal(hostProblem(ok), undefined, ok);
    for (const bad of ['', '999.1.1.1', 'sip.example.net\n[evil]', 'a b', 'sip;x', '-bad.example', 'x'.repeat(254)]) assert.ok(hostProblem(bad), JSON.stringify(bad));
  });

  it('accepts addresses and narrow networks as match entries, and refuses this host, wide networks and junk', () => {
    for (const ok of ['203.0.113.10', '198.51.100.0/24', '10.1.0.0/16', '127.0.0.4', '2001:db8::/48']) assert.equal(matchProblem(ok), undefined, ok);
    for (const bad of ['0.0.0.0/0', '10.0.0.0/8', '127.0.0.1', '127.0.0.0/24', '::1', '1.2.3.4/33', '1.2.3.4/x', '1.2.3.4/24/1', 'sip.example.net', '1.2.3.4\nmatch=0.0.0.0/0']) {
      assert.ok(matchProblem(bad), JSON.stringify(bad));
    }
  });

  it('tells overlapping entries apart from separate ones', () => {
    assert.equal(overlaps('198.51.100.7', '198.51.100.0/24'), true);
    assert.equal(overlaps('198.51.100.0/24', '198.51.100.128/25'), true);
    assert.equal(overlaps('127.0.0.2', '127.0.0.2'), true);
    assert.equal(overlaps('127.0.0.4', '127.0.0.2'), false);
    assert.equal(overlaps('198.51.100.0/25', '198.51.100.128/25'), false);
  });

  it('refuses credentials that could end a line, start a comment or escape', () => {
    assert.equal(usernameProblem('acct1001'), undefined);
    for (const bad of ['', 'a b', 'a\nb', 'a;b', 'a@b']) assert.ok(usernameProblem(bad), JSON.stringify(bad));
    assert.equal(passwordProblem('S3cr3t!x#[]'), undefined);
    for (const bad of ['', 'a b', 'x\n[evil]', 'a;b', 'a\\b', 'a"b', "a'b", 'é', 'x'.repeat(129)]) assert.ok(passwordProblem(bad), JSON.stringify(bad));
  });

  it('takes usernames of two characters or more, as the contact user from-trunk-line matches', () => {
    for (const good of ['ab', '+4930123456', 'acct.1_x-9']) assert.equal(usernameProblem(good), undefined, good);
    // One character could name one of the dialplan's own extensions (h, i, s, t).
    for (const bad of ['h', 'i', 's', 't', '7']) assert.match(usernameProblem(bad) ?? '', /2 to 64/, bad);
  });
});
