// A SIP scan and password guessing from 127.0.0.3 against our Asterisk while a carrier call
// is up: the attacker is banned and the trunk's call completes. What "banned" means depends on
// the backend, and the probe tells them apart: with nftables the address gets no answer at all
// (its packets are dropped before Asterisk); with the PJSIP ACL alone it gets 403 Forbidden.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { testConfig, seededDatabase } from '../../support/config.js';
import { startServer, healthz, waitFor, type ServerHandle } from '../../support/server-process.js';
import { registerPhone, startPhone, carrierCall, freshPort, run, write } from '../../support/sipp.js';
import { apiSession } from '../../support/api.js';
import { createDb } from '../../../server/core/db.js';
import { sipProbe } from '../../support/sip-probe.js';
import { nftUnusable } from '../../../server/sipguard/nft-firewall.js';
import { droppedCount, dropNftTable, nftSetAddresses } from '../../support/nft.js';

const config = testConfig();
const db = createDb(config);
const phone = config.phones[0]!;
const ATTACKER = '127.0.0.3';
const TABLE = `cc_sg_tel_${process.pid}`;
const nftWhy = await nftUnusable();

/** REGISTER without credentials, then with a guessed password: what a password scanner sends. */
function guessing(user: string, password: string): string {
  const wait = 'timeout="4000" ontimeout="done"';
  const register = (cseq: number, auth: string) => `<send retrans="500"><![CDATA[
REGISTER sip:127.0.0.1:5060 SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${user}@127.0.0.1>;tag=[pid]g[call_number]
To: <sip:${user}@127.0.0.1>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:${user}@[local_ip]:[local_port]>
${auth}
Max-Forwards: 70
Expires: 60
Content-Length: 0

]]></send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="guess-${user}">
${register(1, '')}
<recv response="401" auth="true" ${wait}/>
${register(2, `[authentication username=${user} password=${password}]`)}
<recv response="401" optional="true" timeout="4000" ontimeout="done" next="done"/>
<recv response="403" next="done"/>
<label id="done"/>
</scenario>`;
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
    let server: ServerHandle;
    let deskPhone: ChildProcess;
    let api: Awaited<ReturnType<typeof apiSession>>;

    before(async () => {
      dropNftTable(TABLE);
      await seededDatabase(config);
      server = startServer({
        CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]),
        CC__SIP_GUARD__MAX_FAILURES: '4', CC__SIP_GUARD__WINDOW_SEC: '120', CC__SIP_GUARD__BAN_SEC: '600',
        CC__SIP_GUARD__FIREWALL: backend.firewall, CC__SIP_GUARD__NFT_TABLE: TABLE,
      });
      await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
      const port = freshPort() + 30000;
      deskPhone = startPhone(port);
      await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
      api = await apiSession(config.demo.adminUser, 'test-admin-password');
    });

    after(async () => {
      // Leave the shared Asterisk as we found it: no bans in its ACL, and no table of ours.
      const bans = await (await api('GET', '/api/v1/sip-bans')).json() as Array<{ id: number }>;
      for (const b of bans) await api('DELETE', `/api/v1/sip-bans/${b.id}`, {});
      deskPhone?.kill();
      await server?.stop();
      dropNftTable(TABLE);
    });

    it(`guessing and scanning get the address banned (then ${backend.says}); the carrier call in progress completes`, async () => {
      const status = await (await api('GET', '/api/v1/sip-bans/firewall')).json() as { backend: string };
      assert.equal(status.backend, backend.firewall);
      assert.equal(await probeAttacker(), 401, 'before the attack Asterisk challenges 127.0.0.3');
      const caller = `86139${Date.now() % 1000000}`;
      const call = carrierCall({ did: config.demo.did, caller, talkMs: 12000 });
      await attack('1001', 3);
      await attack('9999', 3);
      const ban = await waitFor('attacker banned', async () => {
        const bans = await (await api('GET', '/api/v1/sip-bans')).json() as Array<{ address: string; failures: number; reason: string }>;
        return bans.find((b) => b.address === ATTACKER);
      }, 20000);
      assert.ok(ban.failures >= 4, `banned after ${ban.failures} failures`);
      const dropped = backend.firewall === 'nftables' ? droppedCount(TABLE) : 0;
      assert.equal(await probeAttacker(), backend.whenBanned, `a banned address gets ${backend.says}`);
      if (backend.firewall === 'nftables') {
        assert.deepEqual(nftSetAddresses(TABLE), [ATTACKER]);
        assert.ok(droppedCount(TABLE) > dropped, 'the probe\'s packets were dropped by our rule');
      }

      const res = await call;
      assert.equal(res.code, 0, `the trunk's call did not complete: ${res.stderr.slice(-400)}`);
      const row = await waitFor('interaction ended', async () => {
        const r = await db('interactions').where({ caller_number: caller }).first();
        return r?.ended_at ? r : undefined;
      });
      assert.equal(row.outcome, 'answered');
    });

    it('lifting the ban lets the address talk to Asterisk again', async () => {
      const bans = await (await api('GET', '/api/v1/sip-bans')).json() as Array<{ id: number; address: string }>;
      const ban = bans.find((b) => b.address === ATTACKER)!;
      assert.equal((await api('DELETE', `/api/v1/sip-bans/${ban.id}`, {})).status, 204);
      if (backend.firewall === 'nftables') assert.deepEqual(nftSetAddresses(TABLE), [], 'the element is gone at once');
      await waitFor('attacker challenged again', async () => ((await probeAttacker()) === 401) || undefined, 20000);
    });
  });
}

after(async () => {
  await db.destroy();
});
