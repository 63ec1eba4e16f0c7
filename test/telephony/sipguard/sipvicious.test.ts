// SIPVicious, the scanner real attackers run first, against our Asterisk from 127.0.0.3 with
// bans in nftables: svmap finds the server (its User-Agent, cc-suite), its INVITE and REGISTER
// probes get the address banned, and then svmap finds nothing at all, while a carrier call from
// 127.0.0.2 placed during the attack completes. Only svmap is used: svwar and svcrack 0.3.3
// ignore -b, so they would attack from 127.0.0.1, which is never banned.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { testConfig } from '../../support/config.js';
import { carrierCall, freshPort } from '../../support/sipp.js';
import { assertCallAnswered, startGuardRig, type GuardRig } from '../../support/sip-guard-rig.js';
import { nftSetAddresses } from '../../support/nft.js';
import { createDb } from '../../../server/core/db.js';
import { nftUnusable } from '../../../server/sipguard/nft-firewall.js';

const config = testConfig();
const db = createDb(config);
const ATTACKER = '127.0.0.3';
const TABLE = `cc_sg_svm_${process.pid}`;
/** svmap's result table has one row per device: `| 127.0.0.1:5060 | cc-suite |`. */
const FOUND = /\|\s*127\.0\.0\.1:5060\s*\|\s*cc-suite\s*\|/;

const nftWhy = await nftUnusable();
const svmapMissing = spawnSync('svmap', ['--version']).error ? 'svmap is not installed (Debian package sipvicious; scripts/test.sh installs it)' : undefined;

/** One svmap run from the attacker's address; stdout and stderr together ("found nothing" is a warning). */
function svmap(method?: 'INVITE' | 'REGISTER'): Promise<string> {
  const args = ['-b', ATTACKER, '-P', String(freshPort()), ...(method ? ['-m', method] : []), '127.0.0.1'];
  return new Promise((resolve) => {
    // HOME: svmap may keep session files there; they belong to this run, not to root's home.
    const p = spawn('svmap', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: '/tmp' } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30000);
    p.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe('SIPVicious svmap from 127.0.0.3, bans by nftables', { timeout: 240000, skip: svmapMissing ?? (nftWhy && `nft is not usable here: ${nftWhy}`) }, () => {
  let rig: GuardRig;

  before(async () => {
    rig = await startGuardRig(config, { maxFailures: 3, firewall: 'nftables', table: TABLE });
  });

  after(async () => {
    await rig?.stop();
    await db.destroy();
  });

  it('svmap finds the server, its INVITE and REGISTER probes get it banned, then it finds nothing; the carrier call completes', async () => {
    const before = await svmap();
    assert.match(before, FOUND, `svmap should find cc-suite before the attack:\n${before}`);

    const caller = `86137${Date.now() % 1000000}`;
    const call = carrierCall({ did: config.demo.did, caller, talkMs: 12000 });
    let ban: { failures: number } | undefined;
    for (let round = 0; round < 6 && !ban; round++) {
      await svmap('INVITE');
      await svmap('REGISTER');
      ban = (await rig.activeBans()).find((b) => b.address === ATTACKER);
    }
    assert.ok(ban, 'svmap INVITE and REGISTER probes got 127.0.0.3 banned');
    assert.ok(ban.failures >= 3, `banned after ${ban.failures} failures`);
    assert.deepEqual(nftSetAddresses(TABLE), [ATTACKER]);

    const afterBan = await svmap();
    assert.doesNotMatch(afterBan, /cc-suite/, `svmap still sees the server after the ban:\n${afterBan}`);
    assert.match(afterBan, /found nothing/);

    await assertCallAnswered(db, call, caller);
  });
});
