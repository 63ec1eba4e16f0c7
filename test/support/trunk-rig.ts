// What the live trunk files share: a test server with one ready agent
// whose desk phone answers, signed in as admin; the teardown deletes the trunks the test
// added (no managed trunk left in Asterisk's include file) and unregisters the desk phone,
// so the next file starts clean. Run inside flock /tmp/cc-telephony.lock.
import type { ChildProcess } from 'node:child_process';
import { testConfig } from './config.js';
import { startServer, healthz, waitFor, type ServerHandle } from './server-process.js';
import { registerPhone, unregisterAll, startPhone, freshPort } from './sipp.js';
import { apiSession } from './api.js';
import type { Knex } from '../../server/core/db.js';

const config = testConfig();

export interface TrunkRig {
  server: ServerHandle;
  api: Awaited<ReturnType<typeof apiSession>>;
  agentId: number;
  /** sipp processes the test started: killed by the teardown. */
  procs: ChildProcess[];
}

type Phone = { extension: string; password: string };

export async function startTrunkRig(db: Knex, agentPhone: Phone): Promise<TrunkRig> {
  const server = startServer({ CC__DEMO__READY_AGENTS: JSON.stringify([agentPhone.extension]) });
  await waitFor('healthz 200', async () => (await healthz().catch(() => ({ status: 0 }))).status === 200, 60000).catch((err: Error) => {
    throw new Error(`${err.message}\n--- server log ---\n${server.log().slice(-3000)}`);
  });
  const port = freshPort() + 30000;
  const procs = [startPhone(port)];
  await registerPhone({ extension: agentPhone.extension, password: agentPhone.password, contactPort: port });
  const api = await apiSession(config.demo.adminUser, 'test-admin-password');
  const agentId = Number((await db('agents').where({ number: agentPhone.extension }).first('id')).id);
  await waitFor('agent phone registered', async () => (await (await api('GET', `/api/v1/agents/${agentId}`)).json()).registered, 15000);
  return { server, api, agentId, procs };
}

export async function stopTrunkRig(rig: TrunkRig | undefined, agentPhone: Phone): Promise<void> {
  for (const t of (await (await rig?.api('GET', '/api/v1/trunks'))?.json()) ?? []) await rig?.api('DELETE', `/api/v1/trunks/${t.id}`);
  for (const p of rig?.procs ?? []) p.kill();
  // The desk phone goes away with its sipp, so its contact goes too.
  await unregisterAll(agentPhone).catch(() => undefined);
  await rig?.server.stop();
}
