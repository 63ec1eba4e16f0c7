import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aclText, isBanAddress, isProtected, neverBanList } from '../../../server/sipguard/ban-rules.js';
import { securityAddress } from '../../../server/telephony/ami/pbx-manager.js';

test('a security event\'s RemoteAddress gives the bare IP, v4 or v6; anything else gives nothing', () => {
  assert.equal(securityAddress('IPV4/UDP/203.0.113.9/5060'), '203.0.113.9');
  assert.equal(securityAddress('IPV6/UDP/2001:db8::7/5060'), '2001:db8::7');
  assert.equal(securityAddress(''), undefined);
  assert.equal(securityAddress('garbage'), undefined);
});

test('this host, the trunk and the configured networks are never banned; the rest of 127/8 may be', () => {
  const list = neverBanList(['127.0.0.2', '10.1.0.0/16', '2001:db8:1::/48', 'not-an-ip']);
  assert.equal(isProtected(list, '127.0.0.1'), true);
  assert.equal(isProtected(list, '::1'), true);
  assert.equal(isProtected(list, '127.0.0.2'), true);
  assert.equal(isProtected(list, '10.1.200.3'), true);
  assert.equal(isProtected(list, '2001:db8:1:5::9'), true);
  assert.equal(isProtected(list, '127.0.0.3'), false);
  assert.equal(isProtected(list, '10.2.0.1'), false);
  assert.equal(isProtected(list, 'garbage'), false);
});

test('the ACL denies each banned address once, sorted; with no bans there is no section', () => {
  assert.doesNotMatch(aclText([]), /type = acl/);
  const text = aclText(['203.0.113.9', '127.0.0.3', '203.0.113.9', '2001:db8::7', 'bogus']);
  assert.match(text, /^\[cc-sip-bans\]$/m);
  assert.match(text, /^type = acl$/m);
  assert.deepEqual(text.match(/^deny = .*$/gm), ['deny = 127.0.0.3/32', 'deny = 2001:db8::7/128', 'deny = 203.0.113.9/32']);
  assert.doesNotMatch(text, /permit/);
});

test('only a bare IPv4 or IPv6 address may be banned: a zone or anything around it is refused', () => {
  assert.equal(isBanAddress('203.0.113.9'), true);
  assert.equal(isBanAddress('2001:db8::7'), true);
  assert.equal(isBanAddress('fe80::1%eth0'), false);
  assert.equal(isBanAddress('203.0.113.9 '), false);
  assert.equal(isBanAddress('1.2.3.4/32'), false);
  assert.doesNotMatch(aclText(['fe80::1%eth0']), /deny/);
});
