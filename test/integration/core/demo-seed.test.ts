// The demo seed's routing of the demo DID, against a real MariaDB.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, migrateLatest, type Knex } from '../../../server/core/db.js';
import { seedDemo } from '../../../server/core/demo-seed.js';
import { validateConfig } from '../../../server/core/config.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import type { Config } from '../../../server/core/config.js';

let db: Knex;
const base = testConfig();
/** The test config with the demo section as a fresh install has it, plus `demo`. */
const withDemo = (demo: Record<string, unknown>): Config => testConfig({ demo: { ...base.demo, ...demo } });
const didRoute = async (number: string) => db('dids')
  .leftJoin('ivr_flows', 'ivr_flows.id', 'dids.flow_id')
  .leftJoin('queues', 'queues.id', 'dids.queue_id')
  .where('dids.number', number)
  .first('ivr_flows.name as flow', 'queues.name as queue');

/** An empty, migrated database (a fresh install), then the seed; returns what the seed said. */
async function freshInstall(config: Config): Promise<string> {
  await db?.destroy();
  await resetDatabase(config);
  db = createDb(config);
  await migrateLatest(db);
  return seedDemo(db, config);
}

describe('the demo seed routes the demo DID', () => {
  after(async () => {
    await db?.destroy();
  });

  it('demo.flow defaults to the seeded menu main', () => {
    const { demo } = validateConfig({ ...base, demo: { did: '5551000' } });
    assert.equal(demo.flow, 'main');
  });

  it('refuses a demo.flow that cannot be a flow name', () => {
    assert.throws(() => validateConfig({ ...base, demo: { ...base.demo, flow: 'no spaces' } }), /demo/);
  });

  it('given demo.flow main, a fresh install sends the demo DID to the IVR menu', async () => {
    const config = withDemo({ flow: 'main' });
    assert.match(await freshInstall(config), new RegExp(`DID ${config.demo.did} to flow main`));
    assert.deepEqual({ ...(await didRoute(config.demo.did)) }, { flow: 'main', queue: null });
  });

  it("seeding again keeps an admin's routing of the DID", async () => {
    const config = withDemo({ flow: 'main' });
    const support = await db('queues').where({ name: config.demo.queue }).first('id');
    await db('dids').where({ number: config.demo.did }).update({ flow_id: null, queue_id: support.id });
    const said = await seedDemo(db, config);
    assert.deepEqual({ ...(await didRoute(config.demo.did)) }, { flow: null, queue: config.demo.queue });
    assert.match(said, new RegExp(`DID ${config.demo.did} to queue ${config.demo.queue}`));
  });

  it('an empty demo.flow sends the demo DID straight to the demo queue', async () => {
    const config = withDemo({ flow: '' });
    await freshInstall(config);
    assert.deepEqual({ ...(await didRoute(config.demo.did)) }, { flow: null, queue: config.demo.queue });
  });

  it('a demo.flow naming no flow falls back to the queue and says so', async () => {
    const config = withDemo({ flow: 'nowhere' });
    const said = await freshInstall(config);
    assert.deepEqual({ ...(await didRoute(config.demo.did)) }, { flow: null, queue: config.demo.queue });
    assert.match(said, /flow nowhere does not exist/);
  });
});
