// A SIP scan and password guessing from 127.0.0.3 against our Asterisk while a carrier call
// is up: the attacker is banned and the trunk's call completes. What "banned" means depends on
// the backend, and the probe tells them apart: with nftables the address gets no answer at all
// (its packets are dropped before Asterisk); with the PJSIP ACL alone it gets 403 Forbidden.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testConfig } from '../../support/config.js';
import { waitFor } from '../../support/server-process.js';
import { carrierCall, freshPort, run, write } from '../../support/sipp.js';
import { request, scenario, tag } from '../../support/sipp-xml.js';
import { assertCallAnswered, startGuardRig, type GuardRig } from '../../support/sip-guard-rig.js';
import { createDb } from '../../../server/core/db.js';
import { sipProbe } from '../../support/sip-probe.js';
import { nftUnusable } from '../../../server/sipguard/nft-firewall.js';
import { droppedCount, nftSetAddresses } from '../../support/nft.js';

const config = testConfig();
const db = createDb(config);
const ATTACKER = '127.0.0.3';
const TABLE = `cc_sg_tel_${process.pid}`;
const nftWhy = await nftUnusable();

/** REGISTER without credentials, then with a guessed password: what a password scanner sends. */
function guessing(user: string, password: string): string {
  const register = (cseq: number, auth?: { username: string; password: string }) => request({
    method: 'REGISTER', uri: 'sip:127.0.0.1:5060', from: `<sip:${user}@127.0.0.1>${tag('g')}`, to: `<sip:${user}@127.0.0.1>`, cseq,
    contact: `<sip:${user}@[local_ip]:[local_port]>`, headers: ['Expires: 60'], auth,
  });
  return scenario(`guess-${user}`, register(1), '<recv response="401" auth="true" timeout="4000" ontimeout="done"/>', register(2, { username: user, password }),
    '<recv response="401" optional="true" timeout="4000" ontimeout="done" next="done"/>', '<recv response="403" next="done"/>', '<label id="done"/>');
}

/** Runs `count` guesses from the attacker's address; resolves with sipp's message trace. */
async function attack(user: string, count: number): Promise<string> {
  const file = write(`guess-${user}-${Date.now()}.xml`, guessing(user, `wrong-${Date.now() % 1000}`));
  const res = await run(['-sf', file, '-m', String(count), '-r', '4', '-i', ATTACKER, '-p', String(freshPort()), '-timeout', '20s', '127.0.0.1:5060'], 30000);
  return res.stderr;
}

/** Asterisk's answer to one REGISTER from the attacker's address: a status code, or undefined for none. */
const probeAttacker = () => sipProbe({ from: ATTACKER, port: freshPort() });

const backends = [
  { firewall: 'nftables', whenBanned: undefined, says: 'no answer at all', skip: nftWhy && `nft is not usable here: ${nftWhy}` },
  { firewall: 'acl', whenBanned: 403, says: '403 Forbidden (the ACL answers)', skip: undefined },
] as const;

for (const backend of backends) {
  describe(`SIP attack from 127.0.0.3 while calls run, bans by ${backend.firewall}`, { timeout: 240000, skip: backend.skip }, () => {
    let rig: GuardRig;
    let api: GuardRig['api'];

    before(async () => {
      rig = await startGuardRig(config, { maxFailures: 4, firewall: backend.firewall, table: TABLE });
      api = rig.api;
    });

    after(async () => {
      await rig?.stop();
    });

    it(`guessing and scanning get the address banned (then ${backend.says}); the carrier call in progress completes`, async () => {
      const status = await (await api('GET', '/api/v1/sip-bans/firewall')).json() as { backend: string };
      assert.equal(status.backend, backend.firewall);
      assert.equal(await probeAttacker(), 401, 'before the attack Asterisk challenges 127.0.0.3');
      const caller = `86139${Date.now() % 1000000}`;
      const call = carrierCall({ did: config.demo.did, caller, talkMs: 12000 });
      await attack('1001', 3);
      await attack('9999', 3);
      const ban = await waitFor('attacker banned', async () => (await rig.activeBans()).find((b) => b.address === ATTACKER), 20000);
      assert.ok(ban.failures >= 4, `banned after ${ban.failures} failures`);
      const dropped = backend.firewall === 'nftables' ? droppedCount(TABLE) : 0;
      assert.equal(await probeAttacker(), backend.whenBanned, `a banned address gets ${backend.says}`);
      if (backend.firewall === 'nftables') {
        assert.deepEqual(nftSetAddresses(TABLE), [ATTACKER]);
        assert.ok(droppedCount(TABLE) > dropped, 'the probe\'s packets were dropped by our rule');
      }

      await assertCallAnswered(db, call, caller);
    });

    it('lifting the ban lets the address talk to Asterisk again', async () => {
      const ban = (await rig.activeBans()).find((b) => b.address === ATTACKER)!;
      assert.equal((await api('DELETE', `/api/v1/sip-bans/${ban.id}`, {})).status, 204);
      if (backend.firewall === 'nftables') assert.deepEqual(nftSetAddresses(TABLE), [], 'the element is gone at once');
      await waitFor('attacker challenged again', async () => ((await probeAttacker()) === 401) || undefined, 20000);
    });
  });
}

after(async () => {
  await db.destroy();
});
