import { test } from 'node:test';
import assert from 'node:assert/strict';
import { droppedPackets, nftArgs, nftScript, sipPortList } from '../../../server/sipguard/nft-rules.js';

const spec = { table: 'cc_sipguard', ports: [5061, 5060, 5060] };
const elementLines = (script: string) => script.split('\n').filter((l) => l.startsWith('add element'));

test('the table, counter, sets and chain are added (idempotent), the rules and sets flushed and written again', () => {
  const script = nftScript(spec, []);
  assert.deepEqual(script.trimEnd().split('\n'), [
    'add table inet cc_sipguard',
    'add counter inet cc_sipguard dropped',
    'add set inet cc_sipguard banned4 { type ipv4_addr; flags timeout; }',
    'add set inet cc_sipguard banned6 { type ipv6_addr; flags timeout; }',
    'add chain inet cc_sipguard input { type filter hook input priority filter - 10; policy accept; }',
    'flush chain inet cc_sipguard input',
    'add rule inet cc_sipguard input ip saddr @banned4 meta l4proto { tcp, udp } th dport { 5060, 5061 } counter name "dropped" drop',
    'add rule inet cc_sipguard input ip6 saddr @banned6 meta l4proto { tcp, udp } th dport { 5060, 5061 } counter name "dropped" drop',
    'flush set inet cc_sipguard banned4',
    'flush set inet cc_sipguard banned6',
  ]);
  assert.doesNotMatch(script, /delete/, 'nothing is deleted: the dropped counter survives a sync');
});

test('IPv4 and IPv6 bans go to their own set, each with its remaining time in whole seconds (rounded up)', () => {
  const script = nftScript(spec, [
    { address: '203.0.113.9', timeoutSec: 3600 },
    { address: '2001:db8::7', timeoutSec: 59.2 },
    { address: '127.0.0.3', timeoutSec: 0.3 },
  ]);
  assert.deepEqual(elementLines(script), [
    'add element inet cc_sipguard banned4 { 127.0.0.3 timeout 1s, 203.0.113.9 timeout 3600s }',
    'add element inet cc_sipguard banned6 { 2001:db8::7 timeout 60s }',
  ]);
});

test('a ban without time left, a duplicate, or something that is not an address never reaches nft', () => {
  const script = nftScript(spec, [
    { address: '192.0.2.1', timeoutSec: 0 },
    { address: '192.0.2.2', timeoutSec: -5 },
    { address: '192.0.2.3', timeoutSec: 60 },
    { address: '192.0.2.3', timeoutSec: 600 },
    { address: '1.2.3.4 }; flush ruleset; add element x y { 5.6.7.8', timeoutSec: 60 },
    { address: 'fe80::1%eth0', timeoutSec: 60 },
    { address: 'not-an-ip', timeoutSec: 60 },
  ]);
  assert.deepEqual(elementLines(script), ['add element inet cc_sipguard banned4 { 192.0.2.3 timeout 600s }']);
  assert.doesNotMatch(script, /ruleset|fe80|not-an-ip/);
});

test('a bad table name or no port at all is refused rather than written', () => {
  assert.throws(() => nftScript({ table: 'cc; flush ruleset', ports: [5060] }, []), /bad nftables table name/);
  assert.throws(() => nftScript({ table: 'Upper', ports: [5060] }, []), /bad nftables table name/);
  assert.throws(() => nftScript({ table: 'cc_sipguard', ports: [0, 70000, 1.5] }, []), /no SIP port/);
});

test('the SIP ports are whole numbers in range, each once, sorted', () => {
  assert.deepEqual(sipPortList([5080, 5060, 5061, 5060, 0, 65536, 5.5]), [5060, 5061, 5080]);
  assert.match(nftScript({ table: 't', ports: [5080, 5060] }, []), /th dport \{ 5060, 5080 \}/);
});

test('nft runs with argument lists (no shell); the script comes on stdin', () => {
  assert.deepEqual(nftArgs.apply, ['-f', '-']);
  assert.deepEqual(nftArgs.probe, ['list', 'tables']);
  assert.deepEqual(nftArgs.dropped('cc_sipguard'), ['-j', 'list', 'counter', 'inet', 'cc_sipguard', 'dropped']);
  assert.deepEqual(nftArgs.remove('cc_sipguard'), ['delete', 'table', 'inet', 'cc_sipguard']);
});

test('the dropped count is read from nft -j output; anything else gives no number', () => {
  const json = '{"nftables": [{"metainfo": {"version": "1.0.6"}}, {"counter": {"family": "inet", "name": "dropped", "table": "cc_sipguard", "handle": 1, "packets": 42, "bytes": 4200}}]}';
  assert.equal(droppedPackets(json), 42);
  assert.equal(droppedPackets('{"nftables": [{"metainfo": {}}]}'), undefined);
  assert.equal(droppedPackets('Error: No such file or directory'), undefined);
});
