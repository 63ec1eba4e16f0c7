// The rig of the SIP attack tests (test/telephony/sipguard): a server whose blocker bans
// after `maxFailures`, one registered desk phone taking the trunk's calls, an admin API
// session, and a teardown that leaves the shared Asterisk and kernel as they were (no bans
// in the ACL, no nftables table of the test's).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Knex } from 'knex';
import type { Config } from '../../server/core/config.js';
import { apiSession } from './api.js';
import { seededDatabase } from './config.js';
import { dropNftTable } from './nft.js';
import { healthz, startServer, waitFor, type ServerHandle } from './server-process.js';
import { freshPort, registerPhone, startPhone } from './sipp.js';

export interface SipBanView { id: number; address: string; failures: number; reason: string }

export interface GuardRig {
  api: Awaited<ReturnType<typeof apiSession>>;
  activeBans(): Promise<SipBanView[]>;
  stop(): Promise<void>;
}

export async function startGuardRig(config: Config, o: { maxFailures: number; firewall: 'nftables' | 'acl'; table: string }): Promise<GuardRig> {
  const phone = config.phones[0]!;
  dropNftTable(o.table);
  await seededDatabase(config);
  const server: ServerHandle = startServer({
    CC__DEMO__READY_AGENTS: JSON.stringify([phone.extension]),
    CC__SIP_GUARD__MAX_FAILURES: String(o.maxFailures), CC__SIP_GUARD__WINDOW_SEC: '120', CC__SIP_GUARD__BAN_SEC: '600',
    CC__SIP_GUARD__FIREWALL: o.firewall, CC__SIP_GUARD__NFT_TABLE: o.table,
  });
  await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000);
  const port = freshPort() + 30000;
  const deskPhone: ChildProcess = startPhone(port);
  await registerPhone({ extension: phone.extension, password: phone.password, contactPort: port });
  const api = await apiSession(config.demo.adminUser, 'test-admin-password');
  const activeBans = async () => (await (await api('GET', '/api/v1/sip-bans')).json()) as SipBanView[];
  return {
    api,
    activeBans,
    async stop() {
      for (const b of await activeBans()) await api('DELETE', `/api/v1/sip-bans/${b.id}`, {});
      deskPhone.kill();
      await server.stop();
      dropNftTable(o.table);
    },
  };
}

/** The trunk's call placed during the attack ended answered (sipp exit 0, interaction outcome answered). */
export async function assertCallAnswered(db: Knex, call: Promise<{ code: number | null; stderr: string }>, caller: string): Promise<void> {
  const res = await call;
  assert.equal(res.code, 0, `the trunk's call did not complete: ${res.stderr.slice(-400)}`);
  const row = await waitFor('interaction ended', async () => {
    const r = await db('interactions').where({ caller_number: caller }).first();
    return r?.ended_at ? r : undefined;
  });
  assert.equal(row.outcome, 'answered');
}
